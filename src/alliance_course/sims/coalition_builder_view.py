"""The coalition builder's widget: a thin ipywidgets view over :mod:`alliance_course.sims.coalition_builder`.

``widget()`` shows one checkbox per partner card (what it brings and what it costs, in words), the legal basis as
a choice (a UN Security Council mandate sought first, host consent, self-defence or none; the mandate switch is
kept in step with it), the resulting hub-and-spoke network with the needs and gaps, and the
result in sentences. All the logic is in :mod:`.coalition_builder`; this module only turns widget values into an
:class:`~.coalition_builder.Assessment` and shows it. The cards are illustrative archetypes, and the widget says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

import ipywidgets as widgets
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from alliance_course import plots
from alliance_course._display import ChartImage, SimView
from alliance_course.sims import coalition_builder as cb
from alliance_course.sims import networks as nw
from alliance_course.sims.networks_view import draw

__all__ = ["CoalitionBuilder", "widget", "card_text", "draw_assessment"]

_LEAD_COLOUR = plots.KIND_COLOURS["coalition"]
_PARTNER_COLOUR = plots.PALETTE["blue"]
_CAVEAT_COLOUR = plots.PALETTE["sky"]
_DECLINED_COLOUR = "#BBBBBB"


def draw_assessment(plan: cb.Assessment, fig: Figure | None = None) -> Figure:
    """Two panels: the hub-and-spoke network (left) and needs against what the coalition has (right).

    A two-panel chart draws on a figure rather than one axes (``fig=None`` makes one, not registered with
    pyplot)."""
    fig = fig or Figure(figsize=(10, 4.4), dpi=100)
    ax_net, ax_bar = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.1, 1]})
    g = cb.graph(plan)
    colours = {plan.mission.lead: _LEAD_COLOUR}
    colours.update({card.short: _CAVEAT_COLOUR if card.usable_share < 1 else _PARTNER_COLOUR
                    for card in plan.joined})
    colours.update({card.short: _DECLINED_COLOUR for card, _ in plan.declined})
    # Shapes repeat the colours (never colour alone): lead square, partner circle, caveats diamond, declined X.
    markers = {plan.mission.lead: "s"}
    markers.update({card.short: "D" if card.usable_share < 1 else "o" for card in plan.joined})
    markers.update({card.short: "X" for card, _ in plan.declined})
    draw(g, ax_net, pos=nw.circle_layout(g, centre=plan.mission.lead), node_colours=colours,
         highlight=[plan.mission.lead], title="Your coalition: ties to the lead nation", font_size=9,
         node_markers=markers)
    handles = [Line2D([], [], marker=marker, linestyle="", markersize=8, color=colour, label=label)
               for colour, marker, label in ((_LEAD_COLOUR, "s", "lead nation"), (_PARTNER_COLOUR, "o", "partner"),
                                             (_CAVEAT_COLOUR, "D", "partner with caveats"),
                                             (_DECLINED_COLOUR, "X", "declined"))]
    ax_net.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=2, fontsize=8)

    labels = [cb.DIMENSION_LABELS[dim] for dim in cb.DIMENSIONS]
    have = [plan.totals[dim] for dim in cb.DIMENSIONS]
    need = [plan.mission.needs[dim] for dim in cb.DIMENSIONS]
    rows = range(len(cb.DIMENSIONS))
    bar_colours = [plots.PALETTE["vermillion"] if dim in plan.gaps else plots.PALETTE["green"] for dim in cb.DIMENSIONS]
    bars = ax_bar.barh(rows, have, color=bar_colours, height=0.55, label="the coalition has")
    for bar, dim in zip(bars, cb.DIMENSIONS):
        bar.set_hatch("//" if dim in plan.gaps else "")
    ax_bar.scatter(need, rows, marker="|", s=900, color=plots.PALETTE["black"], zorder=3, label="the mission needs")
    for row, (value, needed, dim) in enumerate(zip(have, need, cb.DIMENSIONS)):
        gap = plan.gaps.get(dim)
        text = f"has {value:g}, needs {needed:g}" + (f": short by {gap:g}" if gap else " ✓")
        ax_bar.annotate(text, (max(value, needed), row), xytext=(6, 0), textcoords="offset points",
                        va="center", fontsize=9)
    ax_bar.set_yticks(list(rows), labels)
    ax_bar.invert_yaxis()
    ax_bar.set_xlabel("points (illustrative scale)")
    ax_bar.set_xlim(0, max(max(have), max(need)) * 1.7 + 1)
    ax_bar.set_title(f"Needs and gaps · start on day {plan.start_day}")
    ax_bar.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=8)
    plots.caption(ax_bar, "illustrative course model (alliance_course.sims.coalition_builder), "
                          "after Rutar 2019, §2.2 and seed 000", y=-0.36)
    fig.subplots_adjust(left=0.02, right=0.97, bottom=0.28, wspace=0.45)
    return fig




def card_text(card: cb.PartnerCard) -> str:
    """One line on a card: what it brings, what it costs and why it might join (plain text)."""
    brings = ", ".join(f"{dim} {value:g}" for dim, value in card.brings.items() if value) or "nothing measurable"
    costs = [f"decides in {card.days_to_commit} day{'s' if card.days_to_commit != 1 else ''}"]
    if card.usable_share < 1:
        costs.append(f"caveats: only {card.usable_share:.0%} of its forces usable ({'; '.join(card.caveats)})")
    if card.needs_un_mandate:
        costs.append("joins only with a UN mandate")
    if not card.accepts_self_defence:
        costs.append("declines if self-defence is the only legal basis")
    if card.grants_consent:
        costs.append("its government can invite the force (host consent)")
    costs += [f"asks for {condition}" for condition in card.conditions]
    return f"Brings {brings}. Costs: {'; '.join(costs)}. Why join: {card.motive}."


class CoalitionBuilder(SimView):
    """The widget. ``box`` is what is displayed; ``assessment()`` is the current result."""

    def __init__(self, mission: cb.Mission = cb.DEFAULT_MISSION,
                 cards: Sequence[cb.PartnerCard] = cb.DEFAULT_CARDS, chosen: Iterable[str] = ()) -> None:
        self.mission = mission
        self.cards = tuple(cards)
        if not self.cards:
            raise ValueError("coalition builder: give at least one partner card")
        start = set(chosen)
        unknown = sorted(start - {card.card_id for card in self.cards})
        if unknown:
            raise ValueError(f"coalition builder: no partner card(s) {unknown}")
        self.checkboxes: dict[str, widgets.Checkbox] = {}
        rows = []
        for card in self.cards:
            box = widgets.Checkbox(value=card.card_id in start, indent=False, description=card.name,
                                   layout=widgets.Layout(width="auto"))
            self.checkboxes[card.card_id] = box
            rows.append(widgets.VBox([box, widgets.HTML(f"<div style='margin:-4px 0 6px 26px;font-size:90%'>"
                                                        f"{escape(card_text(card))}</div>")]))
        self.mandate = widgets.Checkbox(
            value=False, indent=False, layout=widgets.Layout(width="auto"),
            description=f"Seek a UN Security Council mandate first (about {mission.mandate_days} days; "
                        f"+{mission.mandate_legitimacy:g} legitimacy)")
        self.basis = widgets.Dropdown(
            options=[(f"{cb.LEGAL_BASIS_LABELS[b]} (+{mission.basis_legitimacy(b):g} legitimacy)", b)
                     for b in cb.LEGAL_BASES], value="none", description="Legal basis",
            style={"description_width": "90px"}, layout=widgets.Layout(width="560px"),
            tooltip="The legal basis the coalition acts on; the points each is worth are assumptions of the model "
                    "(Mission.mandate_legitimacy, consent_legitimacy, self_defence_legitimacy)")
        self.image = ChartImage(layout=widgets.Layout(width="100%", max_width="1000px"))
        self.result = widgets.HTML()
        illustrative = widgets.HTML(
            f"<p><b>⚠ {escape(cb.ILLUSTRATIVE_NOTE)}</b> {escape(mission.name)}. You are the lead nation: it "
            f"brings {', '.join(f'{d} {v:g}' for d, v in mission.lead_brings.items())}; the mission needs "
            f"{', '.join(f'{d} {v:g}' for d, v in mission.needs.items())}.</p>")
        self.box = widgets.VBox([illustrative, widgets.HTML("<b>Invite partners:</b>"), *rows, self.basis,
                                 self.mandate, self.image, self.result])
        self.mandate.observe(self._mandate_changed, names="value")
        self.basis.observe(self._basis_changed, names="value")
        for control in (*self.checkboxes.values(), self.mandate, self.basis):
            control.observe(self.changed, names="value")
        self.refresh()

    def _mandate_changed(self, change: dict) -> None:
        """The mandate switch and the legal basis say the same thing."""
        with self.quiet():
            if change["new"]:
                self.basis.value = "un_mandate"
            elif self.basis.value == "un_mandate":
                self.basis.value = "none"

    def _basis_changed(self, change: dict) -> None:
        with self.quiet():
            self.mandate.value = change["new"] == "un_mandate"

    def chosen(self) -> list[str]:
        """Ids of the cards ticked now, in card order."""
        return [card_id for card_id, box in self.checkboxes.items() if box.value]

    def assessment(self) -> cb.Assessment:
        """The coalition the widgets describe now."""
        return cb.assess(self.mission, self.cards, self.chosen(), basis=self.basis.value)

    def update(self) -> None:
        """Recompute the coalition, redraw the picture and rewrite the sentences."""
        plan = self.assessment()
        self.show(self.image, lambda: draw_assessment(plan), tight=True)
        marks = "".join(f"<li>{escape(line)}</li>" for line in plan.summary())
        self.result.value = f"<ul class='coalition-result'>{marks}</ul>"


def widget(mission: cb.Mission = cb.DEFAULT_MISSION, cards: Sequence[cb.PartnerCard] = cb.DEFAULT_CARDS,
           chosen: Iterable[str] = ()) -> CoalitionBuilder:
    """The coalition-building activity for notebook 03 (display the returned object)."""
    return CoalitionBuilder(mission, cards, chosen)
