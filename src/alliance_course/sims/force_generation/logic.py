"""The force generation calculations: which units are usable, the outcome of a set of offers, default, random
and gap-filling offers."""

from __future__ import annotations

import random
from collections.abc import Iterable

from alliance_course.sims.force_generation.model import (
    LineResult,
    Offer,
    OfferError,
    Outcome,
    Phase,
    PhaseResult,
    Scenario,
)

# --------------------------------------------------------------------------------------------------- logic

def is_usable(scenario: Scenario, caveats: Iterable[str], phase: Phase | str, line: str) -> bool:
    """Can a unit of ``line`` carrying ``caveats`` be used in ``phase``? Only if no caveat rules out a condition
    that the phase demands of that line."""
    phase = scenario.phase(phase) if isinstance(phase, str) else phase
    demands = phase.demands.get(line, frozenset())
    ruled_out: set[str] = set()
    for caveat_id in caveats:
        ruled_out |= scenario.caveat(caveat_id).restricts
    return not (demands & ruled_out)


def _validated(scenario: Scenario, offers: Iterable[Offer]) -> tuple[Offer, ...]:
    if offers is None or isinstance(offers, (str, bytes, Offer)):
        raise OfferError(f"offers is {offers!r}; give a list of Offer objects (e.g. fg.default_offers(scenario), "
                         "or [] for none)")
    offers = tuple(offers)
    seen: set[str] = set()
    for offer in offers:
        if not isinstance(offer, Offer):
            raise OfferError(f"expected Offer objects, got {type(offer).__name__}")
        try:
            nation = scenario.nation(offer.nation)
        except KeyError:
            raise OfferError(f"offer from {offer.nation!r}: no such nation in scenario {scenario.name!r} "
                             f"(nations: {', '.join(n.id for n in scenario.nations)})") from None
        if nation.id in seen:
            raise OfferError(f"nation {nation.id!r} made two offers; combine them into one")
        seen.add(nation.id)
        for line_id, number in offer.units.items():
            try:
                line = scenario.line(line_id)
            except KeyError:
                raise OfferError(f"offer from {nation.id!r}: unknown requirement line {line_id!r} "
                                 f"(lines: {', '.join(line.id for line in scenario.lines)})") from None
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                raise OfferError(f"offer from {nation.id!r}: {line_id} is {number!r}; use a whole number ≥ 0")
            capacity = nation.capacity.get(line_id, 0)
            if number > capacity:
                raise OfferError(f"offer from {nation.id!r}: {number} {line.unit}(s) for {line_id}, but its "
                                 f"nation card allows at most {capacity}")
        unknown = sorted(offer.caveats - {c.id for c in scenario.caveats})
        if unknown:
            raise OfferError(f"offer from {nation.id!r}: unknown caveat(s) {unknown} "
                             f"(caveats: {', '.join(c.id for c in scenario.caveats)})")
    return offers


def evaluate(scenario: Scenario, offers: Iterable[Offer]) -> Outcome:
    """Count, for every phase and requirement line, the units required, offered and usable, and summarise.

    Raises :class:`OfferError` if an offer does not fit the scenario (the message names nation and line).
    """
    offers = _validated(scenario, offers)
    phases = []
    for phase in scenario.phases:
        rows = []
        for line in scenario.lines:
            required = phase.required.get(line.id, 0)
            if required == 0:
                continue
            offered = usable = lead_usable = 0
            for offer in offers:
                units = offer.units.get(line.id, 0)
                offered += units
                if units and is_usable(scenario, offer.caveats, phase, line.id):
                    usable += units
                    if offer.nation == scenario.lead:
                        lead_usable += units
            rows.append(LineResult(phase.id, line.id, required, offered, usable, lead_usable))
        phases.append(PhaseResult(phase.id, phase.label, tuple(rows)))
    return Outcome(scenario, offers, tuple(phases))


def default_offers(scenario: Scenario, nations: Iterable[str] | None = None) -> tuple[Offer, ...]:
    """Every nation (or those named) offers its full capacity with its default caveats: the nation cards."""
    chosen = [scenario.nation(n) for n in nations] if nations is not None else list(scenario.nations)
    return tuple(Offer(n.id, dict(n.capacity), n.default_caveats) for n in chosen)


def draw_offers(scenario: Scenario, seed: int | None = None, *, include_lead: bool = False) -> tuple[Offer, ...]:
    """Random but reproducible offers: each unit of a nation's capacity is offered with probability equal to its
    willingness, with the nation's default caveats. The same scenario and seed always give the same offers
    (``seed=None`` uses the scenario's own seed). The lead nation is left out unless ``include_lead``; a nation
    that draws nothing makes no offer."""
    rng = random.Random(scenario.seed if seed is None else seed)
    offers = []
    for nation in scenario.nations:
        units = {line.id: sum(rng.random() < nation.willingness for _ in range(nation.capacity.get(line.id, 0)))
                 for line in scenario.lines}
        if (nation.id == scenario.lead and not include_lead) or not any(units.values()):
            continue
        offers.append(Offer(nation.id, {k: v for k, v in units.items() if v}, nation.default_caveats))
    return tuple(offers)


def fill_gaps(scenario: Scenario, offers: Iterable[Offer], nation: str | None = None,
              caveats: Iterable[str] | None = None) -> tuple[Offer, ...]:
    """The lead nation (or ``nation``) tops up its own offer to close usable gaps, as far as its capacity allows.

    For each line it adds units until, in every phase where its units are usable, the line's usable units reach
    the requirement; it never reduces what it already offered. ``caveats`` are the filler's caveats (default:
    those of its existing offer, else its card's). Returns the offers with the filler's offer replaced or added.
    """
    offers = _validated(scenario, offers)
    filler = scenario.nation(nation or scenario.lead)
    current = next((o for o in offers if o.nation == filler.id), None)
    own_caveats = frozenset(caveats) if caveats is not None else (
        current.caveats if current is not None else filler.default_caveats)
    others = [o for o in offers if o.nation != filler.id]
    units = dict(current.units) if current is not None else {}
    for line in scenario.lines:
        needed = 0
        for phase in scenario.phases:
            required = phase.required.get(line.id, 0)
            if not required or not is_usable(scenario, own_caveats, phase, line.id):
                continue
            from_others = sum(o.units.get(line.id, 0) for o in others
                              if is_usable(scenario, o.caveats, phase, line.id))
            needed = max(needed, required - from_others)
        target = min(filler.capacity.get(line.id, 0), needed)
        if target > units.get(line.id, 0):
            units[line.id] = target
    topped = Offer(filler.id, {k: v for k, v in units.items() if v}, own_caveats)
    result = [topped if o.nation == filler.id else o for o in offers]
    if current is None:
        result.append(topped)
    return _validated(scenario, result)
