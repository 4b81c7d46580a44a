"""The capstone crisis, run twice: through NATO and as a coalition of the willing (an illustrative model).

One crisis, two ways to answer it. The **NATO track** needs a decision of the North Atlantic Council by consensus
(any Ally can block it; a reluctant Ally can make its consent conditional on a restriction written into the
mandate), then force generation with national caveats. The **coalition track** starts with the lead nation's own
decision; partners join on terms: either their own (they keep their caveats) or the lead nation's (no caveats, so
only the keenest come). Both tracks are then compared on four criteria, **speed, legitimacy, capability and
cohesion**, each scored 0 to 4 points by explicit rules (:data:`RULES`, :func:`rules_table`). Every number and
switch of the scoring is a field of :class:`ScoringRules` (pass ``rules=`` to :func:`compare`): whether the Council
decision counts twice, for legitimacy as well as cohesion (``count_decision_twice``, off by default since the 2nd
edition), the states needed for breadth (``breadth_threshold``), which
tracks national parliaments approved (``parliament``), and the bands. A co-led coalition
(``Setting(coalition_kind="co-led")``) and the coalition's willingness threshold
(``Setting(coalition_threshold=…)``) are options of the setting.

The model reuses the course's two simulators rather than rewriting them:

- :mod:`.force_generation` (lesson 05) counts the force: the crisis is lesson 05's *Operation Keystone*
  (``fg.scenario("stabilisation")``: the same requirement lines, phases and caveats) with three more nations, and
  :func:`~.force_generation.evaluate` gives the usable fill rate of each track's offers;
- :mod:`.public_goods` (lesson 07) says who pays the coalition's common costs (headquarters, logistics): with no
  treaty to share them, each member chooses its contribution, and :func:`~.public_goods.equilibrium` gives the
  Nash equilibrium. Through NATO, common costs are shared by an agreed formula based on national income instead
  (NATO, frequently asked questions, item 6 "NATO funding"), modelled here as shares of GDP among the Allies.

The package is split along those jobs: :mod:`.model` (inputs and results), :mod:`.crises` (the shipped crisis),
:mod:`.tracks` (running each track), :mod:`.scoring` (the rules) and :mod:`.tables`. Charts and the dashboard live
in :mod:`alliance_course.sims.capstone_view`.

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
    {'speed': 1, 'legitimacy': 2, 'capability': 3, 'cohesion': 4}
    >>> first_edition = capstone.ScoringRules(count_decision_twice=True)
    >>> int(capstone.compare(results, rules=first_edition).loc["nato", "legitimacy"])
    3
"""

from __future__ import annotations

from alliance_course._common import forward_to_view
from alliance_course.sims.capstone.crises import crisis
from alliance_course.sims.capstone.model import (
    COALITION_KINDS,
    CRITERIA,
    STANCES,
    TERMS,
    TERMS_LABELS,
    TRACK_LABELS,
    TRACKS,
    CapstoneError,
    Crisis,
    Member,
    Scores,
    ScoringRules,
    Setting,
    Step,
    Thresholds,
    Timing,
    TrackResult,
)
from alliance_course.sims.capstone.scoring import (
    BREADTH_MIN,
    CAPABILITY_BANDS,
    DEFAULT_RULES,
    RULES,
    SPEED_BANDS,
    Rule,
    capability_score,
    cohesion_score,
    legitimacy_score,
    rules_for,
    score,
    speed_score,
    weighted_total,
)
from alliance_course.sims.capstone.tables import (
    assumptions_table,
    cards_table,
    compare,
    describe,
    rules_table,
    timeline_table,
)
from alliance_course.sims.capstone.tracks import run_both, run_coalition, run_nato

__all__ = [
    "TRACKS", "TRACK_LABELS", "STANCES", "TERMS", "TERMS_LABELS", "CRITERIA", "RULES", "SPEED_BANDS",
    "CAPABILITY_BANDS", "BREADTH_MIN", "CapstoneError", "Timing", "Thresholds",
    "Member", "Crisis", "Setting", "Step", "TrackResult", "Scores", "Rule", "crisis", "run_nato",
    "run_coalition", "run_both", "speed_score", "capability_score", "legitimacy_score", "cohesion_score", "score",
    "weighted_total", "compare", "COALITION_KINDS", "ScoringRules", "DEFAULT_RULES", "rules_for",
    "rules_table", "assumptions_table", "cards_table", "timeline_table", "describe",
]

# Charts and the widget live in the view module; these names are looked up there when first used.
__getattr__ = forward_to_view(__name__, ["plot_scores", "plot_timeline", "widget", "CapstoneView"])
