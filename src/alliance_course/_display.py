"""What every simulator view shares: one way to redraw, one re-entrancy guard, one way to show a chart.

A view (``<Thing>View`` in ``sims/<x>_view.py``) subclasses :class:`SimView`, builds its controls in
``__init__``, assigns the top widget to ``self.box`` and implements :meth:`SimView.update`. Controls call
:meth:`SimView.changed` (``control.observe(self.changed, names="value")``); code that sets many controls at once
does so inside ``with self.quiet():`` and calls :meth:`SimView.refresh` once at the end. Charts are drawn on a
matplotlib :class:`~matplotlib.figure.Figure` that is not registered with pyplot (no stray inline output) and shown
by :meth:`SimView.show` in a :class:`ChartImage`: an SVG ``<img>`` with an alt text (the charts' titles and source
captions), drawn when a browser first shows it. Views pass a function that makes the figure, so a chart nobody
sees is never built.
"""

from __future__ import annotations

import base64
import contextlib
import html
import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from alliance_course._common import in_kernel

if TYPE_CHECKING:  # matplotlib is imported when a chart is made, not by quizzes that only need the page script
    from matplotlib.figure import Figure

__all__ = ["SimView", "new_figure", "figure_alt", "label_controls", "name_controls_in_browser",
           "ChartImage", "widget_bundle", "shared", "PENDING", "FAILED"]


def new_figure(width: float, height: float, dpi: int = 90) -> Figure:
    """A figure not registered with pyplot (so nothing is shown twice); :meth:`SimView.show` styles it."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=dpi)


def figure_alt(fig: Figure) -> str:
    """A text alternative for a chart (its titles and captions); see :func:`alliance_course.plots.figure_alt`."""
    from alliance_course import plots

    return plots.figure_alt(fig)


#: What a simulator's chart says before it is drawn (it is drawn as soon as a browser shows it; in a page saved
#: from a run that no browser watched, this stays).
PENDING = ('<p class="course-chart-pending">The chart is drawn when this output is shown in JupyterLab or '
           "Voil\u00e0.</p>")
#: What a chart says when its figure could not be drawn (the error in a few words; a drawn chart replaces it).
FAILED = '<p class="course-chart-failed" role="alert">\u26a0 This chart could not be drawn ({}).</p>'


class ChartImage(widgets.HTML):
    """A simulator's chart as ``<img alt="…">`` (``ipywidgets.Image`` renders an ``<img>`` without ``alt``, so
    screen readers could not say what a chart shows), drawn only when it is on a page.

    :meth:`SimView.show` hands it a figure or a function making one. In a kernel the widget counts its views in the
    browser (ipywidgets' ``_view_count``): the first chart is drawn when the first view appears, so running a lesson
    does not pay for charts nobody is looking at, and later charts (after a slider moves) are drawn at once. Outside
    a kernel (scripts, tests) it draws at once. Reading ``svg`` or ``alt`` draws a pending chart first.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("format", None)
        super().__init__(**kwargs)
        self._svg = ""
        self._alt = ""
        self._pending: tuple[Callable[[], Figure], bool] | None = None
        if in_kernel() is not None:
            self._view_count = 0  # ask the browser to report its views of this widget
            self.observe(self._on_views, names="_view_count")

    @property
    def svg(self) -> str:
        """The chart as an SVG document (drawn now if it was waiting to be shown)."""
        self.draw_pending()
        return self._svg

    @property
    def alt(self) -> str:
        """The chart's text alternative: its titles and source captions."""
        self.draw_pending()
        return self._alt

    @property
    def on_page(self) -> bool:
        """Whether a browser shows this widget (always True outside a kernel, where nothing is counted)."""
        return self._view_count is None or self._view_count > 0

    def set_figure(self, make: Figure | Callable[[], Figure], *, tight: bool = False) -> None:
        """Show the chart ``make`` draws (a figure, or a function returning one): now if on a page, else when
        the first view appears."""
        self._pending = ((lambda: make) if not callable(make) else make, tight)
        if self.on_page:
            self.draw_pending()
        elif self.value != PENDING:
            self.value = PENDING

    def draw_pending(self) -> None:
        if self._pending is None:
            return
        make, tight = self._pending
        self._pending = None
        from alliance_course import plots

        try:
            fig = make()
            plots.apply_style(fig)
            svg = plots.figure_svg(fig, tight=tight)
            alt = figure_alt(fig) or "Chart"
        except Exception as error:
            # Say so in the chart's place (not the previous chart, nor "drawn when shown" for ever), then raise.
            self._svg = self._alt = ""
            self.value = FAILED.format(html.escape(f"{type(error).__name__}: {error}"[:300], quote=False))
            raise
        self._svg, self._alt = svg, alt
        data = base64.b64encode(self._svg.encode("utf-8")).decode("ascii")
        self.value = (f'<img class="course-chart" alt="{html.escape(self._alt, quote=True)}" '
                      f'src="data:image/svg+xml;base64,{data}" style="max-width: 100%; height: auto">')

    def _on_views(self, change: dict[str, Any]) -> None:
        if (change["new"] or 0) > 0:
            try:
                self.draw_pending()
            except Exception:  # noqa: BLE001 - in ipykernel's comm handler: the chart says so (FAILED); log it
                logging.getLogger(__name__).exception("A simulator chart could not be drawn")


WIDGET_MIMETYPE = "application/vnd.jupyter.widget-view+json"
_SHARED: dict[tuple[Any, ...], widgets.Widget] = {}


def shared(kind: type[widgets.Widget], **traits: Any) -> widgets.Widget:
    """One ``Layout`` or style model (``kind(**traits)``) for every control that looks the same.

    Every ipywidgets control otherwise creates its own layout and style models, each a message channel to the
    browser: sharing them halves the models a quiz or a simulator's grid opens, and with them the time it takes
    to show. Only for looks that are never changed afterwards (a view that hides its chart keeps its own layout).
    """
    key = (kind, tuple(sorted(traits.items())))
    model = _SHARED.get(key)
    if model is None or model.comm is None:  # new, or closed (``Widget.close_all()``)
        model = _SHARED[key] = kind(**traits)
    return model


def widget_bundle(widget: widgets.Widget, text: str) -> dict[str, Any]:
    """What displaying ``widget`` sends, with ``text`` as its plain-text form. ipywidgets' own
    ``_repr_mimebundle_`` builds the plain text from ``repr()`` of the whole widget tree (a quiz: some 300 nested
    reprs, a sixth of the time it takes to show) only to cut it to 110 characters."""
    return {"text/plain": text,
            WIDGET_MIMETYPE: {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}}


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
# (scrollable-region-focusable); and shows a one-choice quiz question's feedback as soon as Submit is clicked (see
# QuestionView._instant_feedback). It runs in the browser only; it changes no widget state.
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
  // Instant quiz feedback: a question answered by one choice carries, as inert JSON written by the kernel, the
  // feedback to each choice (alliance_course.quiz.view). Show it when Submit is clicked; the kernel, which grades,
  // counts and saves the answer, sends the same words a moment later.
  document.addEventListener("click", (event) => {
    const target = event.target;
    const button = target instanceof Element ? target.closest(".quiz-question button") : null;
    if (!button || button.textContent.trim() !== "Submit") return;
    const box = button.closest(".quiz-question");
    const data = box.querySelector("script.quiz-instant");
    const feedback = box.querySelector(".quiz-feedback .widget-html-content");
    if (!data || !feedback) return;
    let bodies;
    try { bodies = JSON.parse(data.textContent); } catch (error) { return; }
    const chosen = Array.from(box.querySelectorAll("input[type=radio]")).findIndex((radio) => radio.checked);
    const body = bodies[String(chosen)];
    if (typeof body === "string") feedback.innerHTML = body;
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
    def show(image: ChartImage, fig: Figure | Callable[[], Figure], *, tight: bool = False) -> None:
        """Show the chart ``fig`` (a figure, or a function making one) in ``image``, drawn as SVG with the chart's
        alt text when a browser shows it (see :class:`ChartImage`)."""
        image.set_figure(fig, tight=tight)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        name_controls_in_browser()
        return widget_bundle(self.box, f"{type(self).__name__} (an interactive simulator: run it in JupyterLab)")
