"""The shipped crisis. ILLUSTRATIVE: Varnia, the nine nations, incomes and stances are invented."""

from __future__ import annotations

from dataclasses import replace

from alliance_course._common import find_by_id
from alliance_course.sims import force_generation as fg
from alliance_course.sims.capstone.model import (
    Crisis,
    Member,
)

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
    return _CRISES[find_by_id(_CRISES, name, "capstone crisis", key=str)]
