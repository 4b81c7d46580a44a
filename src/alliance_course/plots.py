"""The course's chart style and a few small helpers.

Every chart in the course has a title, labelled axes with units, a colour-blind-safe palette, a source caption
and one sentence under it saying what it shows. ``style()`` sets the look once per notebook; ``caption(ax, …)``
adds the source line; ``PALETTE`` is the Okabe–Ito palette (safe for the common forms of colour blindness), and
charts that compare categories should also differ by marker or hatch, not by colour alone. ``figure_svg`` draws a
figure once as SVG (every chart in a notebook, and every simulator chart, is shown that way, with its alt text).
"""

from __future__ import annotations

import base64
import functools
import gc
import html
import io
import math
import re
import types
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox

# Okabe & Ito (2008), "Color Universal Design": distinguishable with protanopia, deuteranopia and tritanopia.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
COLOURS: list[str] = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple", "black")]
MARKERS: list[str] = ["o", "s", "^", "D", "v", "P", "X"]
HATCHES: list[str] = ["", "//", "..", "xx", "\\\\", "oo", "++"]

# Meaning-bearing colours used across lessons, so "alliance" looks the same in every chart.
KIND_COLOURS: dict[str, str] = {"alliance": PALETTE["blue"], "coalition": PALETTE["orange"]}


def style() -> None:
    """Apply the course style to matplotlib (call once at the top of a notebook); in a notebook, also show every
    figure with a text alternative (see :func:`show_with_alt`).

    In a kernel, when it runs at the notebook's start (its first cell, or a later one while the notebook has defined
    only modules), it also takes what the imports built out of the garbage collector's way (see
    :func:`_settle_imports`).
    """
    _settle_imports()
    show_with_alt()
    mpl.rcParams.update({
        "figure.figsize": (8, 4.5),
        "figure.dpi": 100,
        "axes.prop_cycle": mpl.cycler(color=COLOURS),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 13,
        "axes.titleweight": "bold",
        "axes.labelsize": 11,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "legend.frameon": False,
        "font.size": 10,
    })


_SETTLED = False


def _settle_imports() -> None:
    """Move the objects the notebook's imports built out of the cyclic garbage collector's sight (``gc.freeze``):
    once, in a kernel, at the notebook's start, with no figure open.

    pandas, matplotlib, ipywidgets and the kernel leave some 105,000–145,000 long-lived objects that every full
    collection scanned again, though almost none of them ever becomes garbage. Measured on lessons 01, 03, 07 and
    09: runs 0.01–0.06 s shorter, kernels exit 0.2 s sooner (a restart). A frozen object is never collected, even
    once it is garbage: hence only at the start, where nothing of the learner's exists yet (the first cell, or a
    later cell while every name the notebook defined is a module, as in lesson 06, which opens with its warm-up
    quiz; a notebook that calls ``style()`` after its own figures and tables is left alone), and never in scripts
    or tests.
    """
    global _SETTLED
    if _SETTLED:
        return
    _SETTLED = True
    from alliance_course._common import in_kernel

    shell = in_kernel()
    if shell is None or plt.get_fignums():
        return
    # IPython's In list holds "" and one entry per cell run so far, this one included (execution_count is counted
    # before or after a cell runs depending on the IPython version)
    first_cell = len(shell.user_ns.get("In", ())) <= 2
    # Later cells count as a start too while every name they defined is a module: they only imported and showed
    # course output (lesson 06 opens with its warm-up quiz, whose widgets the widget registry keeps alive anyway)
    hidden = getattr(shell, "user_ns_hidden", {})
    only_imports = all(isinstance(value, types.ModuleType) for name, value in shell.user_ns.items()
                       if not name.startswith("_") and name not in hidden)
    if not (first_cell or only_imports):
        return
    # No gc.collect() first: after the imports it scanned all ~145,000 objects (26-53 ms of the first cell) to
    # find fewer than a hundred unreachable ones; frozen, those few stay (a few kB) and nothing else changes.
    gc.freeze()


def caption(ax: plt.Axes, source: str, *, y: float | None = None) -> Annotation:
    """Write 'Source: …' under the axes, left-aligned and small (the chart's citation).

    By default the caption places itself a few points below whatever hangs under the axes (tick labels, the
    x-axis label), measured when the figure is drawn, so no chart needs a hand-tuned offset. ``y`` (in axes
    fractions, e.g. ``-0.18``) pins it instead. The annotation carries ``gid="caption"``: views use it as the
    chart's alt text.
    """
    if y is not None:
        text = ax.annotate(f"Source: {source}", xy=(0, y), xycoords="axes fraction", ha="left", va="top",
                           fontsize=8, color="#444444")
    else:
        text = ax.annotate(f"Source: {source}", xy=(0, 0), xycoords=_under_axes(ax), xytext=(0, -4),
                           textcoords="offset points", ha="left", va="top", fontsize=8, color="#444444")
    text.set_gid("caption")
    return text


# While :func:`figure_svg` draws a figure (which it does not change), a caption's place is measured once per axes
# and position instead of each time the caption is drawn or measured (three or four times, each one laying out
# the whole x-axis again). ``None`` outside such a drawing: a figure a learner changes is always measured afresh.
_CAPTION_PLACES: ContextVar[dict[tuple[Any, ...], Bbox] | None] = ContextVar("caption_places", default=None)


def _under_axes(ax: plt.Axes) -> Callable[[Any], Bbox]:
    """A box whose left edge is the axes' left edge and whose bottom is the lowest decoration under the axes: the
    x-axis (tick labels, label) and a legend placed below the axes."""

    def box(renderer: Any) -> Bbox:
        places = _CAPTION_PLACES.get()
        if places is None:
            return measure(renderer)
        # the axes' place and limits are in the key: a layout engine moves axes during the same drawing
        key = (id(ax), id(renderer), tuple(ax.bbox.bounds), tuple(ax.viewLim.bounds))
        if key not in places:
            places[key] = measure(renderer)
        return places[key]

    measuring_legend = False

    def measure(renderer: Any) -> Bbox:
        nonlocal measuring_legend
        bottom = ax.bbox.y0
        if ax.axison:
            below = ax.xaxis.get_tightbbox(renderer)
            if below is not None and below.height > 0:
                bottom = min(bottom, below.y0)
        legend = ax.get_legend()
        # A legend placed "best" (ax.legend()'s default) measures every text on the axes, this caption too, to find
        # a free spot: that inner measurement leaves the legend out, or each would wait on the other for ever.
        if legend is not None and legend.get_visible() and not measuring_legend:
            measuring_legend = True
            try:
                extent = legend.get_window_extent(renderer)
            finally:
                measuring_legend = False
            if extent.y0 < ax.bbox.y0:  # a legend hung under the axes: the caption goes below it
                bottom = min(bottom, extent.y0)
        return Bbox.from_extents(ax.bbox.x0, bottom, ax.bbox.x1, bottom + 1)

    return box


def figure_alt(fig: Figure) -> str:
    """A text alternative for a chart: what it shows, in words. Each axes' title followed by its caption (see
    :func:`caption`); a chart with neither is described by its axis labels ("Chart of y against x")."""
    parts = [fig._suptitle.get_text()] if getattr(fig, "_suptitle", None) is not None else []
    for ax in fig.axes:
        title = ax.get_title()
        captions = [text.get_text() for text in ax.texts if text.get_gid() == "caption"]
        parts.extend(p for p in (title, *captions) if p)
    if not parts:
        for ax in fig.axes:
            x, y = ax.get_xlabel(), ax.get_ylabel()
            if x or y:
                parts.append(f"Chart of {y or 'values'} against {x}" if x else f"Chart of {y}")
    return ". ".join(part.rstrip(".") for part in parts) + ("." if parts else "")


def colour_only(fig: Figure) -> list[str]:
    """Legend entries told apart by colour alone (same marker, line style and hatch as another entry of the same
    legend): a chart should have none, so it reads in grey and for colour-blind readers."""
    found = []
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None:
            continue
        seen: dict[tuple, str] = {}
        for handle, text in zip(legend.legend_handles, legend.get_texts()):
            look = (type(handle).__name__, getattr(handle, "get_marker", lambda: None)(),
                    str(getattr(handle, "get_linestyle", lambda: None)()), getattr(handle, "get_hatch", lambda: None)())
            if look in seen:
                found.append(f"{seen[look]!r} and {text.get_text()!r}")
            else:
                seen[look] = text.get_text()
    return found


# The SVG writer repeats matplotlib's whole sans-serif fallback list on every text element; one short list will do.
_LONG_FAMILY = re.compile(r"font-family: 'DejaVu Sans'[^;\"]*")
_SVG_SIZE = re.compile(r'width="[\d.]+pt" height="[\d.]+pt" viewBox="[^"]*"')


# The matplotlib releases whose ``Text._get_layout`` asks the renderer for a font's line metrics (the private hook
# ``_get_font_height_metrics(prop)``, new in 3.11) and works them out as :func:`_font_heights` does. Check a new
# release's ``Text._get_layout`` against it before adding it: on any other release the renderer leaves the hook
# out and matplotlib measures for itself, only more slowly.
_FONT_HEIGHTS_RELEASES = {(3, 11)}
# What else decides which font file a FontProperties finds: the family lists (matplotlib's findfont keys on them too)
_FONT_LISTS = ("font.serif", "font.sans-serif", "font.cursive", "font.fantasy", "font.monospace")


@functools.cache
def _svg_renderer() -> type:
    """matplotlib's SVG renderer, which remembers each font's line metrics for the drawing it makes.

    matplotlib 3.11 lays out a text (each tick label, every time it is measured: three or four times per chart) by
    finding its font file again and reading two of the file's tables. A renderer may answer that itself through a
    private hook, which matplotlib's PDF and PostScript renderers use: this one works the answer out as
    ``Text._get_layout`` does and keeps it for the rest of the drawing. The key holds the font properties, the family
    lists in ``rcParams`` and the drawn figure's dpi. 10–20 % less time per chart; the SVG is the same to the byte
    (tested on charts in many fonts, as is that matplotlib still asks). One difference remains: a text from another
    figure, measured with this renderer while it draws, is measured at this figure's dpi. No course chart does that.
    """
    from matplotlib.backends.backend_svg import RendererSVG

    class CourseRendererSVG(RendererSVG):  # type: ignore[misc]
        def __init__(self, figure: Figure, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._figure = figure
            self._font_heights: dict[tuple[Any, ...], tuple[float | None, float | None, float | None]] = {}

        def _remembered_font_heights(self, prop: Any) -> tuple[float | None, float | None, float | None]:
            dpi = self._figure.dpi  # a text is laid out at its figure's dpi, which a measurement may change
            key = (tuple(prop.get_family()), prop.get_slant(), prop.get_variant(), prop.get_weight(),
                   prop.get_stretch(), prop.get_size_in_points(), prop.get_file(), dpi,
                   tuple(tuple(mpl.rcParams[name]) for name in _FONT_LISTS))
            if key not in self._font_heights:
                self._font_heights[key] = _font_heights(prop, dpi)
            return self._font_heights[key]

    if tuple(mpl.__version_info__[:2]) in _FONT_HEIGHTS_RELEASES:
        CourseRendererSVG._get_font_height_metrics = CourseRendererSVG._remembered_font_heights
    return CourseRendererSVG


def _font_heights(prop: Any, dpi: float) -> tuple[float | None, float | None, float | None]:
    """A font's ascent, descent and line gap at ``dpi``, worked out as matplotlib 3.11's ``Text._get_layout`` does
    (the same tables, the same arithmetic in the same order); ``None`` s make matplotlib measure "lp" instead."""
    font = font_manager.get_font(font_manager.fontManager._find_fonts_by_props(prop))
    for table_name, gap, ascent, descent in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                                             ("hhea", "lineGap", "ascent", "descent")):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * dpi / 72
        return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    return None, None, None


def figure_svg(fig: Figure, *, tight: bool = True, pad_inches: float = 0.1) -> str:
    """The figure as an SVG document, drawn once.

    ``savefig(bbox_inches="tight")`` (what the inline backend does for every chart) lays the figure out twice, once
    to measure and once to draw, and rasterises it; here the figure is drawn once as vectors, measured with the same
    renderer (text sizes come from its cache) and cropped by rewriting the SVG's ``viewBox``, which is free. Text
    stays text (``svg.fonttype: none``), drawn by the browser in the course font (DejaVu Sans) or a close sans-serif.
    The size on screen matches a PNG at the figure's dpi. About 3× cheaper than the PNG route for a lesson's chart.
    """
    from matplotlib.backends.backend_mixed import MixedModeRenderer

    buffer = io.StringIO()
    dpi = fig.dpi
    width, height = fig.get_size_inches()
    points_w, points_h = width * 72, height * 72
    # A fixed salt: the SVG writer's ids (clip paths, markers) come from a hash of the content and this salt, else
    # from a random one, so the same figure gave a different document on every draw. Each chart is its own SVG
    # document (an <img>), so ids never meet another chart's.
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "alliance-course"}):
        places = _CAPTION_PLACES.set({})
        try:
            fig.dpi = 72  # the SVG writer works in points, as savefig(format="svg") does
            renderer = MixedModeRenderer(fig, width, height, dpi,
                                         _svg_renderer()(fig, points_w, points_h, buffer, image_dpi=dpi,
                                                         metadata={"Date": None}))
            fig.draw(renderer)
            box = fig.get_tightbbox(renderer) if tight else None
            renderer.finalize()
        finally:
            fig.dpi = dpi
            _CAPTION_PLACES.reset(places)
    svg = _LONG_FAMILY.sub("font-family: 'DejaVu Sans', Verdana, Arial, sans-serif", buffer.getvalue())
    if box is None or not all(map(math.isfinite, box.extents)):
        x0, y0, w, h = 0.0, 0.0, points_w, points_h
    else:
        pad = pad_inches * 72
        x0, w = box.x0 * 72 - pad, box.width * 72 + 2 * pad
        y0, h = points_h - box.y1 * 72 - pad, box.height * 72 + 2 * pad  # SVG's y axis points down
    scale = dpi / 72  # px on screen per point, so the chart is as large as a PNG at the figure's dpi
    face = fig.get_facecolor()  # keep its alpha: a transparent figure ("none") must not get a black background
    background = mpl.colors.to_hex(face, keep_alpha=face[3] < 1)
    size = (f'width="{w * scale:.0f}" height="{h * scale:.0f}" viewBox="{x0:.2f} {y0:.2f} {w:.2f} {h:.2f}"'
            f' style="background-color: {background}"')
    return _SVG_SIZE.sub(size, svg, count=1)


def figure_html(fig: Figure, alt: str | None = None, *, tight: bool = True, attributes: str = "") -> str:
    """``<img alt="…" src="data:image/svg+xml;base64,…">`` for the figure (``alt`` defaults to
    :func:`figure_alt`): one element a screen reader can describe, whatever shows the notebook."""
    data = base64.b64encode(figure_svg(fig, tight=tight).encode("utf-8")).decode("ascii")
    alt = figure_alt(fig) if alt is None else alt
    return (f'<img class="course-chart" alt="{html.escape(alt or "Chart", quote=True)}" '
            f'src="data:image/svg+xml;base64,{data}"{attributes}>')


def show_with_alt() -> bool:
    """In IPython with the inline backend, show each figure that has a title or caption as an ``<img>`` with that
    text as its ``alt`` (``text/html``) instead of a bare PNG, which screen readers cannot describe.

    The image is drawn once, as SVG, by :func:`figure_svg` (cropped like the inline backend's PNG, a third of the
    cost); figures with nothing to say still go out as the inline backend's plain PNG. Returns whether the
    formatter is in place (False outside IPython).
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the notebook stack
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    plt._get_backend_mod()  # load the backend now: the inline backend resets the Figure formatters when it loads
    formatters = shell.display_formatter.formatters
    png = formatters["image/png"]
    try:
        render = png.lookup_by_type(Figure)
    except KeyError:  # not the inline backend (e.g. MPLBACKEND=Agg): figures are not shown anyway
        return False
    if getattr(render, "_course_alt", False):
        return True

    def as_html(fig: Figure) -> str | None:
        alt = figure_alt(fig)
        if not alt or not fig.axes:
            return None
        return figure_html(fig, alt)

    def as_png(fig: Figure) -> Any:
        return None if figure_alt(fig) and fig.axes else render(fig)

    as_png._course_alt = True  # type: ignore[attr-defined]
    formatters["text/html"].for_type(Figure, as_html)
    png.for_type(Figure, as_png)
    return True


def apply_style(fig: Figure) -> None:
    """For figures made without pyplot (the widget views): hide the top and right spines of every axes now and
    of axes added later, as ``style()`` does for pyplot figures."""
    for ax in fig.axes:
        ax.spines[["top", "right"]].set_visible(False)


def colours(n: int) -> list[str]:
    """``n`` palette colours, cycling if more are needed."""
    return [COLOURS[i % len(COLOURS)] for i in range(n)]


def label_bars(ax: plt.Axes, values: Sequence[float], fmt: str = "{:g}", *, horizontal: bool = False) -> None:
    """Write each bar's value at its end, so the chart can be read without the axis (and without colour)."""
    for patch, value in zip(ax.patches, values):
        if horizontal:
            xy = (patch.get_x() + patch.get_width(), patch.get_y() + patch.get_height() / 2)
            ax.annotate(fmt.format(value), xy, xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
        else:
            xy = (patch.get_x() + patch.get_width() / 2, patch.get_y() + patch.get_height())
            ax.annotate(fmt.format(value), xy, xytext=(0, 3), textcoords="offset points", ha="center", fontsize=8)


def target(obj: Any, ax: Any, figsize: tuple[float, float] | None = None) -> tuple[Any, plt.Axes]:
    """The ``(obj, ax)`` pair every ``plot_<thing>(obj, ax=None)`` starts with.

    ``ax=None`` makes a new pyplot figure (of ``figsize``). Notebooks written before the one convention passed the
    axes first (``plot_membership(ax, members)``); that order is still accepted, so both calls draw the same chart.
    """
    if isinstance(obj, Axes) and not isinstance(ax, Axes):
        obj, ax = ax, obj
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return obj, ax
