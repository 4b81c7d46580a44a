"""The alliance–coalition profiler: place a case on the course's eight dimensions, then compare with the course.

Each dimension runs from 0 (a typical alliance) to 4 (a typical coalition), as the seed article contrasts them
(Rutar 2019, §2). The course codes every case of the ``coalitions`` table on that scale in ``coalition_coding``,
with a one-line justification and the kind of evidence behind it. A learner predicts first (a placement per
dimension), then compares::

    from alliance_course.sims import profiler
    mine = profiler.blank_placement()          # every dimension at the midpoint, 2
    mine.update(purpose=4, duration=4)
    result = profiler.compare("gulf-war-1990", mine)
    result.distance, result.far                # mean gap in points; dimensions 2+ points apart

The logic is pure and works on :class:`Coding` objects (``compare_with``, ``distance``, ``nearest_to``); the
functions without ``_with``/``_to`` read the course data. :mod:`.profiler_view` holds the charts and ``widget()``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pandas as pd

from alliance_course import data
from alliance_course._common import forward_to_view

__all__ = [
    "SCALE", "FAR", "Dimension", "Coding", "Comparison", "dimensions", "codings", "coding", "case_choices",
    "blank_placement", "check_placement", "distance", "leaning", "compare", "compare_with", "nearest",
    "nearest_to",
]

SCALE = (0, 1, 2, 3, 4)
FAR = 2  # a gap of this many points or more counts as a real disagreement
_EVIDENCE = {"seed": "the seed article", "sourced": "sourced facts", "judgement": "the course's judgement",
             "no_information": "no information in the sources"}


@dataclass(frozen=True)
class Dimension:
    """One dimension of the contrast, with what 0 and 4 mean on it."""

    key: str
    label: str
    question: str
    alliance_pole: str
    coalition_pole: str


@dataclass(frozen=True)
class Coding:
    """The course's coding of one case: a score, the evidence kind and a justification per dimension."""

    case_id: str
    name: str
    kind: str
    scores: Mapping[str, int]
    evidence: Mapping[str, str] = field(default_factory=dict)
    justification: Mapping[str, str] = field(default_factory=dict)

    @property
    def mean(self) -> float:
        """Mean score over the dimensions (0 = alliance pole, 4 = coalition pole)."""
        return sum(self.scores.values()) / len(self.scores)


# --- reading the course data ------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _course() -> tuple[tuple[Dimension, ...], dict[str, Coding]]:
    dims = data.load("coalition_dimensions").sort_values("position")
    dimension_list = tuple(
        Dimension(str(r.dimension), str(r.label), str(r.question), str(r.alliance_pole), str(r.coalition_pole))
        for r in dims.itertuples()
    )
    cases = data.load("coalitions").sort_values(["formed", "case_id"])
    coded = data.load("coalition_coding")
    by_case: dict[str, Coding] = {}
    for case in cases.itertuples():
        rows = coded[coded["case_id"] == case.case_id]
        if rows.empty:
            continue
        keys = [str(d) for d in rows["dimension"]]
        by_case[str(case.case_id)] = Coding(
            case_id=str(case.case_id), name=str(case.name), kind=str(case.kind),
            scores={k: int(s) for k, s in zip(keys, rows["score"]) if not pd.isna(s)},  # NA: no information
            evidence=dict(zip(keys, (str(e) for e in rows["evidence"]))),
            justification=dict(zip(keys, (str(j) for j in rows["justification"]))),
        )
    return dimension_list, by_case


def dimensions() -> tuple[Dimension, ...]:
    """The eight dimensions in the course's order (table ``coalition_dimensions``)."""
    return _course()[0]


def codings() -> dict[str, Coding]:
    """The course's coding of every coded case, by case id, oldest case first."""
    return dict(_course()[1])


def coding(case_id: str) -> Coding:
    """The course's coding of one case; an unknown id gets a message listing the valid ones."""
    known = _course()[1]
    if case_id not in known:
        raise KeyError(f"No coded case {case_id!r}; the coded cases are: {', '.join(known)}.")
    return known[case_id]


def case_choices() -> list[tuple[str, str]]:
    """(label, case id) pairs for a dropdown, oldest case first, e.g. ('Holy Alliance (1815)', 'holy-alliance')."""
    formed = data.load("coalitions").set_index("case_id")["formed"]
    return [(f"{c.name} ({formed[c.case_id].year})", c.case_id) for c in _course()[1].values()]


# --- pure logic -------------------------------------------------------------------------------------------------

def blank_placement(keys: Iterable[str] | None = None) -> dict[str, int]:
    """A placement with every dimension at the midpoint (2), to edit before comparing."""
    return dict.fromkeys(keys if keys is not None else (d.key for d in dimensions()), 2)


def check_placement(placement: Mapping[str, Any], dims: Iterable[Dimension] | None = None) -> dict[str, int]:
    """The placement keyed by dimension, validated: every dimension once, each a whole number from 0 to 4.

    Keys may be the dimension's key (``"command_control"``) or its label (``"Command and control"``), in any case.
    Raises ``ValueError`` naming the dimension that is missing, unknown or out of range.
    """
    dims = tuple(dims) if dims is not None else dimensions()
    if not isinstance(placement, Mapping):
        raise ValueError(f"A placement is a dict of dimension -> score, got {type(placement).__name__}.")
    names = {d.key.lower(): d.key for d in dims} | {d.label.lower(): d.key for d in dims}
    result: dict[str, int] = {}
    for raw_key, value in placement.items():
        key = names.get(str(raw_key).strip().lower())
        if key is None:
            raise ValueError(f"Unknown dimension {raw_key!r}; the dimensions are: {', '.join(d.key for d in dims)}.")
        if key in result:
            raise ValueError(f"Dimension {key!r} is given twice.")
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
            raise ValueError(f"{key}: the score must be a whole number from 0 (alliance) to 4 (coalition), "
                             f"got {value!r}.")
        result[key] = value
    missing = [d.key for d in dims if d.key not in result]
    if missing:
        raise ValueError(f"The placement has no score for {', '.join(missing)}.")
    return {d.key: result[d.key] for d in dims}


def distance(a: Mapping[str, int], b: Mapping[str, int]) -> float:
    """Mean absolute gap between two placements over their common dimensions (0 = identical, 4 = opposite)."""
    keys = [k for k in a if k in b]
    if not keys:
        raise ValueError("The two placements share no dimension.")
    return sum(abs(a[k] - b[k]) for k in keys) / len(keys)


def leaning(scores: Mapping[str, int]) -> str:
    """'alliance-like' (mean below 1.5), 'coalition-like' (above 2.5) or 'in between'."""
    mean = sum(scores.values()) / len(scores)
    if mean < 1.5:
        return "alliance-like"
    if mean > 2.5:
        return "coalition-like"
    return "in between"


@dataclass(frozen=True)
class Comparison:
    """A learner's placement of a case next to the course's coding of it."""

    coding: Coding
    placement: Mapping[str, int]
    dimensions: tuple[Dimension, ...]

    @property
    def differences(self) -> dict[str, int]:
        """Learner minus course, per dimension (positive: the learner sees it as more coalition-like)."""
        return {d.key: self.placement[d.key] - self.coding.scores[d.key] for d in self.dimensions
                if d.key in self.coding.scores}  # the course leaves a dimension unscored when sources say nothing

    @property
    def distance(self) -> float:
        """Mean absolute gap in points (0 = identical, 4 = opposite)."""
        return distance(self.placement, self.coding.scores)

    @property
    def same(self) -> list[str]:
        """Dimensions where the learner and the course agree exactly."""
        return [k for k, v in self.differences.items() if v == 0]

    @property
    def far(self) -> list[str]:
        """Dimensions where the learner and the course are ``FAR`` (2) points or more apart."""
        return [k for k, v in self.differences.items() if abs(v) >= FAR]

    def label(self, key: str) -> str:
        """The display label of a dimension key."""
        return next(d.label for d in self.dimensions if d.key == key)

    def summary(self) -> str:
        """Two or three sentences: the mean gap, the exact matches and the real disagreements."""
        n = len(self.dimensions)
        text = (f"{self.coding.name}: your placement is on average {self.distance:.1f} points from the course's "
                f"coding (0 = identical, 4 = opposite); you agree exactly on {len(self.same)} of {n} dimensions.")
        if self.far:
            text += f" You differ by {FAR} points or more on: {', '.join(self.label(k) for k in self.far)}."
        else:
            text += f" You are never {FAR} or more points apart."
        return (text + f" You place it {leaning(self.placement)}; the course codes it "
                f"{leaning(self.coding.scores)} (a {self.coding.kind} in the coalitions table).")

    def rows(self) -> list[dict[str, Any]]:
        """One dict per dimension: label, you, course, gap, a symbol for the gap, evidence, justification."""
        out = []
        for d in self.dimensions:
            gap = self.differences.get(d.key)
            if gap is None:
                mark = "no information (course: NA)"
            else:
                mark = "✓ same" if gap == 0 else ("≈ 1 apart" if abs(gap) < FAR else f"✗ {abs(gap)} apart")
            out.append({"dimension": d.label, "you": self.placement[d.key], "course": self.coding.scores.get(d.key),
                        "gap": gap, "agreement": mark,
                        "evidence": _EVIDENCE.get(self.coding.evidence.get(d.key, ""), ""),
                        "justification": self.coding.justification.get(d.key, "")})
        return out

    def __str__(self) -> str:
        lines = [self.summary(), ""]
        for row in self.rows():
            lines.append(f"- {row['dimension']}: you {row['you']}, course {row['course']} ({row['agreement']}). "
                         f"{row['justification']} [{row['evidence']}]")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(f"<th style='text-align:left'>{h}</th>"
                       for h in ("Dimension", "You", "Course", "Agreement", "The course's reason (evidence)"))
        body = "".join(
            "<tr>"
            f"<td>{html.escape(r['dimension'])}</td><td>{r['you']}</td><td>{r['course']}</td>"
            f"<td>{'<strong>' if abs(r['gap']) >= FAR else ''}{r['agreement']}"
            f"{'</strong>' if abs(r['gap']) >= FAR else ''}</td>"
            f"<td style='text-align:left'>{html.escape(r['justification'])} <em>({r['evidence']})</em></td>"
            "</tr>"
            for r in self.rows()
        )
        return (f"<p>{html.escape(self.summary())}</p>"
                f"<table class='profiler-table'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def compare_with(case: Coding, placement: Mapping[str, Any], dims: Iterable[Dimension]) -> Comparison:
    """Compare a placement with a coding (pure: no data files)."""
    dims = tuple(dims)
    return Comparison(case, check_placement(placement, dims), dims)


def compare(case_id: str, placement: Mapping[str, Any]) -> Comparison:
    """Compare a learner's placement of ``case_id`` with the course's coding of it."""
    return compare_with(coding(case_id), placement, dimensions())


def nearest_to(placement: Mapping[str, int], cases: Iterable[Coding], k: int = 3) -> list[tuple[Coding, float]]:
    """The ``k`` codings closest to a placement, nearest first (ties: in the given order)."""
    ranked = sorted(((c, distance(placement, c.scores)) for c in cases), key=lambda pair: pair[1])
    return ranked[:k]


def nearest(placement: Mapping[str, Any], k: int = 3) -> list[tuple[str, str, float]]:
    """(case id, name, mean gap) of the ``k`` course cases whose coding is closest to the placement."""
    checked = check_placement(placement)
    return [(c.case_id, c.name, round(d, 3)) for c, d in nearest_to(checked, codings().values(), k)]


# Charts and the widget live in profiler_view; these names are looked up there when first used.
__getattr__ = forward_to_view(__name__, ["plot_profiles", "plot_grid", "ProfilerView", "widget"])
