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
    TRACK_LABELS,
    Scores,
    ScoringRules,
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


DEFAULT_RULES = ScoringRules()
SPEED_BANDS: tuple[tuple[int, int], ...] = ((21, 4), (35, 3), (50, 2), (75, 1))
CAPABILITY_BANDS: tuple[tuple[float, int], ...] = ((0.95, 4), (0.85, 3), (0.70, 2), (0.50, 1))
BREADTH_MIN = 6


def _num(value: float) -> str:
    return f"{value:g}"


def _band_points(bands: tuple[tuple[float, int], ...]) -> str:
    return " / ".join(str(points) for _, points in bands) + " / 0"


def rules_for(scoring: ScoringRules | None = None) -> tuple[Rule, ...]:
    """The scoring rules as sentences, written from ``scoring`` (default: the course's rules), so what the
    table says is what the code does."""
    r = scoring or DEFAULT_RULES
    speed = " / ".join(_num(limit) for limit, _ in r.speed_bands)
    capability = " / ".join(_num(100 * limit) for limit, _ in r.capability_bands)
    unity = " / ".join(f"{100 * limit:g} %" for limit, _ in r.unity_bands)
    burden = " / ".join(f"{100 * limit:g} %" for limit, _ in r.burden_bands)
    approved = [TRACK_LABELS[t] for t, yes in r.parliament.items() if yes]
    out = [
        Rule("speed", _band_points(r.speed_bands), f"a deployed force within {speed} days of the request; later or "
             "never: 0", "Speed is an advantage claimed for coalitions: 'the speed of action' (Svoboda, seed 000), "
             "'less discussion' (Rutar 2019, §4.1)."),
        Rule("legitimacy", "+1", "the UN Security Council has authorised the mission", "A legal basis in the UN "
             "Charter (lesson 03 compares coalitions with and without a mandate)."),
        Rule("legitimacy", "+1", "the host government has asked for the mission", "Consent of the state where the "
             "force deploys."),
        Rule("legitimacy", "+1" if r.count_decision_twice else "0 (counted once, for cohesion)",
             "the decision was taken collectively, in a body where every member has a voice"
             + ("; on (count_decision_twice=True): the decision counts for legitimacy and for cohesion"
                if r.count_decision_twice else "; off by default (count_decision_twice=False): the decision "
                "counts for cohesion only; set it to True to count it here as well"),
             "NATO's consensus (Rutar 2019, §3); Svoboda (seed 000) calls coalitions 'a tool for bypassing "
             "democratic processes and international legitimacy'. The same decision also gives cohesion's unity "
             "points, so it would be counted twice if count_decision_twice were True (the first edition's rule)."),
        Rule("legitimacy", "+1", f"at least {r.breadth_threshold} states contribute forces (breadth_threshold)",
             "Breadth: acting with partners raises approval at home and lowers pressure from abroad "
             "(Rutar 2019, §2)."),
        Rule("legitimacy", "+1", "national parliaments approved the deployment (parliament: "
             + (", ".join(approved) if approved else "no track set") + ")",
             "Democratic approval at home, for either track: the Paris Declaration of 6 Jan 2026 commits the "
             "coalition 'in accordance with our respective legal and constitutional arrangements' (lesson 08)."),
        Rule("legitimacy", f"at most {r.max_points}", f"a sum above {r.max_points} counts as {r.max_points} "
             "(max_points)", "Every criterion is on the same scale, so no criterion weighs more by having more "
             "rules."),
        Rule("capability", _band_points(r.capability_bands),
             (f"usable fill rate (mean over the phases) of at least {capability} %; below that or no force: 0"
              if r.capability_measure == "mean" else
              f"usable fill of the weakest requirement line of at least {capability} %; below that or no force: 0"),
             "Forces on paper are not forces the commander can use (lesson 05). capability_measure='binding' "
             "scores the weakest line instead of the mean, which can hide it."),
        Rule("cohesion", " / ".join(f"+{p}" for _, p in r.unity_bands), f"at least {unity} of the Allies took part "
             "in the decision (for a coalition: the Allies that join it)", "Unity: 'Either we are allies, or we "
             "are not' (Svoboda, seed 000); Rutar 2019, §4.2, on fragmentation."),
        Rule("cohesion", " / ".join(f"+{p}" for _, p in r.burden_bands), f"the lead nation pays at most {burden} "
             "of the common costs", "Equality and burden sharing, the principles Rutar asks the strongest Allies "
             "to preserve (2019, Conclusion)."),
    ]
    return tuple(out)


RULES: tuple[Rule, ...] = rules_for()


def _from_bands(value: float, bands: tuple[tuple[float, int], ...], at_least: bool) -> int:
    for limit, points in bands:
        if (value >= limit - 1e-9) if at_least else (value <= limit + 1e-9):
            return points
    return 0


def speed_score(days: int | None, bands: tuple[tuple[float, int], ...] = SPEED_BANDS) -> int:
    """Points for speed: 4 within 21 days, 3 within 35, 2 within 50, 1 within 75, else (or never) 0 (or the
    ``bands`` given, pairs of (days at most, points))."""
    if days is None:
        return 0
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise CapstoneError(f"speed_score: days is {days!r}; use a whole number, 0 or more, or None")
    return next((points for limit, points in bands if days <= limit), 0)


def capability_score(usable_fill: float | None,
                     bands: tuple[tuple[float, int], ...] = CAPABILITY_BANDS) -> int:
    """Points for capability from the usable fill rate (0 to 1): 4 from 0.95, 3 from 0.85, 2 from 0.70, 1 from
    0.50, else (or no force) 0 (or the ``bands`` given, pairs of (fill at least, points))."""
    if usable_fill is None:
        return 0
    if isinstance(usable_fill, bool) or not isinstance(usable_fill, (int, float)) or not 0.0 <= usable_fill <= 1.0:
        raise CapstoneError(f"capability_score: usable_fill is {usable_fill!r}; use a share between 0 and 1")
    return _from_bands(usable_fill, bands, at_least=True)


def legitimacy_score(*, launched: bool, un_mandate: bool, host_consent: bool, collective_decision: bool,
                     states: int, parliament: bool = False, count_decision_twice: bool = False,
                     breadth_threshold: int = BREADTH_MIN, max_points: int = 4) -> int:
    """One point each for a UN mandate, host consent, a collective decision (only if ``count_decision_twice`` is
    True: the decision already counts for cohesion, so by default it gives no legitimacy point), at least
    ``breadth_threshold`` contributing states and parliamentary approval; at most ``max_points``; 0 if there is no
    mission."""
    if not launched:
        return 0
    points = (int(un_mandate) + int(host_consent) + int(collective_decision and count_decision_twice)
              + int(states >= breadth_threshold) + int(parliament))
    return min(points, max_points)


def cohesion_score(*, launched: bool, allies_share: float, lead_cost_share: float | None,
                   unity_bands: tuple[tuple[float, int], ...] = DEFAULT_RULES.unity_bands,
                   burden_bands: tuple[tuple[float, int], ...] = DEFAULT_RULES.burden_bands,
                   max_points: int = 4) -> int:
    """Two points if every Ally took part in the decision (one if at least half did), plus two if the lead nation
    pays at most half of the common costs (one if at most three quarters); 0 if there is no mission. The bands
    are :class:`ScoringRules`' ``unity_bands`` and ``burden_bands``."""
    if not launched:
        return 0
    for name, value in (("allies_share", allies_share), ("lead_cost_share", lead_cost_share)):
        if value is not None and not 0.0 <= value <= 1.0 + 1e-9:
            raise CapstoneError(f"cohesion_score: {name} is {value!r}; use a share between 0 and 1")
    unity = _from_bands(allies_share, unity_bands, at_least=True)
    burden = 0 if lead_cost_share is None else _from_bands(lead_cost_share, burden_bands, at_least=False)
    return min(unity + burden, max_points)


def score(result: TrackResult, setting: Setting | None = None, crisis: Crisis | None = None,
          rules: ScoringRules | None = None) -> Scores:
    """Apply the four scoring rules (``rules``, default :class:`ScoringRules()`) to one track's result."""
    setting = setting or Setting()
    crisis = crisis or shipped_crisis()
    r = rules or DEFAULT_RULES
    if not isinstance(r, ScoringRules):
        raise CapstoneError(f"rules is {r!r}; use capstone.ScoringRules(...)")
    allies_share = len(result.decision_allies) / len(crisis.allies)
    return Scores(
        speed=min(speed_score(result.days, r.speed_bands), r.max_points),
        legitimacy=legitimacy_score(launched=result.launched, un_mandate=setting.un_mandate,
                                    host_consent=setting.host_consent,
                                    collective_decision=result.collective_decision, states=result.states,
                                    parliament=r.parliament.get(result.track, False),
                                    count_decision_twice=r.count_decision_twice,
                                    breadth_threshold=r.breadth_threshold, max_points=r.max_points),
        capability=min(capability_score(result.usable_fill if r.capability_measure == "mean" else
                                        result.binding_fill, r.capability_bands), r.max_points),
        cohesion=cohesion_score(launched=result.launched, allies_share=allies_share,
                                lead_cost_share=result.lead_cost_share(crisis.lead),
                                unity_bands=r.unity_bands, burden_bands=r.burden_bands, max_points=r.max_points),
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
