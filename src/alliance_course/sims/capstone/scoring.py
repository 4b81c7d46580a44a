"""Scoring the tracks on speed, legitimacy, capability and cohesion by explicit rules."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from alliance_course.sims.capstone.crises import crisis as shipped_crisis
from alliance_course.sims.capstone.model import (
    CRITERIA,
    CapstoneError,
    Crisis,
    Scores,
    Setting,
    TrackResult,
)

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


def score(result: TrackResult, setting: Setting | None = None, crisis: Crisis | None = None) -> Scores:
    """Apply the four scoring rules to one track's result."""
    setting = setting or Setting()
    crisis = crisis or shipped_crisis()
    allies_share = len(result.decision_allies) / len(crisis.allies)
    return Scores(
        speed=speed_score(result.days),
        legitimacy=legitimacy_score(launched=result.launched, un_mandate=setting.un_mandate,
                                    host_consent=setting.host_consent,
                                    collective_decision=result.collective_decision, states=result.states),
        capability=capability_score(result.usable_fill),
        cohesion=cohesion_score(launched=result.launched, allies_share=allies_share,
                                lead_cost_share=result.lead_cost_share(crisis.lead)),
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
