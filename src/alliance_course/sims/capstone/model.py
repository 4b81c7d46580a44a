"""The capstone's inputs and results: tracks, stances, criteria, timing and threshold assumptions, members,
the crisis, the setting, steps and track results, scores."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from alliance_course.sims import force_generation as fg
from alliance_course.sims import public_goods as pg

TRACKS: tuple[str, ...] = ("nato", "coalition")
TRACK_LABELS: Mapping[str, str] = MappingProxyType({"nato": "Through NATO", "coalition": "Coalition of the willing"})
STANCES: tuple[str, ...] = ("support", "conditional", "block")
TERMS: tuple[str, ...] = ("partners", "lead")
COALITION_KINDS: tuple[str, ...] = ("lead", "co-led")
CRITERIA: tuple[str, ...] = ("speed", "legitimacy", "capability", "cohesion")
TERMS_LABELS: Mapping[str, str] = MappingProxyType({"partners": "the partners' terms (they keep their caveats)",
                                                    "lead": "the lead nation's terms (no caveats)"})


class CapstoneError(ValueError):
    """A crisis, a setting or a set of weights is wrong; the message names the field and what is allowed."""


# --------------------------------------------------------------------------------------------------- inputs

@dataclass(frozen=True)
class Timing:
    """The model's clock, in days (illustrative durations, not measurements).

    Through NATO: the Council's first discussion (``council``), ``per_condition`` more days of talks for each
    conditional Ally, military planning of the concept of operations and the statement of requirements
    (``planning``), force generation (``force_generation``: the conference and each capital's decision) and
    ``deployment``. As a coalition: the lead nation's own decision (``lead_decision``), recruiting partners
    (``recruit_partners_terms`` when each partner's terms are negotiated, ``recruit_lead_terms`` when the lead
    nation's terms are take-it-or-leave-it) and the same ``deployment``. A co-led coalition takes
    ``co_lead_decision`` more days for the two leads to agree.
    """

    council: int = 7
    per_condition: int = 7
    planning: int = 14
    force_generation: int = 14
    deployment: int = 10
    lead_decision: int = 3
    recruit_partners_terms: int = 14
    recruit_lead_terms: int = 7
    co_lead_decision: int = 7

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise CapstoneError(f"Timing: {name} is {value!r}; use a whole number of days, 0 or more")


@dataclass(frozen=True)
class Thresholds:
    """Who takes part, by each nation's willingness (the ``willingness`` of its force generation card, 0 to 1).

    Through NATO an Ally offers forces from ``nato_ally`` up and a partner from ``nato_partner`` up: inside the
    alliance a government that cares little about the crisis still contributes, to be seen as a reliable Ally. A
    coalition needs ``coalition``. Under the lead nation's terms a nation that attaches caveats joins only if its
    willingness reaches ``give_up_caveats`` (then it drops them); one without caveats loses nothing by accepting.
    """

    nato_ally: float = 0.3
    nato_partner: float = 0.5
    coalition: float = 0.7
    give_up_caveats: float = 0.8

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
                raise CapstoneError(f"Thresholds: {name} is {value!r}; use a number between 0 and 1")


@dataclass(frozen=True)
class Member:
    """What the crisis adds to a nation's force generation card: its income (GDP, in billions of an invented
    currency), its default stance in the North Atlantic Council (Allies only) and, for a conditional Ally, the
    caveat it wants written into the mandate."""

    nation: str
    gdp: float
    stance: str = "support"
    condition: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.gdp, bool) or not isinstance(self.gdp, (int, float)) or not math.isfinite(self.gdp) \
                or self.gdp <= 0:
            raise CapstoneError(f"member {self.nation!r}: gdp is {self.gdp!r}; use a positive number")
        _check_stance(self.stance, f"member {self.nation!r}")
        if self.stance == "conditional" and not self.condition:
            raise CapstoneError(f"member {self.nation!r} is conditional but names no condition (a caveat id)")


def _check_stance(stance: object, where: str) -> None:
    if stance not in STANCES:
        raise CapstoneError(f"{where}: stance {stance!r} is not one of {', '.join(STANCES)}")


@dataclass(frozen=True)
class Crisis:
    """A crisis to answer: the force it needs (a :class:`~.force_generation.Scenario`), a :class:`Member` card
    for each of its nations, the clock and the participation thresholds. ``illustrative`` is True for the crisis
    shipped with the course."""

    name: str
    title: str
    description: str
    scenario: fg.Scenario
    members: tuple[Member, ...]
    timing: Timing = Timing()
    thresholds: Thresholds = Thresholds()
    illustrative: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "members", tuple(self.members))
        where = f"crisis {self.name!r}"
        nations = [n.id for n in self.scenario.nations]
        cards = [m.nation for m in self.members]
        if sorted(nations) != sorted(cards) or len(set(cards)) != len(cards):
            raise CapstoneError(f"{where}: needs exactly one member card per nation of its scenario "
                                f"(nations: {', '.join(nations)}; cards: {', '.join(cards)})")
        caveats = {c.id for c in self.scenario.caveats}
        for member in self.members:
            nation = self.scenario.nation(member.nation)
            if not nation.ally and member.stance != "support":
                raise CapstoneError(f"{where}: {member.nation!r} is a partner, not an Ally, so it has no stance in "
                                    "the North Atlantic Council (leave it at 'support')")
            if member.condition is not None and member.condition not in caveats:
                raise CapstoneError(f"{where}: {member.nation!r} asks for the unknown condition "
                                    f"{member.condition!r} (caveats: {', '.join(sorted(caveats))})")
        if self.member(self.scenario.lead).stance != "support":
            raise CapstoneError(f"{where}: the lead nation {self.scenario.lead!r} must support its own mission")

    @property
    def lead(self) -> str:
        return self.scenario.lead

    @property
    def allies(self) -> tuple[str, ...]:
        """The Allies (members of the alliance), in card order."""
        return tuple(n.id for n in self.scenario.nations if n.ally)

    @property
    def partners(self) -> tuple[str, ...]:
        """The partner countries (not Allies), in card order."""
        return tuple(n.id for n in self.scenario.nations if not n.ally)

    def member(self, nation_id: str) -> Member:
        for member in self.members:
            if member.nation == nation_id:
                return member
        raise KeyError(f"crisis {self.name!r} has no nation {nation_id!r} "
                       f"(it has: {', '.join(m.nation for m in self.members)})")

    def name_of(self, nation_id: str) -> str:
        return self.scenario.nation(nation_id).name


@dataclass(frozen=True)
class Setting:
    """The choices that differ between runs.

    ``un_mandate``: the UN Security Council has authorised the mission. ``host_consent``: Varnia's government has
    asked for it. ``stances``: Council stances that replace the default ones, e.g. ``{"galmoria": "block"}``.
    ``terms``: the coalition's terms, ``"partners"`` or ``"lead"``. ``private_share`` and ``threat`` are lesson
    07's parameters for the coalition's voluntary cost sharing (the share of a contribution that benefits only
    the contributor, and how much the members care about the crisis).

    ``coalition_kind``: ``"lead"`` (one lead nation decides) or ``"co-led"`` (two leads decide together, like the
    2025 coalition of the willing co-chaired by the United Kingdom and France: ``Timing.co_lead_decision`` more
    days, members negotiate their own terms, and the two leads split what the voluntary equilibrium leaves them
    in proportion to GDP). ``co_lead``: the second lead (default: the Ally with the largest GDP after the lead).
    ``coalition_threshold``: the willingness a nation needs to join the coalition, replacing the crisis's
    ``Thresholds.coalition`` (e.g. 0.6 when you judge that more nations would join). All illustrative.
    """

    un_mandate: bool = False
    host_consent: bool = True
    stances: Mapping[str, str] = field(default_factory=dict)
    terms: str = "partners"
    private_share: float = 0.0
    threat: float = 0.03
    coalition_kind: str = "lead"
    co_lead: str | None = None
    coalition_threshold: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "stances", MappingProxyType(dict(self.stances)))
        for name in ("un_mandate", "host_consent"):
            if not isinstance(getattr(self, name), bool):
                raise CapstoneError(f"Setting: {name} is {getattr(self, name)!r}; use True or False")
        for nation, stance in self.stances.items():
            _check_stance(stance, f"Setting, stances[{nation!r}]")
        if self.coalition_kind not in COALITION_KINDS:
            raise CapstoneError(f"Setting: coalition_kind {self.coalition_kind!r} is not one of "
                                f"{', '.join(COALITION_KINDS)} ('lead': one lead nation; 'co-led': two leads)")
        if self.co_lead is not None and not isinstance(self.co_lead, str):
            raise CapstoneError(f"Setting: co_lead is {self.co_lead!r}; use a nation id such as 'borvia', or None")
        value = self.coalition_threshold
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                  or not 0.0 <= value <= 1.0):
            raise CapstoneError(f"Setting: coalition_threshold is {value!r}; use a number between 0 and 1, or None")
        if self.terms not in TERMS:
            raise CapstoneError(f"Setting: terms {self.terms!r} is not one of {', '.join(TERMS)} "
                                "('partners': partners keep their caveats; 'lead': the lead nation's terms)")
        try:
            self.parameters()
        except ValueError as exc:
            raise CapstoneError(f"Setting: {exc}") from None

    def __hash__(self) -> int:
        return hash((self.un_mandate, self.host_consent, tuple(sorted(self.stances.items())), self.terms,
                     self.private_share, self.threat, self.coalition_kind, self.co_lead, self.coalition_threshold))

    def parameters(self) -> pg.Parameters:
        """The public-goods parameters for the coalition's cost sharing."""
        return pg.Parameters(threat=self.threat, private_share=self.private_share)


# --------------------------------------------------------------------------------------------------- results

@dataclass(frozen=True)
class Step:
    """One step on a track's way from the request to a deployed force."""

    label: str
    days: int
    short: str = ""


@dataclass(frozen=True)
class TrackResult:
    """What one track produced. ``launched`` is False when the Council was blocked (then there is no force)."""

    track: str
    launched: bool
    steps: tuple[Step, ...]
    participants: tuple[str, ...]
    decision_allies: tuple[str, ...]
    collective_decision: bool
    mandate_caveats: frozenset[str]
    force: fg.Outcome | None
    cost_shares: Mapping[str, float]
    blocked_by: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return TRACK_LABELS[self.track]

    @property
    def days(self) -> int | None:
        """Days from the request to a deployed force (None if the track never launched)."""
        return sum(step.days for step in self.steps) if self.launched else None

    @property
    def usable_fill(self) -> float | None:
        """The force's usable fill rate, mean over the phases (None if there is no force)."""
        return self.force.usable_fill_rate if self.force is not None else None

    @property
    def binding_fill(self) -> float | None:
        """The usable fill rate of the weakest requirement line in any phase (None if there is no force): the line
        that decides whether the mission can be done, which the mean over lines can hide."""
        if self.force is None:
            return None
        return min(p.binding_fill for p in self.force.phases)

    @property
    def states(self) -> int:
        """How many states contribute forces."""
        return len(self.participants)

    def lead_cost_share(self, lead: str) -> float | None:
        """The lead nation's share of the common costs (None if there are none)."""
        return self.cost_shares.get(lead, 0.0) if self.cost_shares else None


@dataclass(frozen=True)
class Scores:
    """A track's points on the four criteria, 0 to 4 each (see :data:`RULES`)."""

    speed: int
    legitimacy: int
    capability: int
    cohesion: int

    def as_dict(self) -> dict[str, int]:
        return {criterion: getattr(self, criterion) for criterion in CRITERIA}


# --------------------------------------------------------------------------------------------------- scoring rules

Bands = tuple[tuple[float, int], ...]


@dataclass(frozen=True)
class ScoringRules:
    """Every number and switch the scoring uses, so a learner can see it and change it (all illustrative).

    ``count_decision_twice``: whether the Council's collective decision gives a legitimacy point as well as
    cohesion's unity points. The default (False) counts the decision once, for cohesion only (2nd edition); True
    restores the first edition's rules, in which the same decision moved two criteria.
    ``breadth_threshold``: the contributing states needed for the breadth point of legitimacy.
    ``capability_measure``: ``"mean"`` scores the usable fill rate averaged over lines and phases (the course's
    first-edition rule); ``"binding"`` scores the weakest line instead (lesson 05: the line that decides).
    ``parliament``: the tracks whose deployment national parliaments approved, ``{"nato": bool, "coalition":
    bool}`` (or one bool for both); each approved track gets one legitimacy point (lesson 08: the Paris
    Declaration's "respective legal and constitutional arrangements"). ``max_points``: the top of every
    criterion's scale; a sum above it is cut to it. The bands: ``speed_bands`` (days at most → points),
    ``capability_bands`` (usable fill at least → points), ``unity_bands`` (share of Allies in the decision at
    least → points), ``burden_bands`` (lead nation's share of the common costs at most → points).
    """

    count_decision_twice: bool = False
    breadth_threshold: int = 6
    capability_measure: str = "mean"
    parliament: Mapping[str, bool] | bool = field(default_factory=dict)
    max_points: int = 4
    speed_bands: Bands = ((21, 4), (35, 3), (50, 2), (75, 1))
    capability_bands: Bands = ((0.95, 4), (0.85, 3), (0.70, 2), (0.50, 1))
    unity_bands: Bands = ((1.0, 2), (0.5, 1))
    burden_bands: Bands = ((0.5, 2), (0.75, 1))

    def __post_init__(self) -> None:
        if not isinstance(self.count_decision_twice, bool):
            raise CapstoneError(f"ScoringRules: count_decision_twice is {self.count_decision_twice!r}; use True "
                                "or False")
        if self.capability_measure not in ("mean", "binding"):
            raise CapstoneError(f"ScoringRules: capability_measure is {self.capability_measure!r}; use 'mean' "
                                "(usable fill averaged over lines) or 'binding' (the weakest line)")
        for name in ("breadth_threshold", "max_points"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise CapstoneError(f"ScoringRules: {name} is {value!r}; use a whole number, 0 or more")
        parliament = self.parliament
        if isinstance(parliament, bool):
            parliament = {track: parliament for track in TRACKS}
        if not isinstance(parliament, Mapping):
            raise CapstoneError(f"ScoringRules: parliament is {parliament!r}; use True/False or a dict such as "
                                '{"nato": True, "coalition": False}')
        unknown = sorted(set(parliament) - set(TRACKS))
        if unknown or not all(isinstance(v, bool) for v in parliament.values()):
            raise CapstoneError(f"ScoringRules: parliament is {dict(parliament)!r}; use the tracks "
                                f"{', '.join(TRACKS)} with True or False")
        object.__setattr__(self, "parliament", MappingProxyType({t: parliament.get(t, False) for t in TRACKS}))
        for name in ("speed_bands", "capability_bands", "unity_bands", "burden_bands"):
            bands = getattr(self, name)
            try:
                cleaned = tuple((float(limit), int(points)) for limit, points in bands)
            except (TypeError, ValueError):
                raise CapstoneError(f"ScoringRules: {name} is {bands!r}; use pairs (limit, points), e.g. "
                                    "((21, 4), (35, 3))") from None
            if any(not math.isfinite(limit) or points < 0 for limit, points in cleaned):
                raise CapstoneError(f"ScoringRules: {name} is {bands!r}; limits must be numbers, points 0 or more")
            object.__setattr__(self, name, cleaned)

    def __hash__(self) -> int:
        return hash((self.count_decision_twice, self.breadth_threshold, self.capability_measure,
                     tuple(self.parliament.items()),
                     self.max_points, self.speed_bands, self.capability_bands, self.unity_bands,
                     self.burden_bands))
