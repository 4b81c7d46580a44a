"""The force generation conference as a widget: a thin ipywidgets view over :mod:`.force_generation`.

One column per nation card: how many units it offers on each requirement line (at most its capacity) and which
caveats it attaches. Below the table, a chart of the fill rate on paper and the usable fill rate per phase, and
a plain-text summary (binding shortfall, the lead nation's share of the usable units). Two buttons: the lead
nation fills the gaps it can, and reset to the starting offers. All the counting is done by
:func:`~.force_generation.evaluate`; this module only turns widget values into offers and shows the result.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

import ipywidgets as widgets
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from alliance_course._display import ChartImage, SimView, new_figure, shared
from alliance_course.plots import PALETTE, caption
from alliance_course.sims import force_generation as fg

__all__ = ["ForceGenerationView", "plot_outcome", "widget"]

_LABEL_WIDTH, _CELL_WIDTH = 230, 70
_HEADER = "<div style='font-size:12px;line-height:1.15;font-weight:bold'>{}</div>"


def plot_outcome(outcome: fg.Outcome, ax: plt.Axes | None = None) -> plt.Axes:
    """Grouped bars per phase: the share of the requirement filled on paper and the share that is usable (means
    over the lines), with each phase's weakest line marked (a diamond at its usable fill) and named."""
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.2))
    labels = [p.label for p in outcome.phases]
    x = range(len(labels))
    width = 0.38
    paper = [100 * p.fill_rate for p in outcome.phases]
    usable = [100 * p.usable_fill_rate for p in outcome.phases]
    bars_paper = ax.bar([i - width / 2 for i in x], paper, width, label="Filled on paper",
                        color=PALETTE["sky"], edgecolor="black", linewidth=0.6)
    bars_usable = ax.bar([i + width / 2 for i in x], usable, width, label="Usable (caveats applied)",
                         color=PALETTE["blue"], hatch="//", edgecolor="black", linewidth=0.6)
    for bar, value in zip(bars_paper, paper):
        ax.annotate(f"{value:.0f}%", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    xytext=(0, 2), textcoords="offset points", ha="center", fontsize=8)
    # The mean can hide the line that decides: mark each phase's weakest line on its usable bar and name it.
    weakest_x, weakest_y = [], []
    for bar, value, phase in zip(bars_usable, usable, outcome.phases):
        weakest = phase.weakest_line
        text = f"{value:.0f}%"
        if weakest is not None and weakest.usable_fill < 1.0:
            line = outcome.scenario.line(weakest.line)
            text += f" avg\n{line.short_label}: {min(weakest.usable, weakest.required)}/{weakest.required}"
            weakest_x.append(bar.get_x() + bar.get_width() / 2)
            weakest_y.append(100 * weakest.usable_fill)
        ax.annotate(text, (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    xytext=(0, 2), textcoords="offset points", ha="center", fontsize=8)
    if weakest_x:
        ax.scatter(weakest_x, weakest_y, marker="D", s=36, color=PALETTE["vermillion"], edgecolor="black",
                   zorder=3, label="Weakest line (usable %)")
    ax.set_xticks(list(x), labels)
    ax.set_ylim(0, 135)
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel("Requirement filled (%, mean over lines)")
    ax.set_xlabel("Mission phase")
    ax.set_title(f"{outcome.scenario.title}: filled on paper vs usable")
    ax.legend(loc="upper center", ncol=3, fontsize=8)
    caption(ax, f"course simulation, scenario '{outcome.scenario.name}' (illustrative nations and numbers, "
                "not real data)")
    return ax


def widget(scenario_name: str = "stabilisation", seed: int | None = None,
           offers: Iterable[fg.Offer] | None = None) -> ForceGenerationView:
    """The force generation conference as an interactive table."""
    return ForceGenerationView(fg.scenario(scenario_name), seed=seed, offers=offers)


def _text(value: str) -> widgets.HTML:
    """A text cell of the conference table (shared layout and style)."""
    return widgets.HTML(value, layout=shared(widgets.Layout), style=shared(HTMLStyle))


class ForceGenerationView(SimView):
    """The conference table. ``units[(nation, line)]`` and ``caveat_boxes[(nation, caveat)]`` are the controls;
    ``outcome`` is the current :class:`~.force_generation.Outcome`; ``box`` is the widget to display."""

    def __init__(self, scenario: fg.Scenario, seed: int | None = None,
                 offers: Iterable[fg.Offer] | None = None) -> None:
        self.scenario = scenario
        self.start = tuple(offers) if offers is not None else fg.draw_offers(scenario, seed)
        self.units: dict[tuple[str, str], widgets.BoundedIntText] = {}
        self.caveat_boxes: dict[tuple[str, str], widgets.Checkbox] = {}

        nations = scenario.nations
        # The grid's many cells share their layout and style models (see _display.shared): half the models.
        cell_layout = shared(widgets.Layout, width=f"{_CELL_WIDTH}px")
        blanks = [_text("") for _ in nations]
        cells: list[widgets.Widget] = [_text("")]
        for nation in nations:
            role = "lead" if nation.id == scenario.lead else ("" if nation.ally else "partner")
            cells.append(_text(_HEADER.format(escape(nation.name) + (f"<br>({role})" if role else ""))))
        cells += [_text("<b>Units offered</b> (up to the card)"), *blanks]
        for line in scenario.lines:
            cells.append(_text(escape(line.label)))
            for nation in nations:
                capacity = nation.capacity.get(line.id, 0)
                # The description is the input's accessible name (a <label for=…>); the column and row headers
                # show it, so the label itself takes no width.
                name = f"{nation.name}: {line.label} (0 to {capacity})"
                control = widgets.BoundedIntText(value=0, min=0, max=capacity, disabled=capacity == 0,
                                                 description=name,
                                                 style=shared(DescriptionStyle, description_width="0px"),
                                                 layout=cell_layout, tooltip=name)
                control.observe(self.changed, names="value")
                self.units[nation.id, line.id] = control
                cells.append(control)
        cells += [_text("<b>Caveats attached</b> (ticked)"), *(_text("") for _ in nations)]
        for caveat in scenario.caveats:
            cells.append(_text(f"✗ {escape(caveat.short_label)} <small>({caveat.kind})</small>"))
            for nation in nations:
                box = widgets.Checkbox(value=False, indent=False, description="", layout=cell_layout,
                                       style=shared(CheckboxStyle), tooltip=f"{nation.name}: {caveat.label}")
                box.observe(self.changed, names="value")
                self.caveat_boxes[nation.id, caveat.id] = box
                cells.append(box)
        self.table = widgets.GridBox(cells, layout=widgets.Layout(
            grid_template_columns=f"{_LABEL_WIDTH}px repeat({len(nations)}, {_CELL_WIDTH}px)",
            grid_gap="2px 6px", align_items="center"))

        self.fill_button = widgets.Button(description="Lead nation fills the gaps", icon="plus",
                                          layout=widgets.Layout(width="230px"),
                                          tooltip=f"{scenario.lead_nation.name} adds what it can to close gaps")
        self.reset_button = widgets.Button(description="Reset to the starting offers", icon="undo",
                                           layout=widgets.Layout(width="230px"))
        self.fill_button.on_click(self._fill)
        self.reset_button.on_click(self._reset)
        self.image = ChartImage(layout=widgets.Layout(width="700px"))
        self.summary = widgets.HTML()
        legend = "<br>".join(f"<b>✗ {escape(c.short_label)}</b> ({c.kind}): {escape(c.label)}"
                             for c in scenario.caveats)
        intro = widgets.HTML(
            f"<b>{escape(scenario.title)}</b>: invented nations and numbers, for illustration only. "
            "One column per nation: the units it offers on each requirement line (up to its card), then the "
            "caveats it attaches (ticked = attached).")
        self.box = widgets.VBox([intro, self.table, widgets.HTML(f"<small>{legend}</small>"),
                                 widgets.HBox([self.fill_button, self.reset_button]), self.image, self.summary])
        self.outcome: fg.Outcome
        self.set_offers(self.start)

    # --- state ------------------------------------------------------------------------------------------------
    def offers(self) -> tuple[fg.Offer, ...]:
        """The offers the table shows now (nations offering nothing are left out)."""
        result = []
        for nation in self.scenario.nations:
            units = {line.id: self.units[nation.id, line.id].value for line in self.scenario.lines
                     if self.units[nation.id, line.id].value}
            caveats = {c.id for c in self.scenario.caveats if self.caveat_boxes[nation.id, c.id].value}
            if units:
                result.append(fg.Offer(nation.id, units, frozenset(caveats)))
        return tuple(result)

    def set_offers(self, offers: Iterable[fg.Offer]) -> None:
        """Show these offers (nations not named offer nothing, with their card's default caveats)."""
        by_nation = {offer.nation: offer for offer in offers}
        with self.quiet():
            for nation in self.scenario.nations:
                offer = by_nation.get(nation.id)
                caveats = offer.caveats if offer is not None else nation.default_caveats
                for line in self.scenario.lines:
                    self.units[nation.id, line.id].value = offer.units.get(line.id, 0) if offer else 0
                for caveat in self.scenario.caveats:
                    self.caveat_boxes[nation.id, caveat.id].value = caveat.id in caveats
        self.refresh()

    def update(self) -> None:
        """Recount and redraw."""
        self.outcome = fg.evaluate(self.scenario, self.offers())
        outcome = self.outcome
        self.show(self.image, lambda: self._draw(outcome))
        items = "".join(f"<li>{escape(text)}</li>" for text in self.outcome.describe().splitlines())
        self.summary.value = f"<ul>{items}</ul>"

    # --- events -----------------------------------------------------------------------------------------------
    def _fill(self, _button: Any) -> None:
        self.set_offers(fg.fill_gaps(self.scenario, self.offers()))

    def _reset(self, _button: Any) -> None:
        self.set_offers(self.start)

    @staticmethod
    def _draw(outcome: fg.Outcome) -> Figure:
        fig = new_figure(8, 4.2)
        plot_outcome(outcome, fig.add_subplot())
        fig.subplots_adjust(bottom=0.25)
        return fig
