"""Force generation inputs and results as pandas tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from alliance_course.sims.force_generation.logic import (
    _validated,
)
from alliance_course.sims.force_generation.model import (
    ForceGenerationError,
    Offer,
    Outcome,
    Scenario,
)

# --------------------------------------------------------------------------------------------------- tables

def requirements_table(scenario: Scenario) -> pd.DataFrame:
    """The statement of requirements as a table: one row per requirement line, one column per phase."""
    frame = pd.DataFrame({p.id: [p.required.get(line.id, 0) for line in scenario.lines] for p in scenario.phases},
                         index=pd.Index([line.id for line in scenario.lines], name="line"))
    frame.insert(0, "label", [line.label for line in scenario.lines])
    return frame


def nation_cards(scenario: Scenario) -> pd.DataFrame:
    """The nation cards: capacity per line, default caveats, government type, Ally or partner, willingness."""
    records = []
    for nation in scenario.nations:
        record: dict[str, Any] = {"nation": nation.id, "name": nation.name, "lead": nation.id == scenario.lead,
                                  "ally": nation.ally, "government": nation.government}
        record.update({line.id: nation.capacity.get(line.id, 0) for line in scenario.lines})
        record["default_caveats"] = "; ".join(sorted(nation.default_caveats))
        record["willingness"] = nation.willingness
        records.append(record)
    return pd.DataFrame.from_records(records).set_index("nation")


def caveat_table(scenario: Scenario) -> pd.DataFrame:
    """The caveat types of a scenario with their kind and what they rule out."""
    return pd.DataFrame.from_records(
        [{"caveat": c.id, "label": c.label, "kind": c.kind, "rules_out": "; ".join(sorted(c.restricts)),
          "description": c.description} for c in scenario.caveats]).set_index("caveat")


def offers_frame(scenario: Scenario, offers: Iterable[Offer]) -> pd.DataFrame:
    """Offers as a table in the classroom CSV layout: one row per nation, one column per line, then caveats."""
    offers = _validated(scenario, offers)
    records = []
    for offer in offers:
        record: dict[str, Any] = {"nation": offer.nation}
        record.update({line.id: offer.units.get(line.id, 0) for line in scenario.lines})
        record["caveats"] = "; ".join(sorted(offer.caveats))
        records.append(record)
    return pd.DataFrame.from_records(records, columns=["nation", *(line.id for line in scenario.lines), "caveats"])


def compare(outcomes: Mapping[str, Outcome]) -> pd.DataFrame:
    """Several outcomes side by side (e.g. the same crisis through NATO and as a coalition of the willing)."""
    if not isinstance(outcomes, Mapping) or not outcomes:
        raise ForceGenerationError("compare: give a dict of at least one {label: Outcome}, e.g. "
                                   "{'all nations': fg.evaluate(scenario, fg.default_offers(scenario))}")
    records = []
    for label, outcome in outcomes.items():
        binding = outcome.binding
        records.append({"label": label, "nations": len(outcome.offers), "fill_rate": outcome.fill_rate,
                        "usable_fill_rate": outcome.usable_fill_rate, "lead_burden": outcome.lead_burden,
                        "binding_phase": binding.phase if binding else None,
                        "binding_line": binding.line if binding else None,
                        "binding_gap": binding.gap if binding else 0,
                        "binding_fill": binding.usable_fill if binding else 1.0,
                        "lead_unit_share": outcome.lead_unit_share(),
                        "lead_cost_share": outcome.cost_share()})
    return pd.DataFrame.from_records(records).set_index("label")
