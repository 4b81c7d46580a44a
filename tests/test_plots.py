"""The chart helpers: the palette is the Okabe–Ito set, captions and bar labels land on the axes."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from alliance_course import plots  # noqa: E402


def test_palette_is_okabe_ito_and_distinct():
    assert len(set(plots.COLOURS)) == len(plots.COLOURS)
    assert plots.PALETTE["blue"] == "#0072B2" and plots.PALETTE["vermillion"] == "#D55E00"
    assert plots.colours(9)[7] == plots.COLOURS[0]  # cycles


def test_style_sets_the_colour_cycle():
    plots.style()
    cycle = [c["color"] for c in matplotlib.rcParams["axes.prop_cycle"]]
    assert cycle == plots.COLOURS


def test_caption_and_bar_labels():
    fig, ax = plt.subplots()
    ax.barh(["a", "b"], [3, 12])
    plots.label_bars(ax, [3, 12], horizontal=True)
    plots.caption(ax, "NATO (2025)")
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["3", "12", "Source: NATO (2025)"]
    plt.close(fig)


def _extent(artist, fig):
    fig.canvas.draw()
    return artist.get_window_extent(fig.canvas.get_renderer())


def test_caption_places_itself_under_tick_labels_and_a_legend_hung_below():
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot([0, 1], [0, 1], label="one")
    ax.plot([0, 1], [1, 0], label="two")
    ax.set_xticks([0, 1], ["0\nalliance", "1\ncoalition"])  # two-line tick labels, as lesson 01 draws them
    ax.set_xlabel("score")
    legend = ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=2)
    caption = plots.caption(ax, "course table coalition_coding")
    text, below = _extent(caption, fig), _extent(legend, fig)
    ticks = ax.xaxis.get_tightbbox(fig.canvas.get_renderer())
    assert text.y1 <= below.y0 + 0.5 and text.y1 <= ticks.y0 + 0.5  # under the legend and the axis, not over them
    plt.close(fig)


def test_no_lesson_hand_tunes_a_caption():
    import json
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    tuned = []
    for folder in ("notebooks", "solutions"):
        for path in sorted((root / folder).glob("*.ipynb")):
            for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
                if cell["cell_type"] == "code" and re.search(r"caption\([^)]*\by=", "".join(cell["source"])):
                    tuned.append(f"{folder}/{path.name} {cell['id']}")
    assert not tuned, f"captions place themselves; drop the y= in: {tuned}"


def _svg_box(svg: str) -> tuple[list[float], tuple[int, int]]:
    import re

    head = re.search(r'<svg [^>]*>', svg).group(0)
    box = [float(v) for v in re.search(r'viewBox="([^"]+)"', head).group(1).split()]
    size = (int(re.search(r'width="(\d+)"', head).group(1)), int(re.search(r'height="(\d+)"', head).group(1)))
    return box, size


def test_figure_svg_is_cropped_like_the_inline_backends_png_and_keeps_the_caption():
    import io
    import re

    from PIL import Image

    plots.style()
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.barh(["a long category name", "b"], [3, 12])
    ax.set_title("Two bars")
    ax.legend(["bars"], loc="upper center", bbox_to_anchor=(0.5, -0.25))  # hung below the axes
    plots.caption(ax, "a test")  # lands below the legend, outside the 6 × 3 in canvas
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")  # what the inline backend shows
    png_size = Image.open(buffer).size
    svg = plots.figure_svg(fig)
    assert fig.dpi == 100  # restored after drawing at 72 points per inch
    (x0, y0, w, h), size = _svg_box(svg)
    assert abs(size[0] - png_size[0]) <= 3 and abs(size[1] - png_size[1]) <= 3, (size, png_size)
    assert h > 3 * 72 and x0 < 0  # grown below for the caption, left for the long tick label
    caption_y = float(re.search(r'y="([\d.]+)"[^>]*>Source: a test</text>', svg).group(1))
    assert y0 < caption_y < y0 + h  # the caption is inside what is shown
    assert ">Two bars</text>" in svg and ">a long category name</text>" in svg  # text stays text
    full, full_size = _svg_box(plots.figure_svg(fig, tight=False))
    assert full == [0.0, 0.0, 432.0, 216.0] and full_size == (600, 300)
    plt.close(fig)


def _svg_background(svg: str) -> str:
    import re

    head = re.search(r"<svg [^>]*>", svg).group(0)
    return re.search(r"background-color: ([^\";]+)", head).group(1)


def test_figure_svg_keeps_a_transparent_background_transparent():
    """The inline backend's PNG of a figure with ``facecolor="none"`` is transparent; the SVG's background (which
    also fills the margin grown for a caption) must not turn it black, with black text on it."""
    from matplotlib.colors import to_rgba
    from matplotlib.figure import Figure

    for face in ("none", (1.0, 0.0, 0.0, 0.5)):
        fig = Figure(figsize=(3, 2))
        fig.set_facecolor(face)
        ax = fig.add_subplot()
        ax.plot([1, 2])
        plots.caption(ax, "a test")
        background = to_rgba(_svg_background(plots.figure_svg(fig)))
        assert background == pytest.approx(to_rgba(face), abs=0.01), (face, background)
    opaque = Figure(figsize=(3, 2))
    opaque.add_subplot().plot([1, 2])
    assert _svg_background(plots.figure_svg(opaque)) == "#ffffff"  # an ordinary chart: unchanged


def test_figure_svg_draws_the_same_figure_the_same_way_twice():
    """Drawing twice gives the same document (no random clip-path ids): a redraw with nothing changed sends
    nothing new to the browser, and saved notebooks do not change on every run."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.plot([1, 2, 3], marker="o")
    ax.set_title("Twice")
    plots.caption(ax, "a test")
    first = plots.figure_svg(fig)
    assert "clip-path" in first and plots.figure_svg(fig) == first
    assert matplotlib.rcParams["svg.hashsalt"] is None  # the user's setting is left alone


def _course_chart():
    """A chart as the lessons draw them: title, bars with long labels, a legend hung below, a source caption."""
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.barh(["a long category name", "b", "c"], [3, 12, 7], label="bars")
    ax.set_title("Three bars")
    ax.set_xlabel("value (units)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3))
    plots.caption(ax, "a test")
    return fig


class _NoCache:
    """Stands in for plots._CAPTION_PLACES: every caption measured afresh, as outside figure_svg."""

    def get(self):
        return None

    def set(self, value):
        return None

    def reset(self, token):
        return None


def _constrained():
    """A layout engine moves the axes while the figure is drawn."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5, 3), layout="constrained")
    ax = fig.add_subplot()
    ax.plot([0, 1000], [1, 2])
    ax.set_title("Moved by the layout")
    plots.caption(ax, "a test")
    return fig


def _counting_x_measurements(fig, calls):
    ax = fig.axes[0]
    measure = ax.xaxis.get_tightbbox
    ax.xaxis.get_tightbbox = lambda *a, **k: calls.append(1) or measure(*a, **k)
    return fig


def test_a_caption_is_measured_once_per_drawing_and_lands_in_the_same_place(monkeypatch):
    for make in (_course_chart, _constrained):
        cached_calls, fresh_calls = [], []
        cached = plots.figure_svg(_counting_x_measurements(make(), cached_calls))
        with monkeypatch.context() as patch:
            patch.setattr(plots, "_CAPTION_PLACES", _NoCache())
            fresh = plots.figure_svg(_counting_x_measurements(make(), fresh_calls))
        assert cached == fresh  # two figures built alike, drawn with and without the cache
        assert len(cached_calls) < len(fresh_calls), (len(cached_calls), len(fresh_calls))
    plt.close("all")


def _many_kinds_of_text():
    """Texts whose line metrics differ: sizes, families and fonts (DejaVu's faces share their metrics, STIX and
    Computer Modern have their own), a font file given by path, several lines, rotation, mathtext, a legend, a
    figure at another dpi, a layout engine. (matplotlib's own fonts have the same metrics in every weight and
    style of a family, so no chart here can tell weights apart; the key holds them anyway.)"""
    from pathlib import Path

    from matplotlib.figure import Figure

    cmr10 = Path(matplotlib.get_data_path(), "fonts", "ttf", "cmr10.ttf")
    charts = []
    for dpi, layout in ((100, None), (150, "constrained"), (72, "tight")):
        fig = Figure(figsize=(6, 4), dpi=dpi, layout=layout)
        left, right = fig.subplots(1, 2)
        left.bar(["one", "two\nlines", "three"], [3, 1, 2], label="bars")
        left.set_title("A bold title\non two lines", fontweight="bold", fontsize=14)
        left.set_ylabel(r"share of GDP ($\%$)", fontfamily="serif")
        left.tick_params(axis="x", labelrotation=35)
        left.legend(title="Legend", fontsize=7)
        right.plot([0, 1e7], [0, 1])
        right.text(0.1, 0.5, "mono\nspaced\ntext", fontfamily="monospace", fontstyle="italic", linespacing=2)
        # the size of the tick labels (10 pt): only the font itself tells these texts' metrics apart
        right.text(0.1, 0.2, "STIX on\ntwo lines", fontfamily="STIXGeneral", fontsize=10)
        right.text(0.6, 0.2, "Computer\nModern", font=cmr10, fontsize=10)
        right.annotate("rotated", (0.5, 0.5), rotation=90, fontsize=20, fontstretch="condensed")
        fig.suptitle("Suptitle", fontsize=16)
        plots.caption(right, "a test")
        charts.append(fig)
    return charts


def test_figure_svg_remembers_font_metrics_and_draws_the_same_svg(monkeypatch):
    """On the matplotlib release it was checked against, the renderer answers matplotlib's font-metrics question
    itself (faster): the SVG is the same to the byte as matplotlib's own answer gives, and matplotlib does ask. On
    any other release the renderer leaves the question to matplotlib."""
    renderer = plots._svg_renderer()
    if tuple(matplotlib.__version_info__[:2]) not in plots._FONT_HEIGHTS_RELEASES:
        assert not hasattr(renderer, "_get_font_height_metrics")
        return
    asked = []
    answer = renderer._get_font_height_metrics
    monkeypatch.setattr(renderer, "_get_font_height_metrics",
                        lambda self, prop: asked.append(answer(self, prop)) or asked[-1])
    remembered = [plots.figure_svg(fig) for fig in _many_kinds_of_text()]
    assert len(asked) > 100 and None not in {height for heights in asked for height in heights}
    monkeypatch.delattr(renderer, "_get_font_height_metrics")
    assert not hasattr(renderer, "_get_font_height_metrics")  # matplotlib measures for itself again
    measured = [plots.figure_svg(fig) for fig in _many_kinds_of_text()]
    assert remembered == measured


def test_remembered_font_metrics_follow_the_figures_dpi_and_the_font_lists():
    """A text measured at another dpi (``get_window_extent(dpi=…)``), or after the sans-serif list changed, gets
    those metrics, not the first ones remembered."""
    import io

    from matplotlib.backends.backend_svg import RendererSVG
    from matplotlib.figure import Figure

    fig = Figure(dpi=72)
    text = fig.text(0.5, 0.5, "two\nlines", fontsize=12)
    ours = plots._svg_renderer()(fig, 100, 100, io.StringIO())
    plain = RendererSVG(100, 100, io.StringIO())

    def heights(dpi):
        return text.get_window_extent(ours, dpi=dpi).height, text.get_window_extent(plain, dpi=dpi).height

    for dpi in (72, 150, 72):
        ours_height, plain_height = heights(dpi)
        assert ours_height == plain_height
    with matplotlib.rc_context({"font.sans-serif": ["STIXGeneral"]}):
        ours_height, plain_height = heights(72)
    assert ours_height == plain_height != heights(72)[0]


def test_a_caption_beside_a_legend_placed_best():
    """ax.legend() places the legend "best", measuring every text on the axes, the caption too, which measures the
    legend: this recursed until Python gave up (RecursionError), in the notebook and in savefig."""
    import io

    fig, ax = plt.subplots(figsize=(5, 3))
    ax.plot([0, 1], [0, 1], label="one")
    ax.plot([0, 1], [1, 0], label="two")
    ax.set_xlabel("x")
    ax.legend()
    caption = plots.caption(ax, "a test")
    assert "Source: a test" in plots.figure_svg(fig)
    fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")
    text = _extent(caption, fig)
    assert text.y1 <= ax.xaxis.get_tightbbox(fig.canvas.get_renderer()).y0 + 0.5  # still under the x-axis
    plt.close(fig)


_FREEZE_PROBE = """
import gc, sys
import matplotlib; matplotlib.use("Agg")
import matplotlib.pyplot as plt
from IPython.core.interactiveshell import InteractiveShell
from alliance_course import plots
case = sys.argv[1]
if case != "script":
    shell = InteractiveShell.instance()
    shell.kernel = object()  # what alliance_course._common.in_kernel() looks for
    shell.user_ns["In"] = ["", "import ...", "more"] if case.startswith("later-cell") else ["", "import ..."]
    shell.user_ns["pd"] = sys  # an imported module
    if case == "later-cell":
        shell.user_ns["table"] = [1, 2, 3]  # something of the learner's
if case == "figure-open":
    plt.figure()
plots.style()
frozen = gc.get_freeze_count()
later = [[i] for i in range(50_000)]
plots.style()  # the first cell run again: nothing made since may be frozen
print(frozen, gc.get_freeze_count())
"""


@pytest.mark.parametrize("case, freezes", [("first-cell", True), ("script", False), ("later-cell", False),
                                           ("later-cell-imports-only", True), ("figure-open", False)])
def test_style_freezes_the_imported_objects_only_at_a_kernels_start(case, freezes):
    """style() moves what the imports built out of the garbage collector's way: a frozen object is never freed, so
    only at a kernel's start (its first cell, or a later one while the notebook has defined nothing but modules),
    with no figure open, once (never in scripts or tests)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _FREEZE_PROBE, case], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    first, second = map(int, done.stdout.split())
    assert (first > 10_000) == freezes, (case, first)
    assert second <= first, (case, first, second)  # the second call froze nothing new
