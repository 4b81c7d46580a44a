"""The capstone crisis, run twice: through NATO and as a coalition of the willing (an illustrative model).

One crisis, two ways to answer it. The **NATO track** needs a decision of the North Atlantic Council by consensus
(any Ally can block it; a reluctant Ally can make its consent conditional on a restriction written into the
mandate), then force generation with national caveats. The **coalition track** starts with the lead nation's own
decision; partners join on terms: either their own (they keep their caveats) or the lead nation's (no caveats, so
only the keenest come). Both tracks are then compared on four criteria, **speed, legitimacy, capability and
cohesion**, each scored 0 to 4 points by explicit rules (:data:`RULES`, :func:`rules_table`).

The model reuses the course's two simulators rather than rewriting them:

- :mod:`.force_generation` (lesson 05) counts the force: the crisis is lesson 05's *Operation Keystone*
  (``fg.scenario("stabilisation")``: the same requirement lines, phases and caveats) with three more nations, and
  :func:`~.force_generation.evaluate` gives the usable fill rate of each track's offers;
- :mod:`.public_goods` (lesson 07) says who pays the coalition's common costs (headquarters, logistics): with no
  treaty to share them, each member chooses its contribution, and :func:`~.public_goods.equilibrium` gives the
  Nash equilibrium. Through NATO, common costs are shared by an agreed formula based on national income instead
  (NATO, frequently asked questions, item 6 "NATO funding"), modelled here as shares of GDP among the Allies.

**Everything in the crisis is illustrative**: Varnia, the nine nations, their cards, incomes and stances are
invented, and so are the durations (:class:`Timing`) and the thresholds (:class:`Thresholds`). The rules encode
claims made in the course's sources (coalitions are faster and freer, alliances more legitimate and cohesive), so
the model shows what follows *from* those claims under stated assumptions; it cannot test them.

Example::

    >>> from alliance_course.sims import capstone
    >>> results = capstone.run_both()
    >>> results["nato"].days, results["coalition"].days
    (52, 27)
    >>> capstone.compare(results)[["speed", "legitimacy", "capability", "cohesion"]].to_dict("index")["nato"]
    {'speed': 1, 'legitimacy': 3, 'capability': 3, 'cohesion': 4}
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

import pandas as pd

from alliance_course.plots import KIND_COLOURS, PALETTE, caption
from alliance_course.sims import force_generation as fg
from alliance_course.sims import public_goods as pg

if TYPE_CHECKING:  # pragma: no cover - typing only
    import matplotlib.pyplot as plt

    from alliance_course.sims.capstone_view import CapstoneView

__all__ = [
    "TRACKS", "TRACK_LABELS", "STANCES", "TERMS", "TERMS_LABELS", "CRITERIA", "RULES", "SPEED_BANDS",
    "CAPABILITY_BANDS", "BREADTH_MIN", "CapstoneError", "Timing", "Thresholds",
    "Member", "Crisis", "Setting", "Step", "TrackResult", "Scores", "Rule", "crisis", "run_nato",
    "run_coalition", "run_both", "speed_score", "capability_score", "legitimacy_score", "cohesion_score", "score",
    "weighted_total", "compare", "rules_table", "assumptions_table", "cards_table", "timeline_table", "describe",
    "plot_scores", "plot_timeline", "widget",
]

TRACKS: tuple[str, ...] = ("nato", "coalition")
TRACK_LABELS: Mapping[str, str] = MappingProxyType({"nato": "Through NATO", "coalition": "Coalition of the willing"})
STANCES: tuple[str, ...] = ("support", "conditional", "block")
TERMS: tuple[str, ...] = ("partners", "lead")
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
    nation's terms are take-it-or-leave-it) and the same ``deployment``.
    """

    council: int = 7
    per_condition: int = 7
    planning: int = 14
    force_generation: int = 14
    deployment: int = 10
    lead_decision: int = 3
    recruit_partners_terms: int = 14
    recruit_lead_terms: int = 7

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
    """

    un_mandate: bool = False
    host_consent: bool = True
    stances: Mapping[str, str] = field(default_factory=dict)
    terms: str = "partners"
    private_share: float = 0.0
    threat: float = 0.03

    def __post_init__(self) -> None:
        object.__setattr__(self, "stances", MappingProxyType(dict(self.stances)))
        for name in ("un_mandate", "host_consent"):
            if not isinstance(getattr(self, name), bool):
                raise CapstoneError(f"Setting: {name} is {getattr(self, name)!r}; use True or False")
        for nation, stance in self.stances.items():
            _check_stance(stance, f"Setting, stances[{nation!r}]")
        if self.terms not in TERMS:
            raise CapstoneError(f"Setting: terms {self.terms!r} is not one of {', '.join(TERMS)} "
                                "('partners': partners keep their caveats; 'lead': the lead nation's terms)")
        try:
            self.parameters()
        except ValueError as exc:
            raise CapstoneError(f"Setting: {exc}") from None

    def __hash__(self) -> int:
        return hash((self.un_mandate, self.host_consent, tuple(sorted(self.stances.items())), self.terms,
                     self.private_share, self.threat))

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


# --------------------------------------------------------------------------------------------------- the crisis

_COUNCIL_APPROVAL = fg.Caveat(
    "council_approval", "Each new task needs the Council's approval", "approval", frozenset({"short_notice"}),
    "Written into the mandate at a reluctant Ally's request: every new task goes back to the North Atlantic "
    "Council, so no unit can be used at short notice.")

_EXTRA_NATIONS = (
    fg.Nation("galmoria", "Galmoria", {"medical": 1}, frozenset({"six_months"}), "coalition government", True, 0.3,
              "Small Ally wary of the mission: in the Council it wants every new task to come back to the Council."),
    fg.Nation("istra", "Istra", {"manoeuvre": 1, "route_clearance": 1}, frozenset(), "single-party parliamentary",
              True, 0.4, "Small Ally with no stake in Varnia that still contributes to Alliance operations."),
    fg.Nation("hestria", "Hestria", {"helicopters": 2, "isr": 1, "medical": 1}, frozenset(), "presidential", False,
              0.9, "Capable partner country outside the Alliance, keen to work with Aldoria."),
)

_MEMBERS = (
    Member("aldoria", 2000.0), Member("borvia", 1500.0), Member("celtra", 900.0), Member("dravonia", 500.0),
    Member("elvaria", 200.0), Member("faronia", 120.0),
    Member("galmoria", 80.0, "conditional", "council_approval"), Member("istra", 50.0), Member("hestria", 1100.0),
)


def _varnia() -> Crisis:
    base = fg.scenario("stabilisation")
    scenario = replace(base, name="varnia", title="The Varnia crisis (illustrative)",
                       description="Lesson 05's stabilisation mission, now for an invented country, Varnia, whose "
                                   "government asks its neighbours for a stabilisation force after a ceasefire. "
                                   "Invented nations and numbers.",
                       caveats=(*base.caveats, _COUNCIL_APPROVAL), nations=(*base.nations, *_EXTRA_NATIONS))
    return Crisis("varnia", "The Varnia crisis (illustrative)",
                  "After a ceasefire, the government of Varnia, an invented country on the Alliance's border, asks "
                  "for an international stabilisation force. Aldoria, the Ally with most at stake, is ready to lead. "
                  "Everything here is invented: nations, incomes, stances, durations.",
                  scenario, _MEMBERS)


_CRISES = {"varnia": _varnia()}


def crisis(name: str = "varnia") -> Crisis:
    """The shipped (illustrative) crisis; an unknown name gets a message listing the ones that exist."""
    try:
        return _CRISES[name]
    except KeyError:
        raise KeyError(f"no capstone crisis {name!r}; choose one of: {', '.join(_CRISES)}") from None


# --------------------------------------------------------------------------------------------------- the tracks

def _stances(crisis_: Crisis, setting: Setting) -> dict[str, str]:
    allies = set(crisis_.allies)
    for nation in setting.stances:
        if nation not in {m.nation for m in crisis_.members}:
            raise CapstoneError(f"Setting, stances: no nation {nation!r} in crisis {crisis_.name!r} "
                                f"(Allies: {', '.join(crisis_.allies)})")
        if nation not in allies:
            raise CapstoneError(f"Setting, stances: {nation!r} is a partner, not an Ally; it has no say in the "
                                "North Atlantic Council")
        if nation == crisis_.lead and setting.stances[nation] != "support":
            raise CapstoneError(f"Setting, stances: {nation!r} is the lead nation and must support its mission")
    return {ally: setting.stances.get(ally, crisis_.member(ally).stance) for ally in crisis_.allies}


def _offer(nation: fg.Nation, caveats: frozenset[str]) -> fg.Offer:
    return fg.Offer(nation.id, dict(nation.capacity), caveats)


def run_nato(crisis_: Crisis | None = None, setting: Setting | None = None) -> TrackResult:
    """The crisis through NATO: consensus in the Council, a mandate, force generation with caveats.

    Any Ally that blocks stops the track. Each conditional Ally adds ``per_condition`` days of talks and its
    condition (a caveat) is written into the mandate, so it applies to every unit. Allies whose willingness reaches
    ``nato_ally`` and partners reaching ``nato_partner`` offer their full cards with their own caveats. Common costs
    are shared among all Allies in proportion to GDP (NATO's cost-share formula, modelled).
    """
    crisis_ = crisis_ or crisis()
    setting = setting or Setting()
    stances = _stances(crisis_, setting)
    blocked = tuple(ally for ally, stance in stances.items() if stance == "block")
    conditional = [ally for ally, stance in stances.items() if stance == "conditional"]
    timing = crisis_.timing
    council = Step("Council reaches consensus" if not conditional else
                   f"Council reaches consensus after talks with {', '.join(crisis_.name_of(a) for a in conditional)}",
                   timing.council + timing.per_condition * len(conditional), "Council")
    if blocked:
        blocked_step = Step("Council blocked: no consensus", timing.council, "Council")
        return TrackResult("nato", False, (blocked_step,), (), (), True, frozenset(), None, MappingProxyType({}),
                           blocked)
    mandate = frozenset(crisis_.member(ally).condition or "" for ally in conditional) - {""}
    limits = crisis_.thresholds
    offers = [_offer(n, n.default_caveats | mandate) for n in crisis_.scenario.nations
              if n.willingness >= (limits.nato_ally if n.ally else limits.nato_partner)]
    force = fg.evaluate(crisis_.scenario, offers)
    gdp = {ally: crisis_.member(ally).gdp for ally in crisis_.allies}
    shares = {ally: value / sum(gdp.values()) for ally, value in gdp.items()}
    steps = (council, Step("Planning: concept of operations, statement of requirements", timing.planning, "Plan"),
             Step("Force generation conference and national decisions", timing.force_generation, "Offers"),
             Step("Deployment and transfer of authority", timing.deployment, "Deploy"))
    return TrackResult("nato", True, steps, tuple(o.nation for o in offers), crisis_.allies, True, mandate, force,
                       MappingProxyType(shares))


def run_coalition(crisis_: Crisis | None = None, setting: Setting | None = None) -> TrackResult:
    """The crisis as a coalition of the willing around the lead nation.

    The lead nation decides alone. Under the partners' terms every nation whose willingness reaches ``coalition``
    joins with its own caveats; under the lead nation's terms it must also accept no caveats, which a nation that
    attaches any does only if its willingness reaches ``give_up_caveats``. Council stances play no part. Common
    costs are voluntary: lesson 07's public-goods equilibrium among the coalition's members.
    """
    crisis_ = crisis_ or crisis()
    setting = setting or Setting()
    _stances(crisis_, setting)  # validate the setting the same way for both tracks
    limits, timing, lead = crisis_.thresholds, crisis_.timing, crisis_.lead
    offers = []
    for nation in crisis_.scenario.nations:
        if nation.id != lead and nation.willingness < limits.coalition:
            continue
        if setting.terms == "partners" or nation.id == lead:
            offers.append(_offer(nation, nation.default_caveats))
        elif not nation.default_caveats or nation.willingness >= limits.give_up_caveats:
            offers.append(_offer(nation, frozenset()))
    force = fg.evaluate(crisis_.scenario, offers)
    members = [pg.Ally(o.nation, crisis_.member(o.nation).gdp) for o in offers]
    spending = pg.equilibrium(members, setting.parameters()).spending
    shares = {ally.name: value / sum(spending) for ally, value in zip(members, spending)}
    recruit = timing.recruit_partners_terms if setting.terms == "partners" else timing.recruit_lead_terms
    steps = (Step(f"{crisis_.name_of(lead)} decides to lead", timing.lead_decision, "Lead"),
             Step(f"Recruiting partners on {TERMS_LABELS[setting.terms]}", recruit, "Recruit"),
             Step("Deployment", timing.deployment, "Deploy"))
    participants = tuple(o.nation for o in offers)
    decision_allies = tuple(a for a in crisis_.allies if a in participants)
    return TrackResult("coalition", True, steps, participants, decision_allies, False, frozenset(), force,
                       MappingProxyType(shares))


def run_both(crisis_: Crisis | None = None, setting: Setting | None = None) -> dict[str, TrackResult]:
    """Both tracks for the same crisis and setting: ``{"nato": …, "coalition": …}``."""
    crisis_ = crisis_ or crisis()
    setting = setting or Setting()
    return {"nato": run_nato(crisis_, setting), "coalition": run_coalition(crisis_, setting)}


# --------------------------------------------------------------------------------------------------- scoring

@dataclass(frozen=True)
class Rule:
    """One scoring rule: the criterion, the points it gives, when, and why (with the source of the idea)."""

    criterion: str
    points: str
    rule: str
    why: str


SPEED_BANDS: tuple[tuple[int, int], ...] = ((21, 4), (35, 3), (50, 2), (75, 1))
CAPABILITY_BANDS: tuple[tuple[float, int], ...] = ((0.95, 4), (0.85, 3), (0.70, 2), (0.50, 1))
BREADTH_MIN = 6

RULES: tuple[Rule, ...] = (
    Rule("speed", "4 / 3 / 2 / 1 / 0", "a deployed force within 21 / 35 / 50 / 75 days of the request; later or "
         "never: 0", "Speed is an advantage claimed for coalitions: 'the speed of action' (Svoboda, seed 000), "
         "'less discussion' (Rutar 2019, §4.1)."),
    Rule("legitimacy", "+1", "the UN Security Council has authorised the mission", "A legal basis in the UN "
         "Charter (lesson 03 compares coalitions with and without a mandate)."),
    Rule("legitimacy", "+1", "the host government has asked for the mission", "Consent of the state where the "
         "force deploys."),
    Rule("legitimacy", "+1", "the decision was taken collectively, in a body where every member has a voice",
         "NATO's consensus (Rutar 2019, §3); Svoboda (seed 000) calls coalitions 'a tool for bypassing democratic "
         "processes and international legitimacy'."),
    Rule("legitimacy", "+1", f"at least {BREADTH_MIN} states contribute forces", "Breadth: acting with partners "
         "raises approval at home and lowers pressure from abroad (Rutar 2019, §2)."),
    Rule("capability", "4 / 3 / 2 / 1 / 0", "usable fill rate (mean over the phases) of at least 95 / 85 / 70 / "
         "50 %; below 50 % or no force: 0", "Forces on paper are not forces the commander can use (lesson 05)."),
    Rule("cohesion", "+2 / +1", "every Ally took part in the decision / at least half of them did", "Unity: "
         "'Either we are allies, or we are not' (Svoboda, seed 000); Rutar 2019, §4.2, on fragmentation."),
    Rule("cohesion", "+2 / +1", "the lead nation pays at most 50 % / 75 % of the common costs", "Equality and "
         "burden sharing, the principles Rutar asks the strongest Allies to preserve (2019, Conclusion)."),
)


def speed_score(days: int | None) -> int:
    """Points for speed: 4 within 21 days, 3 within 35, 2 within 50, 1 within 75, else (or never) 0."""
    if days is None:
        return 0
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise CapstoneError(f"speed_score: days is {days!r}; use a whole number, 0 or more, or None")
    return next((points for limit, points in SPEED_BANDS if days <= limit), 0)


def capability_score(usable_fill: float | None) -> int:
    """Points for capability from the usable fill rate (0 to 1): 4 from 0.95, 3 from 0.85, 2 from 0.70, 1 from
    0.50, else (or no force) 0."""
    if usable_fill is None:
        return 0
    if isinstance(usable_fill, bool) or not isinstance(usable_fill, (int, float)) or not 0.0 <= usable_fill <= 1.0:
        raise CapstoneError(f"capability_score: usable_fill is {usable_fill!r}; use a share between 0 and 1")
    return next((points for limit, points in CAPABILITY_BANDS if usable_fill >= limit - 1e-9), 0)


def legitimacy_score(*, launched: bool, un_mandate: bool, host_consent: bool, collective_decision: bool,
                     states: int) -> int:
    """One point each for a UN mandate, host consent, a collective decision and at least ``BREADTH_MIN``
    contributing states; 0 if there is no mission."""
    if not launched:
        return 0
    return int(un_mandate) + int(host_consent) + int(collective_decision) + int(states >= BREADTH_MIN)


def cohesion_score(*, launched: bool, allies_share: float, lead_cost_share: float | None) -> int:
    """Two points if every Ally took part in the decision (one if at least half did), plus two if the lead nation
    pays at most half of the common costs (one if at most three quarters); 0 if there is no mission."""
    if not launched:
        return 0
    for name, value in (("allies_share", allies_share), ("lead_cost_share", lead_cost_share)):
        if value is not None and not 0.0 <= value <= 1.0 + 1e-9:
            raise CapstoneError(f"cohesion_score: {name} is {value!r}; use a share between 0 and 1")
    unity = 2 if allies_share >= 1.0 - 1e-9 else 1 if allies_share >= 0.5 else 0
    if lead_cost_share is None:
        burden = 0
    else:
        burden = 2 if lead_cost_share <= 0.5 + 1e-9 else 1 if lead_cost_share <= 0.75 + 1e-9 else 0
    return unity + burden


def score(result: TrackResult, setting: Setting | None = None, crisis_: Crisis | None = None) -> Scores:
    """Apply the four scoring rules to one track's result."""
    setting = setting or Setting()
    crisis_ = crisis_ or crisis()
    allies_share = len(result.decision_allies) / len(crisis_.allies)
    return Scores(
        speed=speed_score(result.days),
        legitimacy=legitimacy_score(launched=result.launched, un_mandate=setting.un_mandate,
                                    host_consent=setting.host_consent,
                                    collective_decision=result.collective_decision, states=result.states),
        capability=capability_score(result.usable_fill),
        cohesion=cohesion_score(launched=result.launched, allies_share=allies_share,
                                lead_cost_share=result.lead_cost_share(crisis_.lead)),
    )


def _weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    if weights is None:
        return {criterion: 1.0 for criterion in CRITERIA}
    unknown = sorted(set(weights) - set(CRITERIA))
    if unknown:
        raise CapstoneError(f"weights: unknown criterion {unknown} (criteria: {', '.join(CRITERIA)})")
    result = {criterion: weights.get(criterion, 0.0) for criterion in CRITERIA}
    for criterion, value in result.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise CapstoneError(f"weights: {criterion} is {value!r}; use a number, 0 or more")
    if sum(result.values()) == 0:
        raise CapstoneError("weights: at least one criterion needs a weight above 0")
    return {criterion: float(value) for criterion, value in result.items()}


def weighted_total(scores: Scores, weights: Mapping[str, float] | None = None) -> float:
    """The weighted mean of the four scores (0 to 4). Missing criteria weigh 0; by default all weigh 1."""
    chosen = _weights(weights)
    return sum(chosen[c] * getattr(scores, c) for c in CRITERIA) / sum(chosen.values())


# --------------------------------------------------------------------------------------------------- tables

def compare(results: Mapping[str, TrackResult], setting: Setting | None = None, crisis_: Crisis | None = None,
            weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Both tracks side by side: the measures, the four scores and the weighted total (index: the track)."""
    setting = setting or Setting()
    crisis_ = crisis_ or crisis()
    records = []
    for track, result in results.items():
        scores = score(result, setting, crisis_)
        records.append({
            "track": track, "label": result.label, "launched": result.launched, "days": result.days,
            "states": result.states, "usable_fill": result.usable_fill,
            "allies_in_decision": len(result.decision_allies), "lead_cost_share": result.lead_cost_share(crisis_.lead),
            **scores.as_dict(), "total": weighted_total(scores, weights)})
    frame = pd.DataFrame.from_records(records).set_index("track")
    return frame.astype({"days": "Int64", "usable_fill": "Float64", "lead_cost_share": "Float64"})


def rules_table() -> pd.DataFrame:
    """The scoring rules: criterion, points, when, and why."""
    return pd.DataFrame.from_records([vars(rule) for rule in RULES])


def assumptions_table(crisis_: Crisis | None = None) -> pd.DataFrame:
    """Every invented number the tracks depend on: the durations and the participation thresholds."""
    crisis_ = crisis_ or crisis()
    rows = [{"assumption": f"timing.{name}", "value": value, "unit": "days"}
            for name, value in vars(crisis_.timing).items()]
    rows += [{"assumption": f"thresholds.{name}", "value": value, "unit": "willingness (0-1)"}
             for name, value in vars(crisis_.thresholds).items()]
    return pd.DataFrame.from_records(rows)


def cards_table(crisis_: Crisis | None = None) -> pd.DataFrame:
    """The nation cards of the crisis: lesson 05's card (capacity, caveats, willingness) plus GDP and stance."""
    crisis_ = crisis_ or crisis()
    cards = fg.nation_cards(crisis_.scenario)
    cards.insert(3, "gdp", [crisis_.member(n).gdp for n in cards.index])
    cards["stance"] = [crisis_.member(n).stance if crisis_.scenario.nation(n).ally else "(partner)"
                       for n in cards.index]
    cards["condition"] = [crisis_.member(n).condition or "" for n in cards.index]
    return cards


def timeline_table(results: Mapping[str, TrackResult]) -> pd.DataFrame:
    """One row per step of each track: when it starts, how long it takes (days), when it ends."""
    records = []
    for track, result in results.items():
        start = 0
        for step in result.steps:
            records.append({"track": track, "step": step.label, "start": start, "days": step.days,
                            "end": start + step.days})
            start += step.days
    return pd.DataFrame.from_records(records, columns=["track", "step", "start", "days", "end"])


def describe(result: TrackResult, crisis_: Crisis | None = None) -> list[str]:
    """A few plain sentences about one track's result."""
    crisis_ = crisis_ or crisis()
    name = crisis_.name_of
    if not result.launched:
        return [f"{result.label}: no operation. {', '.join(name(a) for a in result.blocked_by)} blocked the "
                "Council, and without consensus NATO does not act."]
    assert result.force is not None  # launched tracks always have a force
    lines = [f"{result.label}: a force deploys on day {result.days}, with {result.states} contributing states "
             f"({', '.join(name(n) for n in result.participants)})."]
    if result.mandate_caveats:
        labels = "; ".join(_lower_first(crisis_.scenario.caveat(c).label) for c in sorted(result.mandate_caveats))
        lines.append(f"The mandate carries a condition for every unit: {labels}.")
    lines.append(f"{result.force.usable_fill_rate:.0%} of the requirement is usable "
                 f"({result.force.fill_rate:.0%} on paper).")
    lead_share = result.lead_cost_share(crisis_.lead) or 0.0
    how = "by NATO's cost-share formula (modelled as GDP shares)" if result.track == "nato" else \
        "by voluntary contributions (lesson 07's model)"
    lines.append(f"{name(crisis_.lead)} pays {lead_share:.0%} of the common costs, {how}.")
    return lines


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# --------------------------------------------------------------------------------------------------- charts

_TRACK_STYLE = {"nato": (KIND_COLOURS["alliance"], ""), "coalition": (KIND_COLOURS["coalition"], "//")}


def _below(ax: plt.Axes, inches: float) -> float:
    """An offset below the axes, in axes-fraction units, that is ``inches`` tall whatever the axes' size."""
    height = ax.get_position().height * ax.figure.get_figheight()
    return -inches / height


def plot_scores(frame: pd.DataFrame, ax: plt.Axes | None = None) -> plt.Axes:
    """Grouped horizontal bars: each criterion's score (0–4) for each track in ``frame`` (from :func:`compare`)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.6))
    height = 0.38
    for i, (track, row) in enumerate(frame.iterrows()):
        colour, hatch = _TRACK_STYLE.get(str(track), (PALETTE["green"], ".."))
        positions = [c + (i - 0.5) * height for c in range(len(CRITERIA))]
        values = [row[c] for c in CRITERIA]
        bars = ax.barh(positions, values, height, color=colour, hatch=hatch, edgecolor="black", linewidth=0.6,
                       label=f"{row['label']} (weighted total {row['total']:.2f})")
        for bar, value in zip(bars, values):
            ax.annotate(f"{value}", (bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(range(len(CRITERIA)), [c.capitalize() for c in CRITERIA])
    ax.invert_yaxis()
    ax.set_xlim(0, 4.4)
    ax.set_xticks(range(5))
    ax.set_xlabel("Score (points, 0 to 4)")
    ax.set_ylabel("Criterion")
    ax.set_title("The same crisis, two tracks: scores on four criteria", pad=30)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8, frameon=False)
    caption(ax, "course simulation alliance_course.sims.capstone (illustrative crisis, invented nations and "
                "numbers)", y=_below(ax, 0.6))
    return ax


def plot_timeline(results: Mapping[str, TrackResult], ax: plt.Axes | None = None) -> plt.Axes:
    """Each track as a bar of consecutive steps from the request (day 0) to a deployed force; each segment is
    labelled with its step and its length in days."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.0))
    table = timeline_table(results)
    tracks = list(results)
    shorts = {(track, step.label): step.short for track, result in results.items() for step in result.steps}
    for row in table.itertuples():
        colour, hatch = _TRACK_STYLE.get(row.track, (PALETTE["green"], ".."))
        y = tracks.index(row.track)
        ax.barh(y, row.days, left=row.start, color=colour, hatch=hatch, edgecolor="white", linewidth=1.5)
        short = shorts.get((row.track, row.step), "")
        text = f"{short}\n{row.days} d" if short and row.days >= 8 else f"{row.days}"
        ax.annotate(text, (row.start + row.days / 2, y), ha="center", va="center", fontsize=7.5, color="black",
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
    for y, track in enumerate(tracks):
        days = results[track].days
        ax.annotate("blocked: no operation" if days is None else f"day {days}",
                    (table.loc[table["track"] == track, "end"].max(), y), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=8, fontweight="bold")
    ax.set_yticks(range(len(tracks)), [TRACK_LABELS.get(t, t) for t in tracks])
    ax.invert_yaxis()
    ax.set_xlim(0, max(table["end"].max() * 1.2, 10))
    ax.set_xlabel("Days after the request")
    ax.set_title("From the request to a deployed force")
    caption(ax, "course simulation alliance_course.sims.capstone (illustrative durations: see assumptions_table())",
            y=_below(ax, 0.6))
    return ax


def widget(crisis_name: str = "varnia", setting: Setting | None = None) -> CapstoneView:
    """The two tracks as an interactive dashboard (see ``capstone_view``)."""
    from alliance_course.sims.capstone_view import CapstoneView

    return CapstoneView(crisis(crisis_name), setting or Setting())

