"""The coalition builder's widget: a thin ipywidgets view over :mod:`alliance_course.sims.coalition_builder`.

``widget()`` shows one checkbox per partner card (what it brings and what it costs, in words), a switch for
seeking a UN Security Council mandate first, the resulting hub-and-spoke network with the needs and gaps, and the
result in sentences. All the logic is in :mod:`.coalition_builder`; this module only turns widget values into an
:class:`~.coalition_builder.Assessment` and shows it. The cards are illustrative archetypes, and the widget says so.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from html import escape

import ipywidgets as widgets

from alliance_course.sims import coalition_builder as cb

__all__ = ["CoalitionBuilder", "widget", "card_text"]


def card_text(card: cb.PartnerCard) -> str:
    """One line on a card: what it brings, what it costs and why it might join (plain text)."""
    brings = ", ".join(f"{dim} {value:g}" for dim, value in card.brings.items() if value) or "nothing measurable"
    costs = [f"decides in {card.days_to_commit} day{'s' if card.days_to_commit != 1 else ''}"]
    if card.usable_share < 1:
        costs.append(f"caveats: only {card.usable_share:.0%} of its forces usable ({'; '.join(card.caveats)})")
    if card.needs_un_mandate:
        costs.append("joins only with a UN mandate")
    costs += [f"asks for {condition}" for condition in card.conditions]
    return f"Brings {brings}. Costs: {'; '.join(costs)}. Why join: {card.motive}."


class CoalitionBuilder:
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
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="1000px"))
        self.result = widgets.HTML()
        illustrative = widgets.HTML(
            f"<p><b>⚠ {escape(cb.ILLUSTRATIVE_NOTE)}</b> {escape(mission.name)}. You are the lead nation: it "
            f"brings {', '.join(f'{d} {v:g}' for d, v in mission.lead_brings.items())}; the mission needs "
            f"{', '.join(f'{d} {v:g}' for d, v in mission.needs.items())}.</p>")
        self.box = widgets.VBox([illustrative, widgets.HTML("<b>Invite partners:</b>"), *rows, self.mandate,
                                 self.image, self.result])
        for control in (*self.checkboxes.values(), self.mandate):
            control.observe(self._on_change, names="value")
        self.refresh()

    def chosen(self) -> list[str]:
        """Ids of the cards ticked now, in card order."""
        return [card_id for card_id, box in self.checkboxes.items() if box.value]

    def assessment(self) -> cb.Assessment:
        """The coalition the widgets describe now."""
        return cb.assess(self.mission, self.cards, self.chosen(), un_mandate=self.mandate.value)

    def _on_change(self, _change: Mapping[str, object]) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute the coalition, redraw the picture and rewrite the sentences."""
        plan = self.assessment()
        fig = cb.draw_assessment(plan)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", bbox_inches="tight")
        self.image.value = buffer.getvalue()
        marks = "".join(f"<li>{escape(line)}</li>" for line in plan.summary())
        self.result.value = f"<ul class='coalition-result'>{marks}</ul>"

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.box)


def widget(mission: cb.Mission = cb.DEFAULT_MISSION, cards: Sequence[cb.PartnerCard] = cb.DEFAULT_CARDS,
           chosen: Iterable[str] = ()) -> CoalitionBuilder:
    """The coalition-building activity for notebook 03 (display the returned object)."""
    return CoalitionBuilder(mission, cards, chosen)
