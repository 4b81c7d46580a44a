"""The force generation model: errors, scenario building blocks (caveats, requirement lines, phases, nation
cards, scenarios), offers and results."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Literal

import pandas as pd

CaveatKind = Literal["geographic", "task", "temporal", "approval"]
CAVEAT_KINDS: tuple[str, ...] = ("geographic", "task", "temporal", "approval")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


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
    unit_cost: float = 1.0

    @property
    def short_label(self) -> str:
        """A label short enough for a table header (``short``, else the full label)."""
        return self.short or self.label

    def __post_init__(self) -> None:
        _check_id("Requirement line", self.id)
        cost = self.unit_cost
        if isinstance(cost, bool) or not isinstance(cost, (int, float)) or not cost >= 0 or cost == float("inf"):
            raise ScenarioError(f"requirement line {self.id!r}: unit_cost is {cost!r}; use a number, 0 or more "
                                "(the cost of one unit, in any unit you like)")


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
    def unit_usable_fill_rate(self) -> float:
        """Usable units (capped at each line's requirement) over units required: big lines weigh more."""
        required = sum(r.required for r in self.lines)
        return sum(min(r.usable, r.required) for r in self.lines) / required if required else 1.0

    @property
    def weakest_line(self) -> LineResult | None:
        """The line with the lowest usable fill rate in this phase (ties: the larger gap, then the earlier line);
        the line that decides whether the phase can be done, which the mean can hide."""
        return min(self.lines, key=lambda r: (r.usable_fill, -r.gap), default=None)

    @property
    def binding_fill(self) -> float:
        """The usable fill rate of the weakest line (1.0 for a phase without lines)."""
        weakest = self.weakest_line
        return weakest.usable_fill if weakest is not None else 1.0

    @property
    def lead_share(self) -> float:
        """The lead nation's share of the usable units, averaged over the lines that have any (0 if none has).
        Each line counts equally (one HQ as much as six battalions); see :meth:`Outcome.lead_unit_share` and
        :meth:`Outcome.cost_share` for shares by units and by cost."""
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
        """The lead nation's share of the usable units, **averaged over requirement lines** and phases (0 to 1):
        each line counts equally, whatever its size, and units ruled out by caveats are not counted. It is one
        measure of the lead's burden among several: see :meth:`lead_unit_share` and :meth:`cost_share`."""
        return sum(p.lead_share for p in self.phases) / len(self.phases)

    def lead_unit_share(self, usable: bool = True) -> float:
        """The lead nation's share counted by units rather than averaged over lines. ``usable=True``: its usable
        units over all usable units, summed over every phase and line; ``usable=False``: its offered units over
        all offered units (what each nation puts on the table, usable or not). 0 when there are none."""
        if usable:
            lead = sum(r.lead_usable for p in self.phases for r in p.lines)
            total = sum(r.usable for p in self.phases for r in p.lines)
        else:
            lead = sum(o.total() for o in self.offers if o.nation == self.scenario.lead)
            total = sum(o.total() for o in self.offers)
        return lead / total if total else 0.0

    def cost_share(self, nation: str | None = None) -> float:
        """A nation's share of the cost of every **offered** unit (default: the lead nation): costs lie where
        they fall, so a unit a caveat makes unusable still costs its sender. Each unit costs its line's
        ``unit_cost`` (1 by default, so the share is by units; set costs to weigh a helicopter above a medical
        team). 0 when nothing is offered."""
        nation = nation or self.scenario.lead
        self.scenario.nation(nation)  # a clear KeyError for an unknown nation
        costs = {line.id: line.unit_cost for line in self.scenario.lines}
        paid = {o.nation: sum(costs.get(line, 0.0) * n for line, n in o.units.items()) for o in self.offers}
        total = sum(paid.values())
        return paid.get(nation, 0.0) / total if total else 0.0

    def costs(self) -> pd.DataFrame:
        """One row per nation that offers: its units offered, its cost (units × ``unit_cost``) and its share."""
        costs = {line.id: line.unit_cost for line in self.scenario.lines}
        records = [{"nation": o.nation, "units": o.total(),
                    "cost": sum(costs.get(line, 0.0) * n for line, n in o.units.items())} for o in self.offers]
        frame = pd.DataFrame.from_records(records, columns=["nation", "units", "cost"])
        total = frame["cost"].sum()
        frame["cost_share"] = frame["cost"] / total if total else 0.0
        return frame

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
        """One row per phase: fill rate on paper and usable fill rate (means over the lines), the weakest line
        (empty when every line is fully usable) and its usable fill rate (``binding_fill``: the line that decides),
        the lead nation's share of usable units (line average)."""
        records = []
        for p in self.phases:
            weakest = p.weakest_line if p.binding_fill < 1.0 else None  # a fully usable phase has no weak line
            records.append({"phase": p.phase, "label": p.label, "fill_rate": p.fill_rate,
                            "usable_fill_rate": p.usable_fill_rate, "lead_share": p.lead_share,
                            "weakest_line": weakest.line if weakest else None,
                            "weakest_usable": min(weakest.usable, weakest.required) if weakest else None,
                            "weakest_required": weakest.required if weakest else None,
                            "binding_fill": p.binding_fill})
        return pd.DataFrame.from_records(records, columns=["phase", "label", "fill_rate", "usable_fill_rate",
                                                           "lead_share", "weakest_line", "weakest_usable",
                                                           "weakest_required", "binding_fill"])

    def describe(self) -> str:
        """A few plain sentences: each phase's fill rates and weakest line, the binding shortfall, the lead
        nation's share of the usable units (line average), by units and of the cost of what is offered."""
        out = []
        for p in self.phases:
            sentence = f"{p.label}: {p.fill_rate:.0%} filled on paper, {p.usable_fill_rate:.0%} usable on average"
            weakest = p.weakest_line
            if weakest is not None and weakest.usable_fill < 1.0:
                sentence += (f"; weakest line {self.scenario.line(weakest.line).label}: "
                             f"{min(weakest.usable, weakest.required)} of {weakest.required} usable")
            out.append(sentence + ".")
        binding = self.binding
        if binding is None:
            out.append("No shortfall: every requirement line is fully usable in every phase.")
        else:
            unit = self.scenario.line(binding.line).unit
            out.append(f"Binding shortfall: {binding.line_label} in '{binding.phase_label}' "
                       f"({binding.usable} of {binding.required} usable, {binding.gap} {unit}(s) missing).")
        out.append(f"Lead nation ({self.scenario.lead_nation.name}) provides {self.lead_burden:.0%} of the usable "
                   "units (averaged over requirement lines and phases); counted by units, "
                   f"{self.lead_unit_share():.0%} of the usable units and {self.lead_unit_share(usable=False):.0%} "
                   f"of all units offered; it bears {self.cost_share():.0%} of the cost of the units offered.")
        return "\n".join(out)


def _lookup_result(phases: Sequence[PhaseResult], phase_id: str, scenario: Scenario) -> PhaseResult:
    for result in phases:
        if result.phase == phase_id:
            return result
    raise KeyError(f"scenario {scenario.name!r} has no phase {phase_id!r} (it has: "
                   f"{', '.join(p.phase for p in phases)})")
