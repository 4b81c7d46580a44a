"""The capstone's inputs and results as pandas tables and plain sentences."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from alliance_course.sims import force_generation as fg
from alliance_course.sims.capstone.crises import crisis as shipped_crisis
from alliance_course.sims.capstone.model import (
    Crisis,
    ScoringRules,
    Setting,
    TrackResult,
)
from alliance_course.sims.capstone.scoring import (
    rules_for,
    score,
    weighted_total,
)

# --------------------------------------------------------------------------------------------------- tables

def compare(results: Mapping[str, TrackResult], setting: Setting | None = None, crisis: Crisis | None = None,
            weights: Mapping[str, float] | None = None, rules: ScoringRules | None = None) -> pd.DataFrame:
    """Both tracks side by side: the measures, the four scores and the weighted total (index: the track).
    ``rules`` (a :class:`ScoringRules`) changes the scoring rules, e.g.
    ``ScoringRules(count_decision_twice=True, breadth_threshold=5, parliament={"coalition": True})``."""
    setting = setting or Setting()
    crisis = crisis or shipped_crisis()
    records = []
    for track, result in results.items():
        scores = score(result, setting, crisis, rules)
        records.append({
            "track": track, "label": result.label, "launched": result.launched, "days": result.days,
            "states": result.states, "usable_fill": result.usable_fill, "binding_fill": result.binding_fill,
            "allies_in_decision": len(result.decision_allies), "lead_cost_share": result.lead_cost_share(crisis.lead),
            **scores.as_dict(), "total": weighted_total(scores, weights)})
    frame = pd.DataFrame.from_records(records).set_index("track")
    return frame.astype({"days": "Int64", "usable_fill": "Float64", "binding_fill": "Float64",
                         "lead_cost_share": "Float64"})


def rules_table(rules: ScoringRules | None = None) -> pd.DataFrame:
    """The scoring rules: criterion, points, when, and why (for ``rules``, default :class:`ScoringRules()`)."""
    return pd.DataFrame.from_records([vars(rule) for rule in rules_for(rules)])


def assumptions_table(crisis: Crisis | None = None) -> pd.DataFrame:
    """Every invented number the tracks depend on: the durations and the participation thresholds."""
    crisis = crisis or shipped_crisis()
    rows = [{"assumption": f"timing.{name}", "value": value, "unit": "days"}
            for name, value in vars(crisis.timing).items()]
    rows += [{"assumption": f"thresholds.{name}", "value": value, "unit": "willingness (0-1)"}
             for name, value in vars(crisis.thresholds).items()]
    return pd.DataFrame.from_records(rows)


def cards_table(crisis: Crisis | None = None) -> pd.DataFrame:
    """The nation cards of the crisis: lesson 05's card (capacity, caveats, willingness) plus GDP and stance."""
    crisis = crisis or shipped_crisis()
    cards = fg.nation_cards(crisis.scenario)
    cards.insert(3, "gdp", [crisis.member(n).gdp for n in cards.index])
    cards["stance"] = [crisis.member(n).stance if crisis.scenario.nation(n).ally else "(partner)"
                       for n in cards.index]
    cards["condition"] = [crisis.member(n).condition or "" for n in cards.index]
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


def describe(result: TrackResult, crisis: Crisis | None = None) -> list[str]:
    """A few plain sentences about one track's result."""
    crisis = crisis or shipped_crisis()
    name = crisis.name_of
    if not result.launched:
        return [f"{result.label}: no operation. {', '.join(name(a) for a in result.blocked_by)} blocked the "
                "Council, and without consensus NATO does not act."]
    assert result.force is not None  # launched tracks always have a force
    lines = [f"{result.label}: a force deploys on day {result.days}, with {result.states} contributing states "
             f"({', '.join(name(n) for n in result.participants)})."]
    if result.mandate_caveats:
        labels = "; ".join(_lower_first(crisis.scenario.caveat(c).label) for c in sorted(result.mandate_caveats))
        lines.append(f"The mandate carries a condition for every unit: {labels}.")
    lines.append(f"{result.force.usable_fill_rate:.0%} of the requirement is usable "
                 f"({result.force.fill_rate:.0%} on paper).")
    binding = result.force.binding
    if binding is not None:
        lines.append(f"Weakest line: {_lower_first(binding.line_label)} in '{binding.phase_label}', "
                     f"{binding.usable} of {binding.required} usable.")
    lead_share = result.lead_cost_share(crisis.lead) or 0.0
    how = "by NATO's cost-share formula (modelled as GDP shares)" if result.track == "nato" else \
        "by voluntary contributions (lesson 07's model)"
    lines.append(f"{name(crisis.lead)} pays {lead_share:.0%} of the common costs, {how}.")
    return lines


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
