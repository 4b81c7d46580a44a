"""Burden sharing as a public-goods game: the Olson–Zeckhauser model, with joint products and threat.

The model
---------
An alliance has allies ``i = 1 … n``. Ally *i* has an income ``Y_i > 0`` (its GDP) and chooses how much to spend on
defence, ``d_i`` (in the same unit as ``Y_i``, at least 0).

* **Security.** One unit of spending buys one unit of defence. A share ``β`` of it (``private_share``) protects only
  the spender: forces kept for its own territory or its national interests, a *private* benefit. The rest, ``1 − β``,
  deters an attack on every ally: the *public* good. Ally *i* therefore enjoys the security
  ``S_i = d_i + (1 − β) · R_i``, where ``R_i`` is what all the other allies spend.
* **Preferences.** ``U_i = ln(Y_i − d_i) + w_i · ln(S_i)``: what is not spent on defence is consumed, and security
  is valued with the weight ``w_i = threat × f_i``, where ``f_i`` is ``frontline_factor`` for an ally on the
  frontline (exposed to the threat) and 1 otherwise.
* **Best response.** Given what the others spend, the spending that maximises ``U_i`` is
  ``d_i = max(0, (w_i · Y_i − (1 − β) · R_i) / (1 + w_i))``: the more the others spend, and the more public their
  spending is, the less an ally spends itself. An ally alone in the world would spend ``w_i · Y_i / (1 + w_i)``.
* **Nash equilibrium.** Every ally plays its best response to what the others spend, so none wants to change.
  The equilibrium is unique. :func:`equilibrium` computes it exactly: every best response depends on the others
  only through their total, so the equilibrium is the one alliance total at which the best responses add up to that
  total. :func:`adjust` reaches the same point step by step, one ally revising its budget at a time.

With ``β = 0`` this is Olson and Zeckhauser's (1966) pure public good: only the allies with the largest
``w_i · Y_i`` spend anything, each of them the share of income that leaves it the same consumption per unit of
valued security, and the others spend nothing at all (they *free-ride*). The defence burden (spending as a share of
income) then rises with income: the "exploitation of the great by the small", and a positive rank correlation
between size and burden. With ``β = 1`` defence is a private good: every ally spends ``w_i / (1 + w_i)`` of its
income whatever its size, so size tells nothing about burden. In between is the *joint-product* model (Sandler and
Forbes 1980). A frontline ally values security more, so it spends a larger share of a small income.

Assumptions, and what they leave out
------------------------------------
* Allies decide independently and at the same time, once: no bargaining, pledges, side payments or punishment
  (the Wales and Hague pledges are exactly attempts to change that).
* Spending is the only contribution. Troops for operations, readiness, quality and geography are ignored: the
  model measures an *input*, as the 2% guideline does.
* One unit of GDP buys the same security everywhere, and spillovers do not depend on distance.
* Preferences are logarithmic and every ally has the same taste for security apart from its exposure. A different
  utility function changes the numbers, not the direction of the results above.
* With no pledges, norms or outside pressure, the private share ``β`` is the model's only lever that makes small
  allies spend: so the closest fit to recent spending comes at "purely private" (β near 1), which says what the
  model leaves out rather than that defence has become a private good.
* A large ``frontline_factor`` can leave a frontline ally spending nothing because a bigger frontline neighbour
  spends a lot (``Outcome.frontline_free_riders``; :func:`describe` warns): the model's spillovers do not depend on
  distance.
* Many allies at 0 % tie in rank; :func:`describe` reports the ties next to ρ (``Outcome.ties``).

Typical use::

    >>> allies = [Ally("Big", 100.0), Ally("Small", 10.0)]
    >>> outcome = equilibrium(allies, Parameters(threat=0.05))
    >>> outcome.free_riders
    ('Small',)
    >>> round(outcome.burden_pct[0], 2)
    4.76

Lesson 07 uses it on the Allies' 2014 GDP (:func:`nato_allies`); lesson 09 can run it on any group of allies, such
as a coalition of the willing. :func:`spearman` and :func:`shuffle_test` are the statistics lesson 07 applies to
the model's output and to NATO's spending data alike.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "Ally",
    "Parameters",
    "Outcome",
    "ShuffleTest",
    "best_response",
    "equilibrium",
    "adjust",
    "standalone",
    "spearman",
    "shuffle_test",
    "describe",
    "nato_allies",
]

_ZERO = 1e-9  # spending below this share of income counts as nothing (a free rider)


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Ally:
    """One ally: a name, its income (GDP, any currency unit), whether it is on the frontline, an optional code."""

    name: str
    gdp: float
    frontline: bool = False
    code: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"Ally: the name must be non-empty text, got {self.name!r}")
        if isinstance(self.gdp, bool) or not isinstance(self.gdp, (int, float)) or not math.isfinite(self.gdp) \
                or self.gdp <= 0:
            raise ValueError(f"Ally {self.name!r}: gdp must be a positive number, got {self.gdp!r}")


@dataclass(frozen=True)
class Parameters:
    """The model's settings.

    ``threat``: the weight every ally puts on security (larger = more threatening world), above 0 and at most 10.
    ``private_share``: the share ``β`` of an ally's spending that benefits only itself, from 0 (a pure public good)
    to 1 (a purely private good). ``frontline_factor``: how many times more a frontline ally values security, at
    least 1. ``pledge_pct``: a floor every ally keeps to, in % of its GDP (e.g. 2.0: as if all kept to 2 %);
    0 (the default) means no pledge, the model as Olson and Zeckhauser wrote it. The floor is a simple stand-in
    for pledges, norms and outside pressure, which the model otherwise leaves out.
    """

    threat: float = 0.03
    private_share: float = 0.0
    frontline_factor: float = 1.0
    pledge_pct: float = 0.0

    def __post_init__(self) -> None:
        _check_number("threat", self.threat, low=0.0, high=10.0, low_open=True)
        _check_number("private_share", self.private_share, low=0.0, high=1.0)
        _check_number("frontline_factor", self.frontline_factor, low=1.0, high=100.0)
        _check_number("pledge_pct", self.pledge_pct, low=0.0, high=50.0)

    def floor(self, ally: Ally) -> float:
        """The least ``ally`` spends under the pledge (0 without one)."""
        return self.pledge_pct / 100.0 * ally.gdp

    def weight(self, ally: Ally) -> float:
        """``w_i``: the weight ``ally`` puts on security."""
        return self.threat * (self.frontline_factor if ally.frontline else 1.0)


def _check_number(name: str, value: object, *, low: float, high: float, low_open: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"Parameters: {name} must be a number, got {value!r}")
    too_low = value <= low if low_open else value < low
    if too_low or value > high:
        bound = f"above {low:g}" if low_open else f"at least {low:g}"
        raise ValueError(f"Parameters: {name} must be {bound} and at most {high:g}, got {value!r}")


def _checked_allies(allies: Iterable[Ally]) -> tuple[Ally, ...]:
    result = tuple(allies)
    if not result:
        raise ValueError("The alliance needs at least one ally.")
    names: set[str] = set()
    for ally in result:
        if not isinstance(ally, Ally):
            raise TypeError(f"Expected Ally objects, got {ally!r}")
        if ally.name in names:
            raise ValueError(f"Ally {ally.name!r} is listed twice.")
        names.add(ally.name)
    return result


# --------------------------------------------------------------------------- the model


def best_response(ally: Ally, others_total: float, params: Parameters) -> float:
    """What ``ally`` spends when all the other allies together spend ``others_total``."""
    if others_total < 0:
        raise ValueError(f"others_total must be 0 or more, got {others_total!r}")
    w = params.weight(ally)
    return max(params.floor(ally), (w * ally.gdp - (1.0 - params.private_share) * others_total) / (1.0 + w))


def standalone(ally: Ally, params: Parameters) -> float:
    """What ``ally`` would spend with no allies at all (its best response when the others spend nothing)."""
    return best_response(ally, 0.0, params)


def equilibrium(allies: Iterable[Ally], params: Parameters) -> Outcome:
    """The Nash equilibrium: every ally's spending is its best response to the others' (computed exactly).

    At an alliance total ``D``, ally *i*'s best response is ``max(0, (w_i·Y_i − (1−β)·D) / (w_i + β))``. The allies
    that spend anything are those with the largest ``w_i·Y_i``; for each candidate group of spenders the total has a
    closed form, and the equilibrium is the one group consistent with its own total.
    """
    members = _checked_allies(allies)
    public = 1.0 - params.private_share
    weights = [params.weight(ally) for ally in members]
    keen = [w * ally.gdp for w, ally in zip(weights, members)]  # w_i·Y_i
    slope = [w + params.private_share for w in weights]  # w_i + β
    if params.pledge_pct > 0:
        return Outcome(members, params, _with_floors(members, params, keen, slope))
    order = sorted(range(len(members)), key=lambda i: -keen[i])
    total = 0.0
    sum_ratio = sum_inverse = 0.0
    for position, i in enumerate(order):
        sum_ratio += keen[i] / slope[i]
        sum_inverse += 1.0 / slope[i]
        total = sum_ratio / (1.0 + public * sum_inverse)
        following = order[position + 1] if position + 1 < len(order) else None
        if following is None or keen[following] <= public * total:
            break
    spending = tuple(max(0.0, (keen[i] - public * total) / slope[i]) for i in range(len(members)))
    return Outcome(members, params, spending)


def _with_floors(members: Sequence[Ally], params: Parameters, keen: Sequence[float],
                 slope: Sequence[float]) -> tuple[float, ...]:
    """The equilibrium when every ally keeps to a floor: each spends ``max(floor_i, (w_i·Y_i − (1−β)·D) / (w_i+β))``
    at the alliance total ``D``; the sum falls as ``D`` rises, so the one ``D`` where it equals ``D`` is found by
    bisection (to a relative precision of 1e-13)."""
    public = 1.0 - params.private_share
    floors = [params.floor(ally) for ally in members]

    def spending(total: float) -> list[float]:
        return [max(f, (k - public * total) / s) for f, k, s in zip(floors, keen, slope)]

    low, high = 0.0, sum(spending(0.0))
    for _ in range(200):
        middle = (low + high) / 2
        if sum(spending(middle)) > middle:
            low = middle
        else:
            high = middle
        if high - low <= 1e-13 * max(high, 1e-300):
            break
    return tuple(spending((low + high) / 2))


def adjust(allies: Iterable[Ally], params: Parameters, rounds: int = 50,
           start: Sequence[float] | None = None) -> list[tuple[float, ...]]:
    """Budget rounds: in each round every ally in turn sets its best response to what the others spend now.

    Returns the spending of every ally at the start and after each round (``rounds + 1`` tuples). From any start,
    the rounds approach the equilibrium of :func:`equilibrium`; slowly (hundreds of rounds) when security carries
    little weight and defence is almost purely public, because each round then changes the budgets very little.
    """
    members = _checked_allies(allies)
    if isinstance(rounds, bool) or not isinstance(rounds, int) or rounds < 0:
        raise ValueError(f"rounds must be a whole number, 0 or more, got {rounds!r}")
    current = [0.0] * len(members) if start is None else [float(x) for x in start]
    if len(current) != len(members):
        raise ValueError(f"start has {len(current)} values for {len(members)} allies")
    if any(not math.isfinite(x) or x < 0 for x in current):
        raise ValueError("start: every spending must be a finite number, 0 or more")
    history = [tuple(current)]
    for _ in range(rounds):
        total = sum(current)
        for i, ally in enumerate(members):
            others = max(0.0, total - current[i])
            new = best_response(ally, others, params)
            total = others + new
            current[i] = new
        history.append(tuple(current))
    return history


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Outcome:
    """Spending of every ally (in the allies' order), with the measures the lessons read from it."""

    allies: tuple[Ally, ...]
    params: Parameters
    spending: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.spending) != len(self.allies):
            raise ValueError(f"Outcome: {len(self.spending)} spending values for {len(self.allies)} allies")

    @property
    def total(self) -> float:
        """The alliance's total defence spending."""
        return float(sum(self.spending))

    @property
    def burden_pct(self) -> tuple[float, ...]:
        """Each ally's defence burden: spending as a percentage of its GDP."""
        return tuple(100.0 * d / ally.gdp for d, ally in zip(self.spending, self.allies))

    @property
    def standalone_pct(self) -> tuple[float, ...]:
        """What each ally would spend alone, as a percentage of its GDP."""
        return tuple(100.0 * standalone(ally, self.params) / ally.gdp for ally in self.allies)

    @property
    def reliance_pct(self) -> tuple[float, ...]:
        """How much of the defence it would buy alone each ally leaves to the others, in per cent (100 = all)."""
        return tuple(100.0 * (1.0 - burden / alone) for burden, alone in zip(self.burden_pct, self.standalone_pct))

    @property
    def free_riders(self) -> tuple[str, ...]:
        """The allies that spend nothing and rely entirely on the others."""
        return tuple(ally.name for ally, d in zip(self.allies, self.spending) if d <= _ZERO * ally.gdp)

    def security(self) -> tuple[float, ...]:
        """The security each ally enjoys: its own spending plus the public part of everyone else's."""
        public = 1.0 - self.params.private_share
        return tuple(d + public * (self.total - d) for d in self.spending)

    def ties(self) -> int:
        """How many allies share their burden with at least one other ally (rounded to 1e-9 % of GDP). Spearman's
        rho gives tied allies their average rank, so when many tie (typically the free riders at 0 %) rho mostly
        reflects the ties rather than an ordering of the allies by burden."""
        counts = pd.Series([round(b, 9) for b in self.burden_pct]).value_counts()
        return int(counts[counts >= 2].sum())

    @property
    def at_pledge(self) -> tuple[str, ...]:
        """The allies that spend exactly the pledge floor (none without a pledge): they would spend less."""
        if self.params.pledge_pct <= 0:
            return ()
        return tuple(a.name for a, d in zip(self.allies, self.spending)
                     if abs(d - self.params.floor(a)) <= 1e-9 * a.gdp)

    def frontline_free_riders(self) -> tuple[str, ...]:
        """Frontline allies that spend nothing while another frontline ally spends: a side effect of the model
        (spillovers do not depend on distance, so a frontline ally is protected by its neighbours' spending)."""
        spenders = [a for a, d in zip(self.allies, self.spending) if a.frontline and d > _ZERO * a.gdp]
        if not spenders:
            return ()
        return tuple(a.name for a, d in zip(self.allies, self.spending) if a.frontline and d <= _ZERO * a.gdp)

    def rank_correlation(self) -> float:
        """Spearman's rank correlation between GDP and burden (NaN when every ally's burden is the same)."""
        burdens = [round(b, 9) for b in self.burden_pct]  # equal shares must tie, whatever the rounding noise
        return spearman([ally.gdp for ally in self.allies], burdens)

    def table(self) -> pd.DataFrame:
        """One row per ally: GDP, frontline, spending, burden, stand-alone burden, reliance, free rider."""
        return pd.DataFrame({
            "ally": [ally.name for ally in self.allies],
            "code": [ally.code for ally in self.allies],
            "gdp": [ally.gdp for ally in self.allies],
            "frontline": [ally.frontline for ally in self.allies],
            "spending": list(self.spending),
            "burden_pct": list(self.burden_pct),
            "standalone_pct": list(self.standalone_pct),
            "reliance_pct": list(self.reliance_pct),
            "free_rider": [ally.name in self.free_riders for ally in self.allies],
        })


def describe(outcome: Outcome, *, max_names: int = 8) -> list[str]:
    """Plain-language lines about an equilibrium: who free-rides, who pays, the rank correlation, the totals."""
    table = outcome.table().sort_values("gdp", ascending=False)
    riders = table[table["free_rider"]]
    payers = table[~table["free_rider"]]
    n = len(table)
    lines = []
    pledged = outcome.at_pledge
    if riders.empty and pledged:
        lines.append(f"No free riders, but {len(pledged)} of {n} allies spend only the pledge "
                     f"({outcome.params.pledge_pct:g}% of GDP): {_names(pledged, max_names)}.")
    elif riders.empty:
        lines.append(f"No free riders: all {n} allies spend something.")
    else:
        lines.append(f"Free riders (spend nothing): {len(riders)} of {n}: {_names(riders['ally'], max_names)}.")
    shown = [f"{row.ally} {row.burden_pct:.1f}%" for row in payers.itertuples()]
    lines.append(f"Allies that spend ({len(payers)} of {n}), as % of GDP: {_names(shown, max_names)}.")
    if n < 2:
        lines.append("Rank correlation between GDP and burden: needs at least two allies.")
    else:
        rho = outcome.rank_correlation()
        ties = outcome.ties()
        if math.isnan(rho):
            lines.append("Rank correlation between GDP and burden: not defined (every ally spends the same share).")
        elif ties >= 2:
            zero = len(riders)
            where = f", {zero} of them at 0 %" if zero >= 2 else ""
            verdict = ": ρ mostly reflects the ties" if 2 * ties >= n else ""
            lines.append(f"Rank correlation between GDP and burden: ρ = {rho:+.2f}, but {ties} of {n} allies tie"
                         f"{where}{verdict}.")
        else:
            lines.append(f"Rank correlation between GDP and burden: ρ = {rho:+.2f}.")
    stranded = outcome.frontline_free_riders()
    if stranded:
        lines.append(f"Note: frontline ally(s) {_names(stranded, max_names)} spend nothing because another frontline "
                     "ally spends so much: a side effect of the model (spillovers do not depend on distance), not "
                     "a finding.")
    if outcome.total > 0:
        share = 100.0 * payers["spending"].max() / outcome.total
        lines.append(f"The alliance spends {100.0 * outcome.total / table['gdp'].sum():.2f}% of its combined GDP; "
                     f"the biggest spender pays {share:.0f}% of the total.")
    return lines


def _names(names: Iterable[str], limit: int) -> str:
    names = list(names)
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"


# --------------------------------------------------------------------------- statistics


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rank correlation of ``x`` and ``y`` (ties get their average rank; NaN if either is constant)."""
    if len(x) != len(y):
        raise ValueError(f"spearman: x has {len(x)} values and y has {len(y)}")
    if len(x) < 2:
        raise ValueError("spearman: needs at least two pairs of values")
    ranks = pd.DataFrame({"x": list(x), "y": list(y)}, dtype=float).rank()
    return float(ranks["x"].corr(ranks["y"]))  # Pearson's r of the ranks is Spearman's rho (no SciPy needed)


@dataclass(frozen=True)
class ShuffleTest:
    """The observed rank correlation and how often shuffled data give one at least as far from zero."""

    rho: float
    p_value: float
    shuffles: int
    seed: int


def shuffle_test(x: Sequence[float], y: Sequence[float], shuffles: int = 2000, seed: int = 0) -> ShuffleTest:
    """A permutation test of a rank correlation: could chance alone give a ρ this far from zero?

    ``y`` is shuffled ``shuffles`` times (reproducibly, from ``seed``); ``p_value`` is the share of shuffles whose
    ρ is at least as far from zero as the observed one (two-sided; the observed data count as one shuffle).
    """
    rho = spearman(x, y)
    if isinstance(shuffles, bool) or not isinstance(shuffles, int) or shuffles < 1:
        raise ValueError(f"shuffles must be a whole number, 1 or more, got {shuffles!r}")
    if math.isnan(rho):
        return ShuffleTest(rho, math.nan, shuffles, seed)
    rank_x = pd.Series(list(x), dtype=float).rank().to_numpy()
    rank_y = pd.Series(list(y), dtype=float).rank().to_numpy()
    rng = np.random.default_rng(seed)
    centred_x = rank_x - rank_x.mean()
    scale = math.sqrt(float((centred_x**2).sum()) * float(((rank_y - rank_y.mean()) ** 2).sum()))
    as_far = 1  # the observed arrangement
    for _ in range(shuffles):
        shuffled = rng.permutation(rank_y)
        r = float((centred_x * (shuffled - shuffled.mean())).sum()) / scale
        if abs(r) >= abs(rho) - 1e-12:
            as_far += 1
    return ShuffleTest(rho, as_far / (shuffles + 1), shuffles, seed)


# --------------------------------------------------------------------------- the course data


def nato_allies(year: int = 2014, frontline: Iterable[str] | None = None) -> list[Ally]:
    """The Allies with armed forces as model allies, with their GDP (US$ bn) in ``year`` from the ``gdp`` table.

    ``frontline`` is a set of ISO3 codes; by default, the Allies with a land border with Russia
    (``russia_land_border`` table). The allies come largest first.
    """
    from alliance_course import data

    gdp = data.load("gdp")
    rows = gdp[gdp["year"] == year]
    if rows.empty:
        years = ", ".join(str(y) for y in sorted(gdp["year"].dropna().unique()))
        raise ValueError(f"The gdp table has no figures for {year}; it has {years}.")
    members = data.load("nato_members")
    armed = set(members.loc[members["armed_forces"].fillna(False).astype(bool), "iso3"])
    exposed = set(data.load("russia_land_border")["iso3"]) if frontline is None else set(frontline)
    rows = rows[rows["iso3"].isin(armed)].sort_values("gdp_usd_bn", ascending=False)
    return [Ally(str(row.country), float(row.gdp_usd_bn), frontline=row.iso3 in exposed, code=str(row.iso3))
            for row in rows.itertuples()]
