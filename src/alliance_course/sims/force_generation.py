"""Force generation as a small, seeded simulation: requirements, national offers, caveats, usable forces.

NATO has no forces of its own. For an operation its military authorities state what is needed (the *statement of
requirements*, CJSOR), and each nation decides what, if anything, to offer and under which restrictions
(*caveats*). This module models that in plain Python:

- a :class:`Scenario` has **requirement lines** (manoeuvre battalions, helicopters, medical, ISR, HQ and signals,
  route clearance …), **phases** (how many units of each line each phase needs, and the conditions the units must
  accept in that phase, e.g. combat, night flying, the contested south), **caveat types** (each rules out some
  conditions) and **nation cards** (capacity per line, default caveats, government type);
- an :class:`Offer` is what one nation puts on the table: units per line and the caveats attached;
- :func:`evaluate` turns offers into an :class:`Outcome`: per phase and line the units required, offered and
  *usable* (offered units whose caveats do not rule out a condition of that phase), the **fill rate** (on paper)
  and the **usable fill rate** per phase, the **binding shortfall** (the phase and line with the lowest usable
  fill) and the **lead nation's burden** (its share of the usable units).

The named scenarios (:data:`SCENARIOS`) and all their nation cards are **illustrative**: invented countries with
invented numbers, built to show the mechanism, not to describe any real operation or ally. Random draws
(:func:`draw_offers`) use a seeded generator, so a scenario and a seed always give the same offers.

Example::

    >>> from alliance_course.sims import force_generation as fg
    >>> scn = fg.scenario("stabilisation")
    >>> outcome = fg.evaluate(scn, fg.default_offers(scn))
    >>> round(outcome.phase("south").fill_rate, 2), round(outcome.phase("south").usable_fill_rate, 2)
    (1.0, 0.92)
    >>> outcome.binding.line, outcome.binding.phase
    ('helicopters', 'south')

Classroom mode: teams write their offers into a CSV file, one row per nation (:func:`write_offers_csv` makes a
template); the facilitator reads one file or a folder of files with :func:`read_offers_csv` and evaluates them.
"""

from __future__ import annotations

import csv
import math
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from alliance_course import paths
from alliance_course.plots import PALETTE, caption

if TYPE_CHECKING:  # pragma: no cover - typing only
    import matplotlib.pyplot as plt

    from alliance_course.sims.force_generation_view import ForceGenerationView

__all__ = [
    "CAVEAT_KINDS", "SCENARIOS", "Caveat", "RequirementLine", "Phase", "Nation", "Scenario", "Offer",
    "LineResult", "PhaseResult", "Shortfall", "Outcome", "ForceGenerationError", "ScenarioError", "OfferError",
    "OfferFileError", "scenario", "scenario_names", "is_usable", "evaluate", "default_offers", "draw_offers",
    "fill_gaps", "requirements_table", "nation_cards", "caveat_table", "offers_frame", "read_offers_csv",
    "write_offers_csv", "example_offers_path", "compare", "plot_outcome", "widget",
]

CaveatKind = Literal["geographic", "task", "temporal", "approval"]
CAVEAT_KINDS: tuple[str, ...] = ("geographic", "task", "temporal", "approval")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_CSV_EXTRA_COLUMNS = ("team", "note")


# --------------------------------------------------------------------------------------------------- errors

class ForceGenerationError(ValueError):
    """Something about a scenario or an offer is wrong; the message names what and where."""


class ScenarioError(ForceGenerationError):
    """A scenario definition is inconsistent (unknown line, caveat or nation id; negative numbers …)."""


class OfferError(ForceGenerationError):
    """An offer does not fit the scenario (unknown nation, line or caveat; more units than the nation has)."""


class OfferFileError(ForceGenerationError):
    """A classroom offers file cannot be read; the message lists every problem with file, row and column."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# --------------------------------------------------------------------------------------------------- model

def _frozen_map(values: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(values))


def _check_id(kind: str, value: str) -> None:
    if not isinstance(value, str) or not _ID.match(value):
        raise ScenarioError(f"{kind} id {value!r} should be lower-case letters, digits and underscores, "
                            "starting with a letter (e.g. 'route_clearance')")


@dataclass(frozen=True)
class Caveat:
    """A kind of national restriction. A unit carrying it cannot be used where a phase demands a condition
    listed in ``restricts`` (e.g. the caveat 'no combat operations' restricts the condition ``combat``)."""

    id: str
    label: str
    kind: CaveatKind
    restricts: frozenset[str]
    description: str = ""
    short: str = ""

    @property
    def short_label(self) -> str:
        """A label short enough for a table header (``short``, else the id with spaces)."""
        return self.short or self.id.replace("_", " ")

    def __post_init__(self) -> None:
        _check_id("Caveat", self.id)
        if self.kind not in CAVEAT_KINDS:
            raise ScenarioError(f"caveat {self.id!r}: kind {self.kind!r} is not one of {', '.join(CAVEAT_KINDS)}")
        object.__setattr__(self, "restricts", frozenset(self.restricts))
        if not self.restricts:
            raise ScenarioError(f"caveat {self.id!r} restricts nothing: name at least one condition")


@dataclass(frozen=True)
class RequirementLine:
    """One line of the statement of requirements.

    Example: ``RequirementLine("helicopters", "Helicopters", "helicopter")``.
    """

    id: str
    label: str
    unit: str
    short: str = ""

    @property
    def short_label(self) -> str:
        """A label short enough for a table header (``short``, else the full label)."""
        return self.short or self.label

    def __post_init__(self) -> None:
        _check_id("Requirement line", self.id)


@dataclass(frozen=True)
class Phase:
    """A mission phase: units required per line, and per line the conditions its units must accept.

    ``demands["helicopters"] = {"night", "south"}`` means that in this phase helicopters fly at night in the
    south, so a helicopter whose nation ruled out night flying or the south does not count as usable.
    """

    id: str
    label: str
    required: Mapping[str, int]
    demands: Mapping[str, frozenset[str]] = field(default_factory=dict)
    description: str = ""

    def __post_init__(self) -> None:
        _check_id("Phase", self.id)
        object.__setattr__(self, "required", _frozen_map(self.required))
        object.__setattr__(self, "demands", _frozen_map({k: frozenset(v) for k, v in self.demands.items()}))
        for line, number in self.required.items():
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                raise ScenarioError(f"phase {self.id!r}: {line!r} requires {number!r}; use a whole number ≥ 0")


@dataclass(frozen=True)
class Nation:
    """A nation card: the most units it could offer per line, the caveats it attaches by default, its
    government type, whether it is an Ally (or a partner), and how willing it is (0–1, used by ``draw_offers``)."""

    id: str
    name: str
    capacity: Mapping[str, int]
    default_caveats: frozenset[str] = frozenset()
    government: str = ""
    ally: bool = True
    willingness: float = 1.0
    note: str = ""

    def __post_init__(self) -> None:
        _check_id("Nation", self.id)
        object.__setattr__(self, "capacity", _frozen_map(self.capacity))
        object.__setattr__(self, "default_caveats", frozenset(self.default_caveats))
        for line, number in self.capacity.items():
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                raise ScenarioError(f"nation {self.id!r}: capacity for {line!r} is {number!r}; "
                                    "use a whole number ≥ 0")
        if not 0.0 <= float(self.willingness) <= 1.0:
            raise ScenarioError(f"nation {self.id!r}: willingness {self.willingness!r} must lie between 0 and 1")


@dataclass(frozen=True)
class Scenario:
    """A mission to generate forces for: requirement lines, phases, caveat types, nation cards, a lead nation.

    ``illustrative`` is True for every scenario shipped with the course: its nations and numbers are invented.
    """

    name: str
    title: str
    description: str
    lines: tuple[RequirementLine, ...]
    phases: tuple[Phase, ...]
    caveats: tuple[Caveat, ...]
    nations: tuple[Nation, ...]
    lead: str
    seed: int = 0
    illustrative: bool = True

    def __post_init__(self) -> None:
        for attribute in ("lines", "phases", "caveats", "nations"):
            object.__setattr__(self, attribute, tuple(getattr(self, attribute)))
        where = f"scenario {self.name!r}"
        for kind, items in (("line", self.lines), ("phase", self.phases), ("caveat", self.caveats),
                            ("nation", self.nations)):
            ids = [item.id for item in items]
            repeated = sorted({i for i in ids if ids.count(i) > 1})
            if repeated:
                raise ScenarioError(f"{where}: {kind} id(s) {repeated} used more than once")
        if not self.lines or not self.phases or not self.nations:
            raise ScenarioError(f"{where}: needs at least one requirement line, one phase and one nation")
        lines, caveats = {line.id for line in self.lines}, {c.id for c in self.caveats}
        for phase in self.phases:
            for key in (*phase.required, *phase.demands):
                if key not in lines:
                    raise ScenarioError(f"{where}, phase {phase.id!r}: unknown requirement line {key!r} "
                                        f"(lines: {', '.join(sorted(lines))})")
        for nation in self.nations:
            unknown_lines = sorted(set(nation.capacity) - lines)
            if unknown_lines:
                raise ScenarioError(f"{where}, nation {nation.id!r}: unknown requirement line(s) {unknown_lines}")
            unknown_caveats = sorted(nation.default_caveats - caveats)
            if unknown_caveats:
                raise ScenarioError(f"{where}, nation {nation.id!r}: unknown caveat(s) {unknown_caveats}")
        if self.lead not in {n.id for n in self.nations}:
            raise ScenarioError(f"{where}: the lead nation {self.lead!r} is not one of its nations")

    # lookups ---------------------------------------------------------------------------------------------
    def line(self, line_id: str) -> RequirementLine:
        return _lookup(self.lines, line_id, "requirement line", self.name)

    def phase(self, phase_id: str) -> Phase:
        return _lookup(self.phases, phase_id, "phase", self.name)

    def caveat(self, caveat_id: str) -> Caveat:
        return _lookup(self.caveats, caveat_id, "caveat", self.name)

    def nation(self, nation_id: str) -> Nation:
        return _lookup(self.nations, nation_id, "nation", self.name)

    @property
    def lead_nation(self) -> Nation:
        return self.nation(self.lead)

    def with_nations(self, nation_ids: Iterable[str]) -> Scenario:
        """The same mission with only some of the nations (e.g. a coalition of the willing). Keeps the lead."""
        wanted = list(dict.fromkeys(nation_ids))
        for nation_id in wanted:
            self.nation(nation_id)
        if self.lead not in wanted:
            raise ScenarioError(f"scenario {self.name!r}: the lead nation {self.lead!r} must stay in the mission")
        return replace(self, nations=tuple(n for n in self.nations if n.id in wanted))


def _lookup(items: Iterable[Any], item_id: str, kind: str, scenario_name: str) -> Any:
    for item in items:
        if item.id == item_id:
            return item
    known = ", ".join(item.id for item in items)
    raise KeyError(f"scenario {scenario_name!r} has no {kind} {item_id!r} (it has: {known})")


@dataclass(frozen=True)
class Offer:
    """What one nation offers: units per requirement line and the caveats attached to all of them."""

    nation: str
    units: Mapping[str, int]
    caveats: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "units", _frozen_map(self.units))
        object.__setattr__(self, "caveats", frozenset(self.caveats))

    def __hash__(self) -> int:
        return hash((self.nation, tuple(sorted(self.units.items())), self.caveats))

    def total(self) -> int:
        return sum(self.units.values())


# --------------------------------------------------------------------------------------------------- results

@dataclass(frozen=True)
class LineResult:
    """One requirement line in one phase."""

    phase: str
    line: str
    required: int
    offered: int
    usable: int
    lead_usable: int

    @property
    def fill(self) -> float:
        """Share of the requirement filled on paper (capped at 1)."""
        return min(self.offered, self.required) / self.required

    @property
    def usable_fill(self) -> float:
        """Share of the requirement filled by units that can be used in this phase (capped at 1)."""
        return min(self.usable, self.required) / self.required

    @property
    def gap(self) -> int:
        """Usable units still missing."""
        return max(0, self.required - self.usable)


@dataclass(frozen=True)
class PhaseResult:
    """A phase's results. Rates average the lines' capped fill rates, each requirement line counting equally."""

    phase: str
    label: str
    lines: tuple[LineResult, ...]

    @property
    def fill_rate(self) -> float:
        return sum(r.fill for r in self.lines) / len(self.lines) if self.lines else 1.0

    @property
    def usable_fill_rate(self) -> float:
        return sum(r.usable_fill for r in self.lines) / len(self.lines) if self.lines else 1.0

    @property
    def lead_share(self) -> float:
        """The lead nation's share of the usable units, averaged over the lines that have any (0 if none has)."""
        shares = [r.lead_usable / r.usable for r in self.lines if r.usable > 0]
        return sum(shares) / len(shares) if shares else 0.0


@dataclass(frozen=True)
class Shortfall:
    """The binding shortfall: the phase and line with the lowest usable fill rate."""

    phase: str
    phase_label: str
    line: str
    line_label: str
    required: int
    usable: int

    @property
    def gap(self) -> int:
        return self.required - self.usable

    @property
    def usable_fill(self) -> float:
        return self.usable / self.required


@dataclass(frozen=True)
class Outcome:
    """The result of a force generation conference: see :func:`evaluate`."""

    scenario: Scenario
    offers: tuple[Offer, ...]
    phases: tuple[PhaseResult, ...]

    def phase(self, phase_id: str) -> PhaseResult:
        return _lookup_result(self.phases, phase_id, self.scenario)

    @property
    def fill_rate(self) -> float:
        """Mean fill rate on paper over the phases."""
        return sum(p.fill_rate for p in self.phases) / len(self.phases)

    @property
    def usable_fill_rate(self) -> float:
        """Mean usable fill rate over the phases."""
        return sum(p.usable_fill_rate for p in self.phases) / len(self.phases)

    @property
    def lead_burden(self) -> float:
        """The lead nation's share of the usable units, averaged over lines and phases (0 to 1)."""
        return sum(p.lead_share for p in self.phases) / len(self.phases)

    @property
    def binding(self) -> Shortfall | None:
        """The phase and line with the lowest usable fill rate (ties: the larger gap, then the earlier phase and
        line); ``None`` when every line of every phase is fully usable."""
        order = {(p.id, line.id): (i, j) for i, p in enumerate(self.scenario.phases)
                 for j, line in enumerate(self.scenario.lines)}
        rows = [r for p in self.phases for r in p.lines]
        worst = min(rows, key=lambda r: (r.usable_fill, -r.gap, order[r.phase, r.line]), default=None)
        if worst is None or worst.usable_fill >= 1.0:
            return None
        return Shortfall(worst.phase, self.scenario.phase(worst.phase).label, worst.line,
                         self.scenario.line(worst.line).label, worst.required, min(worst.usable, worst.required))

    def table(self) -> pd.DataFrame:
        """One row per phase and requirement line: required, offered, usable, the lead's usable units, fill rates."""
        records = [{"phase": r.phase, "line": r.line, "required": r.required, "offered": r.offered,
                    "usable": r.usable, "lead_usable": r.lead_usable, "fill": r.fill,
                    "usable_fill": r.usable_fill, "gap": r.gap}
                   for p in self.phases for r in p.lines]
        return pd.DataFrame.from_records(records, columns=["phase", "line", "required", "offered", "usable",
                                                           "lead_usable", "fill", "usable_fill", "gap"])

    def summary(self) -> pd.DataFrame:
        """One row per phase: fill rate on paper, usable fill rate, the lead nation's share of usable units."""
        records = [{"phase": p.phase, "label": p.label, "fill_rate": p.fill_rate,
                    "usable_fill_rate": p.usable_fill_rate, "lead_share": p.lead_share} for p in self.phases]
        return pd.DataFrame.from_records(records, columns=["phase", "label", "fill_rate", "usable_fill_rate",
                                                           "lead_share"])

    def describe(self) -> str:
        """A few plain sentences: each phase's fill rates, the binding shortfall, the lead nation's burden."""
        out = [f"{p.label}: {p.fill_rate:.0%} filled on paper, {p.usable_fill_rate:.0%} usable."
               for p in self.phases]
        binding = self.binding
        if binding is None:
            out.append("No shortfall: every requirement line is fully usable in every phase.")
        else:
            unit = self.scenario.line(binding.line).unit
            out.append(f"Binding shortfall: {binding.line_label} in '{binding.phase_label}' "
                       f"({binding.usable} of {binding.required} usable, {binding.gap} {unit}(s) missing).")
        out.append(f"Lead nation ({self.scenario.lead_nation.name}) provides {self.lead_burden:.0%} of the usable "
                   "units (averaged over requirement lines and phases).")
        return "\n".join(out)


def _lookup_result(phases: Sequence[PhaseResult], phase_id: str, scn: Scenario) -> PhaseResult:
    for result in phases:
        if result.phase == phase_id:
            return result
    raise KeyError(f"scenario {scn.name!r} has no phase {phase_id!r} (it has: "
                   f"{', '.join(p.phase for p in phases)})")


# --------------------------------------------------------------------------------------------------- logic

def is_usable(scn: Scenario, caveats: Iterable[str], phase: Phase | str, line: str) -> bool:
    """Can a unit of ``line`` carrying ``caveats`` be used in ``phase``? Only if no caveat rules out a condition
    that the phase demands of that line."""
    phase = scn.phase(phase) if isinstance(phase, str) else phase
    demands = phase.demands.get(line, frozenset())
    ruled_out: set[str] = set()
    for caveat_id in caveats:
        ruled_out |= scn.caveat(caveat_id).restricts
    return not (demands & ruled_out)


def _validated(scn: Scenario, offers: Iterable[Offer]) -> tuple[Offer, ...]:
    offers = tuple(offers)
    seen: set[str] = set()
    for offer in offers:
        if not isinstance(offer, Offer):
            raise OfferError(f"expected Offer objects, got {type(offer).__name__}")
        try:
            nation = scn.nation(offer.nation)
        except KeyError:
            raise OfferError(f"offer from {offer.nation!r}: no such nation in scenario {scn.name!r} "
                             f"(nations: {', '.join(n.id for n in scn.nations)})") from None
        if nation.id in seen:
            raise OfferError(f"nation {nation.id!r} made two offers; combine them into one")
        seen.add(nation.id)
        for line_id, number in offer.units.items():
            try:
                line = scn.line(line_id)
            except KeyError:
                raise OfferError(f"offer from {nation.id!r}: unknown requirement line {line_id!r} "
                                 f"(lines: {', '.join(line.id for line in scn.lines)})") from None
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                raise OfferError(f"offer from {nation.id!r}: {line_id} is {number!r}; use a whole number ≥ 0")
            capacity = nation.capacity.get(line_id, 0)
            if number > capacity:
                raise OfferError(f"offer from {nation.id!r}: {number} {line.unit}(s) for {line_id}, but its "
                                 f"nation card allows at most {capacity}")
        unknown = sorted(offer.caveats - {c.id for c in scn.caveats})
        if unknown:
            raise OfferError(f"offer from {nation.id!r}: unknown caveat(s) {unknown} "
                             f"(caveats: {', '.join(c.id for c in scn.caveats)})")
    return offers


def evaluate(scn: Scenario, offers: Iterable[Offer]) -> Outcome:
    """Count, for every phase and requirement line, the units required, offered and usable, and summarise.

    Raises :class:`OfferError` if an offer does not fit the scenario (the message names nation and line).
    """
    offers = _validated(scn, offers)
    phases = []
    for phase in scn.phases:
        rows = []
        for line in scn.lines:
            required = phase.required.get(line.id, 0)
            if required == 0:
                continue
            offered = usable = lead_usable = 0
            for offer in offers:
                units = offer.units.get(line.id, 0)
                offered += units
                if units and is_usable(scn, offer.caveats, phase, line.id):
                    usable += units
                    if offer.nation == scn.lead:
                        lead_usable += units
            rows.append(LineResult(phase.id, line.id, required, offered, usable, lead_usable))
        phases.append(PhaseResult(phase.id, phase.label, tuple(rows)))
    return Outcome(scn, offers, tuple(phases))


def default_offers(scn: Scenario, nations: Iterable[str] | None = None) -> tuple[Offer, ...]:
    """Every nation (or those named) offers its full capacity with its default caveats: the nation cards."""
    chosen = [scn.nation(n) for n in nations] if nations is not None else list(scn.nations)
    return tuple(Offer(n.id, dict(n.capacity), n.default_caveats) for n in chosen)


def draw_offers(scn: Scenario, seed: int | None = None, *, include_lead: bool = False) -> tuple[Offer, ...]:
    """Random but reproducible offers: each unit of a nation's capacity is offered with probability equal to its
    willingness, with the nation's default caveats. The same scenario and seed always give the same offers
    (``seed=None`` uses the scenario's own seed). The lead nation is left out unless ``include_lead``; a nation
    that draws nothing makes no offer."""
    rng = random.Random(scn.seed if seed is None else seed)
    offers = []
    for nation in scn.nations:
        units = {line.id: sum(rng.random() < nation.willingness for _ in range(nation.capacity.get(line.id, 0)))
                 for line in scn.lines}
        if (nation.id == scn.lead and not include_lead) or not any(units.values()):
            continue
        offers.append(Offer(nation.id, {k: v for k, v in units.items() if v}, nation.default_caveats))
    return tuple(offers)


def fill_gaps(scn: Scenario, offers: Iterable[Offer], nation: str | None = None,
              caveats: Iterable[str] | None = None) -> tuple[Offer, ...]:
    """The lead nation (or ``nation``) tops up its own offer to close usable gaps, as far as its capacity allows.

    For each line it adds units until, in every phase where its units are usable, the line's usable units reach
    the requirement; it never reduces what it already offered. ``caveats`` are the filler's caveats (default:
    those of its existing offer, else its card's). Returns the offers with the filler's offer replaced or added.
    """
    offers = _validated(scn, offers)
    filler = scn.nation(nation or scn.lead)
    current = next((o for o in offers if o.nation == filler.id), None)
    own_caveats = frozenset(caveats) if caveats is not None else (
        current.caveats if current is not None else filler.default_caveats)
    others = [o for o in offers if o.nation != filler.id]
    units = dict(current.units) if current is not None else {}
    for line in scn.lines:
        needed = 0
        for phase in scn.phases:
            required = phase.required.get(line.id, 0)
            if not required or not is_usable(scn, own_caveats, phase, line.id):
                continue
            from_others = sum(o.units.get(line.id, 0) for o in others
                              if is_usable(scn, o.caveats, phase, line.id))
            needed = max(needed, required - from_others)
        target = min(filler.capacity.get(line.id, 0), needed)
        if target > units.get(line.id, 0):
            units[line.id] = target
    topped = Offer(filler.id, {k: v for k, v in units.items() if v}, own_caveats)
    result = [topped if o.nation == filler.id else o for o in offers]
    if current is None:
        result.append(topped)
    return _validated(scn, result)


# --------------------------------------------------------------------------------------------------- tables

def requirements_table(scn: Scenario) -> pd.DataFrame:
    """The statement of requirements as a table: one row per requirement line, one column per phase."""
    frame = pd.DataFrame({p.id: [p.required.get(line.id, 0) for line in scn.lines] for p in scn.phases},
                         index=pd.Index([line.id for line in scn.lines], name="line"))
    frame.insert(0, "label", [line.label for line in scn.lines])
    return frame


def nation_cards(scn: Scenario) -> pd.DataFrame:
    """The nation cards: capacity per line, default caveats, government type, Ally or partner, willingness."""
    records = []
    for nation in scn.nations:
        record: dict[str, Any] = {"nation": nation.id, "name": nation.name, "lead": nation.id == scn.lead,
                                  "ally": nation.ally, "government": nation.government}
        record.update({line.id: nation.capacity.get(line.id, 0) for line in scn.lines})
        record["default_caveats"] = "; ".join(sorted(nation.default_caveats))
        record["willingness"] = nation.willingness
        records.append(record)
    return pd.DataFrame.from_records(records).set_index("nation")


def caveat_table(scn: Scenario) -> pd.DataFrame:
    """The caveat types of a scenario with their kind and what they rule out."""
    return pd.DataFrame.from_records(
        [{"caveat": c.id, "label": c.label, "kind": c.kind, "rules_out": "; ".join(sorted(c.restricts)),
          "description": c.description} for c in scn.caveats]).set_index("caveat")


def offers_frame(scn: Scenario, offers: Iterable[Offer]) -> pd.DataFrame:
    """Offers as a table in the classroom CSV layout: one row per nation, one column per line, then caveats."""
    offers = _validated(scn, offers)
    records = []
    for offer in offers:
        record: dict[str, Any] = {"nation": offer.nation}
        record.update({line.id: offer.units.get(line.id, 0) for line in scn.lines})
        record["caveats"] = "; ".join(sorted(offer.caveats))
        records.append(record)
    return pd.DataFrame.from_records(records, columns=["nation", *(line.id for line in scn.lines), "caveats"])


def compare(outcomes: Mapping[str, Outcome]) -> pd.DataFrame:
    """Several outcomes side by side (e.g. the same crisis through NATO and as a coalition of the willing)."""
    records = []
    for label, outcome in outcomes.items():
        binding = outcome.binding
        records.append({"label": label, "nations": len(outcome.offers), "fill_rate": outcome.fill_rate,
                        "usable_fill_rate": outcome.usable_fill_rate, "lead_burden": outcome.lead_burden,
                        "binding_phase": binding.phase if binding else None,
                        "binding_line": binding.line if binding else None,
                        "binding_gap": binding.gap if binding else 0})
    return pd.DataFrame.from_records(records).set_index("label")


# --------------------------------------------------------------------------------------------------- classroom CSV

def example_offers_path() -> Path:
    """The classroom offers file shipped with the course for scenario 'stabilisation': invented offers from six
    invented nations, to show the format (``data/classroom/``, which holds illustrative inputs, not facts)."""
    return paths.data_dir() / "classroom" / "05-illustrative-offers.csv"


def write_offers_csv(path: str | Path, scn: Scenario, offers: Iterable[Offer] | None = None) -> Path:
    """Write offers in the classroom layout (one row per nation). Without ``offers``, write a template: every
    nation with 0 units and its default caveats, for teams to fill in."""
    path = Path(path)
    if offers is None:
        offers = [Offer(n.id, {}, n.default_caveats) for n in scn.nations]
    frame = offers_frame(scn, offers)
    frame.insert(len(frame.columns), "team", "")
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def _name(path: Path) -> str:
    try:
        return path.resolve().relative_to(paths.course_root().resolve()).as_posix()
    except ValueError:
        return path.name


def read_offers_csv(path: str | Path, scn: Scenario) -> tuple[Offer, ...]:
    """Read classroom offers: a CSV file with one row per nation, or a folder of such files (read in name order).

    Columns: ``nation`` (id or name), one column per requirement line id (whole numbers; blank means 0), and
    optionally ``caveats`` (ids or labels separated by ';'), ``team`` and ``note``. Every problem is reported at
    once in an :class:`OfferFileError` naming the file, the row and the column; a nation may appear only once.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        if not files:
            raise OfferFileError([f"{_name(path)}: the folder has no .csv files of offers"])
    elif path.is_file():
        files = [path]
    else:
        raise OfferFileError([f"{_name(path)}: no such file or folder"])
    problems: list[str] = []
    offers: list[Offer] = []
    first_seen: dict[str, str] = {}
    for file in files:
        for where, offer in _read_one(file, scn, problems):
            if offer.nation in first_seen:
                problems.append(f"{where}: nation {offer.nation!r} already has an offer ({first_seen[offer.nation]})")
                continue
            first_seen[offer.nation] = where
            offers.append(offer)
    if problems:
        raise OfferFileError(problems)
    return tuple(offers)


def _read_one(file: Path, scn: Scenario, problems: list[str]) -> list[tuple[str, Offer]]:
    name = _name(file)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        problems.append(f"{name}: the file is not UTF-8 text; save it as CSV UTF-8")
        return []
    except OSError as exc:
        problems.append(f"{name}: cannot be read ({exc.strerror or exc})")
        return []
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None:
        problems.append(f"{name}: the file is empty; it needs a header row starting with 'nation'")
        return []
    columns = [re.sub(r"\s+", "_", column.strip().lower()) for column in header]
    lines = {line.id for line in scn.lines}
    allowed = {"nation", "caveats", *lines, *_CSV_EXTRA_COLUMNS}
    unknown = [c for c in columns if c not in allowed]
    if "nation" not in columns or unknown:
        if "nation" not in columns:
            problems.append(f"{name}: no 'nation' column in the header")
        for column in unknown:
            problems.append(f"{name}: unknown column {column!r} (allowed: nation, "
                            f"{', '.join(line.id for line in scn.lines)}, caveats, team, note)")
        return []
    by_name = {n.id: n.id for n in scn.nations} | {n.name.lower(): n.id for n in scn.nations}
    caveat_ids = {c.id: c.id for c in scn.caveats} | {c.label.lower(): c.id for c in scn.caveats}
    result = []
    for row_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(columns, (cell.strip() for cell in row)))
        where = f"{name}, row {row_number}"
        if len(row) > len(columns):
            problems.append(f"{where}: {len(row)} cells but only {len(columns)} columns (a stray comma?)")
            continue
        nation_id = by_name.get(cells.get("nation", "").lower())
        if nation_id is None:
            problems.append(f"{where}: unknown nation {cells.get('nation', '')!r} "
                            f"(nations: {', '.join(n.id for n in scn.nations)})")
            continue
        where = f"{where} (nation {nation_id!r})"
        units: dict[str, int] = {}
        row_ok = True
        for line in scn.lines:
            cell = cells.get(line.id, "")
            number = _whole_number(cell)
            if number is None:
                problems.append(f"{where}, column {line.id!r}: {cell!r} is not a whole number ≥ 0")
                row_ok = False
                continue
            capacity = scn.nation(nation_id).capacity.get(line.id, 0)
            if number > capacity:
                problems.append(f"{where}, column {line.id!r}: {number} offered but the nation card allows "
                                f"at most {capacity}")
                row_ok = False
            elif number:
                units[line.id] = number
        chosen: set[str] = set()
        for token in filter(None, (t.strip() for t in re.split(r"[;|,]", cells.get("caveats", "")))):
            caveat_id = caveat_ids.get(token.lower())
            if caveat_id is None:
                problems.append(f"{where}, column 'caveats': unknown caveat {token!r} "
                                f"(caveats: {', '.join(c.id for c in scn.caveats)})")
                row_ok = False
            else:
                chosen.add(caveat_id)
        if row_ok:
            result.append((where, Offer(nation_id, units, frozenset(chosen))))
    return result


def _whole_number(cell: str) -> int | None:
    if cell == "":
        return 0
    try:
        value = float(cell)
    except ValueError:
        return None
    if not math.isfinite(value) or value < 0 or value != int(value):
        return None
    return int(value)


# --------------------------------------------------------------------------------------------------- chart

def plot_outcome(outcome: Outcome, ax: plt.Axes | None = None) -> plt.Axes:
    """Grouped bars per phase: the share of the requirement filled on paper and the share that is usable."""
    import matplotlib.pyplot as plt

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
    for bars, values in ((bars_paper, paper), (bars_usable, usable)):
        for bar, value in zip(bars, values):
            ax.annotate(f"{value:.0f}%", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        xytext=(0, 2), textcoords="offset points", ha="center", fontsize=8)
    ax.set_xticks(list(x), labels)
    ax.set_ylim(0, 135)
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel("Requirement filled (%, mean over lines)")
    ax.set_xlabel("Mission phase")
    ax.set_title(f"{outcome.scenario.title}: filled on paper vs usable")
    ax.legend(loc="upper center", ncol=2, fontsize=8)
    caption(ax, f"course simulation, scenario '{outcome.scenario.name}' (illustrative nations and numbers, "
                "not real data)")
    return ax


def widget(scenario_name: str = "stabilisation", seed: int | None = None,
           offers: Iterable[Offer] | None = None) -> ForceGenerationView:
    """The force generation conference as an interactive table (see ``force_generation_view``)."""
    from alliance_course.sims.force_generation_view import ForceGenerationView

    return ForceGenerationView(scenario(scenario_name), seed=seed, offers=offers)


# --------------------------------------------------------------------------------------------------- scenarios
# ILLUSTRATIVE: invented nations and numbers. The requirement lines echo the capability gaps NATO commanders
# reported for ISAF (manoeuvre battalions, helicopters, medical, ISR; see the data table force_generation_reports);
# the caveat kinds follow the usual classification (where, what, how long, with whose approval); the government
# types mirror the pattern Saideman & Auerswald (2012) report (coalition governments attach more caveats).

_STAB_CAVEATS = (
    Caveat("no_south", "Only in the capital region and the north", "geographic", frozenset({"south"}),
           "Units may not deploy to the contested south."),
    Caveat("no_combat", "No combat operations", "task", frozenset({"combat"}),
           "Units may defend themselves but not take part in offensive operations."),
    Caveat("no_night", "No night flying", "task", frozenset({"night"}),
           "Aircraft may fly only in daylight (e.g. for lack of night-vision equipment)."),
    Caveat("six_months", "Home after six months", "temporal", frozenset({"extended"}),
           "Units go home after six months and are not replaced."),
    Caveat("capital_approval", "Each new task needs the capital's approval", "approval", frozenset({"short_notice"}),
           "The contingent commander must ask the capital ('phone home') before a new task, so it cannot be used "
           "at short notice.", "capital approval"),
)

_STAB_LINES = (
    RequirementLine("manoeuvre", "Manoeuvre battalions", "battalion", "Manoeuvre"),
    RequirementLine("helicopters", "Helicopters", "helicopter", "Helicopters"),
    RequirementLine("medical", "Medical (field hospitals)", "field hospital", "Medical"),
    RequirementLine("isr", "ISR units", "ISR unit", "ISR"),
    RequirementLine("hq_signals", "HQ and signals", "HQ package", "HQ"),
    RequirementLine("route_clearance", "Route clearance", "company", "Route clearance"),
)

_EXT = frozenset({"extended"})
_STAB_PHASES = (
    Phase("entry", "1 Entry", {"manoeuvre": 4, "helicopters": 6, "medical": 2, "isr": 2, "hq_signals": 1,
                               "route_clearance": 2},
          {"helicopters": {"night"}},
          "Months 0-6: deploy and secure the capital region."),
    Phase("south", "2 Stabilise the south",
          {"manoeuvre": 6, "helicopters": 8, "medical": 2, "isr": 3, "hq_signals": 1, "route_clearance": 3},
          {"manoeuvre": {"south", "combat", "extended"}, "helicopters": {"south", "night", "short_notice", "extended"},
           "medical": {"south", "extended"}, "isr": {"south", "extended"}, "hq_signals": _EXT,
           "route_clearance": {"south", "combat", "extended"}},
          "Months 6-12: push into the contested south."),
    Phase("transition", "3 Transition",
          {"manoeuvre": 3, "helicopters": 4, "medical": 1, "isr": 2, "hq_signals": 1, "route_clearance": 1},
          {"manoeuvre": {"short_notice", "extended"}, "helicopters": {"night", "extended"}, "medical": _EXT,
           "isr": _EXT, "hq_signals": _EXT, "route_clearance": _EXT},
          "Months 12-18: hand over to local forces, with a quick reaction force."),
)


def _cap(manoeuvre: int = 0, helicopters: int = 0, medical: int = 0, isr: int = 0, hq_signals: int = 0,
         route_clearance: int = 0) -> dict[str, int]:
    values = {"manoeuvre": manoeuvre, "helicopters": helicopters, "medical": medical, "isr": isr,
              "hq_signals": hq_signals, "route_clearance": route_clearance}
    return {k: v for k, v in values.items() if v}


_STAB_NATIONS = (
    Nation("aldoria", "Aldoria", _cap(3, 4, 1, 1, 1, 1), frozenset(), "presidential", True, 1.0,
           "Lead and framework nation: provides the HQ and the bulk of the enablers."),
    Nation("borvia", "Borvia", _cap(2, 3, 1, 1, 0, 1), frozenset({"no_south", "no_combat"}),
           "coalition government", True, 0.7, "Large Ally; its parliament's mandate keeps it in the north."),
    Nation("celtra", "Celtra", _cap(2, 0, 0, 1, 0, 1), frozenset(), "single-party parliamentary", True, 0.8,
           "Medium Ally with few restrictions."),
    Nation("dravonia", "Dravonia", _cap(1, 2, 1, 0, 0, 0), frozenset({"no_night", "six_months"}),
           "coalition government", True, 0.6, "Offers helicopters without night-vision kit, for six months."),
    Nation("elvaria", "Elvaria", _cap(1, 0, 1, 1, 0, 1), frozenset({"capital_approval"}),
           "coalition government", True, 0.7, "Small Ally whose commander must 'phone home' for new tasks."),
    Nation("faronia", "Faronia", _cap(1, 0, 0, 1, 0, 0), frozenset({"no_combat"}), "coalition government",
           False, 0.5, "Partner country (not an Ally) contributing to a NATO-led operation."),
)

_MAR_CAVEATS = (
    Caveat("home_waters", "Only in the home sea area", "geographic", frozenset({"distant"}),
           "Ships stay in the sea area near home."),
    Caveat("no_boarding", "No opposed boarding", "task", frozenset({"boarding"}),
           "Boarding teams may board only with the master's consent."),
    Caveat("four_months", "Home after four months", "temporal", frozenset({"extended"}),
           "Ships and aircraft go home after four months."),
    Caveat("capital_approval", "Each new task needs the capital's approval", "approval", frozenset({"short_notice"}),
           "No tasking at short notice without the capital's approval.", "capital approval"),
)

_MAR_LINES = (
    RequirementLine("frigates", "Frigates", "frigate", "Frigates"),
    RequirementLine("patrol_aircraft", "Maritime patrol aircraft", "aircraft", "Patrol aircraft"),
    RequirementLine("boarding_teams", "Boarding teams", "team", "Boarding"),
    RequirementLine("medical", "Medical evacuation", "team", "Medevac"),
    RequirementLine("hq_signals", "Maritime HQ and signals", "HQ package", "HQ"),
)

_MAR_PHASES = (
    Phase("surveillance", "1 Surveillance", {"frigates": 3, "patrol_aircraft": 2, "medical": 1, "hq_signals": 1},
          {"patrol_aircraft": {"distant"}}, "Months 0-4: watch the shipping lanes."),
    Phase("interdiction", "2 Interdiction",
          {"frigates": 5, "patrol_aircraft": 3, "boarding_teams": 4, "medical": 1, "hq_signals": 1},
          {"frigates": {"distant", "extended"}, "patrol_aircraft": {"distant", "extended"},
           "boarding_teams": {"boarding", "distant", "extended"}, "medical": {"short_notice", "extended"},
           "hq_signals": _EXT},
          "Months 4-8: stop and search suspect ships far from home."),
    Phase("escort", "3 Escort", {"frigates": 4, "patrol_aircraft": 1, "boarding_teams": 1, "medical": 1,
                                 "hq_signals": 1},
          {"frigates": {"short_notice", "extended"}, "patrol_aircraft": _EXT, "boarding_teams": _EXT,
           "medical": _EXT, "hq_signals": _EXT},
          "Months 8-12: escort merchant convoys, reacting at short notice."),
)


def _mar(frigates: int = 0, patrol_aircraft: int = 0, boarding_teams: int = 0, medical: int = 0,
         hq_signals: int = 0) -> dict[str, int]:
    values = {"frigates": frigates, "patrol_aircraft": patrol_aircraft, "boarding_teams": boarding_teams,
              "medical": medical, "hq_signals": hq_signals}
    return {k: v for k, v in values.items() if v}


_MAR_NATIONS = (
    Nation("celtra", "Celtra", _mar(2, 1, 2, 1, 1), frozenset(), "single-party parliamentary", True, 1.0,
           "Lead nation: a maritime power with the most at stake in the shipping lanes."),
    Nation("aldoria", "Aldoria", _mar(2, 2, 1, 0, 0), frozenset(), "presidential", True, 0.6,
           "Large Ally busy elsewhere: capable, but only partly willing."),
    Nation("borvia", "Borvia", _mar(1, 0, 1, 1, 0), frozenset({"home_waters", "no_boarding"}),
           "coalition government", True, 0.8, "Keeps its ships close to home."),
    Nation("dravonia", "Dravonia", _mar(1, 1, 0, 0, 0), frozenset({"four_months"}), "coalition government",
           True, 0.7, "Offers a frigate and an aircraft for one rotation."),
    Nation("elvaria", "Elvaria", _mar(0, 0, 1, 1, 0), frozenset({"capital_approval"}), "coalition government",
           True, 0.7, "Small Ally with a boarding team and a medical team."),
)

SCENARIOS: dict[str, Scenario] = {
    "stabilisation": Scenario(
        "stabilisation", "Operation Keystone (illustrative)",
        "A NATO-led stabilisation mission in an invented country: enter and secure the capital, stabilise the "
        "contested south, hand over. Invented nations and numbers.",
        _STAB_LINES, _STAB_PHASES, _STAB_CAVEATS, _STAB_NATIONS, lead="aldoria", seed=5),
    "maritime": Scenario(
        "maritime", "Operation Harbour Watch (illustrative)",
        "A maritime security mission: watch the shipping lanes, stop and search suspect ships far from home, "
        "escort convoys. Invented nations and numbers.",
        _MAR_LINES, _MAR_PHASES, _MAR_CAVEATS, _MAR_NATIONS, lead="celtra", seed=7),
}


def scenario_names() -> list[str]:
    """The names of the shipped (illustrative) scenarios."""
    return list(SCENARIOS)


def scenario(name: str) -> Scenario:
    """A shipped scenario by name; an unknown name gets a message listing the ones that exist."""
    try:
        return SCENARIOS[name]
    except KeyError:
        raise KeyError(f"no force generation scenario {name!r}; choose one of: {', '.join(SCENARIOS)}") from None
