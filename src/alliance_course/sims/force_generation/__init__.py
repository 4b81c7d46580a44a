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
  fill), each phase's **weakest line** (``PhaseResult.weakest_line``, ``binding_fill``: the mean over lines can
  hide it) and the **lead nation's burden** measured three ways: its share of the usable units averaged over
  lines (``lead_burden``), counted by units (``lead_unit_share``) and of the cost of everything offered
  (``cost_share``, with ``RequirementLine.unit_cost``).

The named scenarios (:data:`SCENARIOS`) and all their nation cards are **illustrative**: invented countries with
invented numbers, built to show the mechanism, not to describe any real operation or ally. Random draws
(:func:`draw_offers`) use a seeded generator, so a scenario and a seed always give the same offers.

Example::

    >>> from alliance_course.sims import force_generation as fg
    >>> scenario = fg.scenario("stabilisation")
    >>> outcome = fg.evaluate(scenario, fg.default_offers(scenario))
    >>> round(outcome.phase("south").fill_rate, 2), round(outcome.phase("south").usable_fill_rate, 2)
    (1.0, 0.92)
    >>> outcome.binding.line, outcome.binding.phase
    ('helicopters', 'south')

The package is split along those jobs: :mod:`.model` (the building blocks and results), :mod:`.logic`
(evaluating offers), :mod:`.tables` (pandas views), :mod:`.classroom` (CSV offers) and :mod:`.scenarios` (the
shipped, illustrative scenarios). Charts and the widget live in :mod:`alliance_course.sims.force_generation_view`.

Classroom mode: teams write their offers into a CSV file, one row per nation (:func:`write_offers_csv` makes a
template); the facilitator reads one file or a folder of files with :func:`read_offers_csv` and evaluates them.
"""

from __future__ import annotations

from alliance_course._common import forward_to_view
from alliance_course.sims.force_generation.classroom import example_offers_path, read_offers_csv, write_offers_csv
from alliance_course.sims.force_generation.logic import default_offers, draw_offers, evaluate, fill_gaps, is_usable
from alliance_course.sims.force_generation.model import (
    CAVEAT_KINDS,
    Caveat,
    ForceGenerationError,
    LineResult,
    Nation,
    Offer,
    OfferError,
    OfferFileError,
    Outcome,
    Phase,
    PhaseResult,
    RequirementLine,
    Scenario,
    ScenarioError,
    Shortfall,
)
from alliance_course.sims.force_generation.scenarios import SCENARIOS, scenario, scenario_names
from alliance_course.sims.force_generation.tables import (
    caveat_table,
    compare,
    nation_cards,
    offers_frame,
    requirements_table,
)

__all__ = [
    "CAVEAT_KINDS", "SCENARIOS", "Caveat", "RequirementLine", "Phase", "Nation", "Scenario", "Offer",
    "LineResult", "PhaseResult", "Shortfall", "Outcome", "ForceGenerationError", "ScenarioError", "OfferError",
    "OfferFileError", "scenario", "scenario_names", "is_usable", "evaluate", "default_offers", "draw_offers",
    "fill_gaps", "requirements_table", "nation_cards", "caveat_table", "offers_frame", "read_offers_csv",
    "write_offers_csv", "example_offers_path", "compare",
]

# Charts and the widget live in the view module; these names are looked up there when first used.
__getattr__ = forward_to_view(__name__, ["plot_outcome", "widget", "ForceGenerationView"])
