"""What every simulator view shares: one way to redraw, one re-entrancy guard, one way to show a chart.

A view (``<Thing>View`` in ``sims/<x>_view.py``) subclasses :class:`SimView`, builds its controls in
``__init__``, assigns the top widget to ``self.box`` and implements :meth:`SimView.update`. Controls call
:meth:`SimView.changed` (``control.observe(self.changed, names="value")``); code that sets many controls at once
does so inside ``with self.quiet():`` and calls :meth:`SimView.refresh` once at the end. Charts are drawn on a
matplotlib :class:`~matplotlib.figure.Figure` that is not registered with pyplot (no stray inline output) and shown
as PNG bytes in an ``ipywidgets.Image`` by :meth:`SimView.show`, which also gives the image an alt text (the
charts' titles and source captions).
"""

from __future__ import annotations

import base64
import contextlib
import html
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

if TYPE_CHECKING:  # matplotlib is imported when a chart is made, not by quizzes that only need the page script
    from matplotlib.figure import Figure

__all__ = ["SimView", "figure_png", "new_figure", "figure_alt", "label_controls", "name_controls_in_browser",
           "ChartImage"]


def new_figure(width: float, height: float, dpi: int = 90) -> Figure:
    """A figure not registered with pyplot (so nothing is shown twice); :meth:`SimView.show` styles it."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=dpi)


def figure_png(fig: Figure, *, tight: bool = False) -> bytes:
    """The figure as PNG bytes (what an ``ipywidgets.Image`` shows); ``tight`` crops to what is drawn."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight" if tight else None)
    return buffer.getvalue()


def figure_alt(fig: Figure) -> str:
    """A text alternative for a chart (its titles and captions); see :func:`alliance_course.plots.figure_alt`."""
    from alliance_course import plots

    return plots.figure_alt(fig)


class ChartImage(widgets.HTML):
    """A chart in a widget as ``<img alt="…">``: ``ipywidgets.Image`` renders an ``<img>`` without ``alt`` (and
    fails to display at all when given a tooltip), so screen readers could not say what a simulator's chart shows.
    ``png`` holds the image bytes, ``alt`` its text alternative; :meth:`SimView.show` sets both."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("format", None)
        super().__init__(**kwargs)
        self.png: bytes = b""
        self.alt: str = ""

    def set_chart(self, png: bytes, alt: str) -> None:
        self.png, self.alt = png, alt or "Chart"
        data = base64.b64encode(png).decode("ascii")
        self.value = (f'<img class="course-chart" alt="{html.escape(self.alt, quote=True)}" '
                      f'src="data:image/png;base64,{data}" style="max-width: 100%; height: auto">')


def label_controls(box: widgets.Widget) -> None:
    """Give every control inside ``box`` an accessible name when it has none: its description, else its tooltip,
    else its placeholder (screen readers read ``description``/``tooltip``)."""
    stack = [box]
    while stack:
        widget = stack.pop()
        stack.extend(getattr(widget, "children", ()))
        if not isinstance(widget, (widgets.ValueWidget, widgets.Button)) or isinstance(widget, widgets.HTML):
            continue
        tooltip = getattr(widget, "tooltip", None)
        description = getattr(widget, "description", "")
        if not tooltip and description:
            widget.tooltip = description
        elif not tooltip:
            fallback = getattr(widget, "placeholder", "") or type(widget).__name__
            widget.tooltip = fallback


# ipywidgets renders a slider as a <div role="slider"> with no accessible name, and a control whose only name is its
# tooltip gets only a title (or, for number inputs, nothing). This page-level script, shown once per kernel before
# the first simulator or quiz, names every such control after its description (else its tooltip), as axe-core
# asks (aria-input-field-name, label, label-title-only); keeps arrow keys, Enter and Space on a focused control
# instead of JupyterLab's notebook shortcuts; and makes an output that scrolls sideways focusable
# (scrollable-region-focusable). It runs in the browser only; it changes no widget state.
ARIA_SCRIPT = """<script>
(() => {
  if (window.allianceCourseAria) { window.allianceCourseAria(); return; }
  const pick = [".jupyter-widgets [role=slider]:not([aria-label])", ".jupyter-widgets input:not([aria-label])",
                ".jupyter-widgets select:not([aria-label])"].join(", ");
  const nameOf = (control) => {
    const widget = control.closest(".jupyter-widgets");
    const label = widget ? widget.querySelector(".widget-label") : null;
    const text = label ? (label.textContent.trim() || label.title || "") : "";
    return text || control.title || (widget ? widget.title : "") || "";
  };
  const fix = () => {
    for (const control of document.querySelectorAll(pick)) {
      const labelled = control.labels && control.labels.length && control.labels[0].textContent.trim();
      if (control.type === "radio" || labelled) continue;
      const name = nameOf(control);
      if (name) control.setAttribute("aria-label", name);
    }
    // an output wider than the page (a wide table) scrolls sideways: keyboard users must be able to focus it
    for (const output of document.querySelectorAll(".jp-OutputArea-output:not([tabindex])")) {
      if (output.scrollWidth > output.clientWidth + 1) {
        output.tabIndex = 0;
        output.setAttribute("role", "region");
        output.setAttribute("aria-label", "Output (scrolls sideways)");
      }
    }
  };
  let queued = false;
  new MutationObserver(() => {
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; fix(); }); }
  }).observe(document.body, {childList: true, subtree: true});
  window.allianceCourseAria = fix;
  fix();
  // JupyterLab reads arrow keys, Enter and Space as notebook commands (select the next cell, edit the cell) even
  // when a widget control has focus, so a keyboard user could not move a radio choice or a slider. Keep those keys
  // for the control: after the control's own handlers, the key goes no further.
  const keys = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown",
                        "Enter", " "]);
  const stop = (event) => event.stopPropagation();
  window.addEventListener("keydown", (event) => {
    const target = event.target;
    if (!keys.has(event.key) || !(target instanceof Element) || !target.closest(".jupyter-widgets")) return;
    if (target.matches("input, select, button, textarea, [role=slider]")) {
      target.addEventListener("keydown", stop, {once: true});
    }
  }, true);
})();
</script>"""
_aria_shown = False


def name_controls_in_browser() -> None:
    """Show :data:`ARIA_SCRIPT` once per kernel (an empty output; nothing outside a notebook)."""
    global _aria_shown
    if _aria_shown:
        return
    _aria_shown = True
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:  # pragma: no cover
        return
    if get_ipython() is not None:
        display(HTML(ARIA_SCRIPT))


class SimView:
    """Base of every simulator view: ``box`` (the widget to display), :meth:`refresh` (recompute and redraw),
    :meth:`quiet` (change controls without a redraw per change) and :meth:`changed` (the observer for controls)."""

    box: widgets.Widget
    _quiet: bool = False

    def update(self) -> None:
        """Recompute from the controls and redraw. Every view implements this."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Recompute and redraw now (the one redraw entry point), then label any unlabelled control."""
        self.update()
        if hasattr(self, "box") and not getattr(self, "_labelled", False):
            label_controls(self.box)
            self._labelled = True

    @contextlib.contextmanager
    def quiet(self) -> Iterator[None]:
        """Inside this block control changes do not redraw (re-entrancy guard); nesting is allowed."""
        before = self._quiet
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = before

    def changed(self, _change: Any = None) -> None:
        """Observer for controls: redraw unless inside :meth:`quiet`."""
        if not self._quiet:
            self.refresh()

    @staticmethod
    def show(image: widgets.Widget, fig: Figure, *, tight: bool = False) -> None:
        """Put ``fig`` into ``image`` as PNG: a :class:`ChartImage` also gets the chart's alt text (its titles and
        captions); a plain ``ipywidgets.Image`` cannot carry one (and must get no tooltip: its view then fails)."""
        from alliance_course import plots

        plots.apply_style(fig)
        png = figure_png(fig, tight=tight)
        if isinstance(image, ChartImage):
            image.set_chart(png, figure_alt(fig))
        else:
            image.value = png

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        name_controls_in_browser()
        return self.box._repr_mimebundle_(**kwargs)
