"""The alliance–coalition profiler's charts and widget: the view over :mod:`.profiler`."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
import numpy as np
import pandas as pd
from matplotlib.image import AxesImage

from alliance_course import plots
from alliance_course._display import ChartImage, SimView, new_figure
from alliance_course.sims import profiler as pf

__all__ = ["plot_profiles", "plot_grid", "ProfilerView", "widget"]


def plot_profiles(profiles: Mapping[str, Mapping[str, int]], ax: plt.Axes | None = None,
                  dims: Iterable[pf.Dimension] | None = None) -> plt.Axes:
    """Dot plot of one or more profiles: dimensions down the side, 0 (alliance) to 4 (coalition) across.

    Each profile gets its own colour and marker (never colour alone); points are nudged apart vertically (0.25 of
    a row per profile, less when there are many) and every profile after the first has hollow markers, so equal
    scores stay visible. The caller adds the title and the source caption.
    """
    profiles, ax = plots.target(profiles, ax, figsize=(8, 3.8))
    dims = tuple(dims) if dims is not None else pf.dimensions()
    n = len(profiles)
    step = min(0.25, 0.8 / (n - 1)) if n > 1 else 0.0
    for i, (name, scores) in enumerate(profiles.items()):
        offset = (i - (n - 1) / 2) * step
        y = [row + offset for row in range(len(dims))]
        colour = plots.COLOURS[i % len(plots.COLOURS)]
        ax.plot([scores.get(d.key, np.nan) for d in dims], y, linestyle=":", linewidth=1, color=colour,
                marker=plots.MARKERS[i % len(plots.MARKERS)], markersize=8, label=name,
                markerfacecolor=colour if i == 0 else "none", markeredgewidth=1.6, zorder=3 + i)
    ax.set_yticks(range(len(dims)), [d.label for d in dims])
    ax.invert_yaxis()
    ax.set_xticks(pf.SCALE, ["0\nalliance", "1", "2", "3", "4\ncoalition"])
    ax.set_xlim(-0.3, 4.3)
    ax.set_xlabel("Score on the course's scale (0 = typical alliance, 4 = typical coalition)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def plot_grid(grid: pd.DataFrame, ax: plt.Axes | None = None) -> AxesImage:
    """Heatmap of a cases x dimensions table of scores 0-4, each score written in its cell (not colour alone).

    Uses the colour-blind-safe 'cividis' map: dark blue = 0 (alliance) to yellow = 4 (coalition). Returns the
    image, for ``fig.colorbar`` (the one chart function that returns its image rather than the axes: the colour
    bar needs it; the axes are ``image.axes``). Missing scores are left blank.
    """
    grid, ax = plots.target(grid, ax)
    values = grid.to_numpy(dtype=float, na_value=np.nan)
    image = ax.imshow(values, cmap="cividis", vmin=0, vmax=4, aspect="auto")
    ax.set_xticks(range(grid.shape[1]), [str(c) for c in grid.columns], rotation=30, ha="right")
    ax.set_yticks(range(grid.shape[0]), [str(i) for i in grid.index])
    for (row, col), value in np.ndenumerate(values):
        if not np.isnan(value):
            ax.text(col, row, f"{value:g}", ha="center", va="center", fontsize=9,
                    color="white" if value < 2 else "black")
    ax.grid(False)
    ax.tick_params(length=0)
    return image


# --- the widget -------------------------------------------------------------------------------------------------

class ProfilerView(SimView):
    """Sliders for a prediction, a **Compare** button that reveals the course's coding, and the comparison.

    The course's coding stays hidden until the learner presses Compare (predict first); choosing another case
    resets the sliders and hides it again. After a comparison, moving a slider updates it. Tests drive it from
    Python: ``view.case.value = "nato"``, ``view.sliders["purpose"].value = 3``, ``view.compare.click()``.
    """

    def __init__(self, case_id: str | None = None) -> None:
        self.dimensions = pf.dimensions()
        choices = pf.case_choices()
        self.case = widgets.Dropdown(options=choices, value=case_id or choices[0][1], description="Case:",
                                     layout=widgets.Layout(width="max-content"))
        self.sliders: dict[str, Any] = {}
        rows = []
        for d in self.dimensions:
            slider = widgets.IntSlider(value=2, min=0, max=4, step=1, description=d.label,
                                       style={"description_width": "13em"},
                                       layout=widgets.Layout(width="28em"))
            slider.observe(self._on_slide, names="value")
            self.sliders[d.key] = slider
            rows.append(widgets.HBox([slider, widgets.HTML(f"<span style='color:#444'>{html.escape(d.question)}"
                                                           "</span>")]))
        self.compare = widgets.Button(description="Compare with the course", button_style="primary",
                                      icon="balance-scale", layout=widgets.Layout(width="16em"))
        self.compare.on_click(self._on_compare)
        self.result = widgets.HTML(_WAITING)
        self.image = ChartImage(layout=widgets.Layout(width="720px", display="none"))
        self.comparison: pf.Comparison | None = None
        self.case.observe(self._on_case, names="value")
        legend = widgets.HTML("<p><strong>0</strong> = typical alliance · <strong>4</strong> = typical coalition "
                              "· 1–3 in between. Open the panel below for what 0 and 4 mean on each dimension.</p>")
        poles = widgets.Accordion(children=[widgets.HTML(_poles_html(self.dimensions))])
        poles.set_title(0, "What do 0 and 4 mean on each dimension?")
        poles.selected_index = None
        self.box = widgets.VBox([widgets.HTML(_STYLE), self.case, legend, poles, *rows, self.compare,
                                 self.result, self.image])
        self.box.add_class("profiler")

    def placement(self) -> dict[str, int]:
        """The sliders' current values, by dimension key."""
        return {key: int(slider.value) for key, slider in self.sliders.items()}

    def update(self) -> None:
        """Compare the placement with the course's coding and draw both profiles."""
        self.comparison = pf.compare(self.case.value, self.placement())
        self.result.value = self.comparison._repr_html_() + _nearest_html(self.placement())
        comparison = self.comparison

        def figure() -> Figure:
            fig = new_figure(8, 3.8, dpi=100)
            ax = plot_profiles({"Your placement": comparison.placement, "Course coding": comparison.coding.scores},
                               fig.add_subplot(), self.dimensions)
            ax.set_title(f"{comparison.coding.name}: you and the course")
            plots.caption(ax, "your placement; course table coalition_coding")
            return fig

        self.show(self.image, figure, tight=True)
        self.image.layout.display = None

    def _on_compare(self, _button: Any = None) -> None:
        self.refresh()

    def _on_slide(self, _change: Any) -> None:
        if self.comparison is not None and not self._quiet:
            self.refresh()

    def _on_case(self, _change: Any) -> None:
        self.comparison = None
        with self.quiet():
            for slider in self.sliders.values():
                slider.value = 2
        self.result.value = _WAITING
        self.image.layout.display = "none"


_WAITING = ("<p><em>Place the case on each dimension first (your prediction), then press "
            "<strong>Compare with the course</strong>.</em></p>")
_STYLE = """<style>
.profiler .widget-html-content { white-space: normal; line-height: 1.35; }
.profiler-table { border-collapse: collapse; margin-top: 0.5em; }
.profiler-table th, .profiler-table td { padding: 3px 8px; border-bottom: 1px solid #ddd; vertical-align: top; }
</style>"""


def _poles_html(dims: Iterable[pf.Dimension]) -> str:
    rows = "".join(f"<tr><td><strong>{html.escape(d.label)}</strong></td><td>{html.escape(d.alliance_pole)}</td>"
                   f"<td>{html.escape(d.coalition_pole)}</td></tr>" for d in dims)
    return ("<table class='profiler-table'><thead><tr><th>Dimension</th><th>0 = typical alliance</th>"
            f"<th>4 = typical coalition</th></tr></thead><tbody>{rows}</tbody></table>")


def _nearest_html(placement: Mapping[str, int]) -> str:
    items = ", ".join(f"{html.escape(name)} ({gap:.1f})" for _, name, gap in pf.nearest(placement))
    return f"<p>The course cases whose coding is nearest to your placement (mean gap in points): {items}.</p>"


def widget(case_id: str | None = None) -> ProfilerView:
    """The profiler as a widget (display it as the last line of a cell)."""
    return ProfilerView(case_id)
