"""The shipped scenarios. ILLUSTRATIVE: invented nations and numbers, built to show the mechanism."""

from __future__ import annotations

from alliance_course._common import find_by_id
from alliance_course.sims.force_generation.model import (
    Caveat,
    Nation,
    Phase,
    RequirementLine,
    Scenario,
)

# --------------------------------------------------------------------------------------------------- scenarios
# ILLUSTRATIVE: invented nations and numbers. The requirement lines echo the capability gaps NATO commanders
# reported for ISAF (manoeuvre battalions, helicopters, medical, ISR; see the data table force_generation_reports);
# the caveat kinds follow the usual classification (where, what, how long, with whose approval); the government
# types mirror the pattern Saideman & Auerswald (2012) report (coalition governments attach more caveats).

_STAB_CAVEATS = (
    Caveat("no_south", "Only in the capital region and the north", "geographic", frozenset({"south"}),
           "Units may not deploy to the contested south."),
    Caveat("no_combat", "No combat operations", "task", frozenset({"combat"}),
           "Units may defend themselves but not take part in offensive operations."),
    Caveat("no_night", "No night flying", "task", frozenset({"night"}),
           "Aircraft may fly only in daylight (e.g. for lack of night-vision equipment)."),
    Caveat("six_months", "Home after six months", "temporal", frozenset({"extended"}),
           "Units go home after six months and are not replaced."),
    Caveat("capital_approval", "Each new task needs the capital's approval", "approval", frozenset({"short_notice"}),
           "The contingent commander must ask the capital ('phone home') before a new task, so it cannot be used "
           "at short notice.", "capital approval"),
)

_STAB_LINES = (
    RequirementLine("manoeuvre", "Manoeuvre battalions", "battalion", "Manoeuvre"),
    RequirementLine("helicopters", "Helicopters", "helicopter", "Helicopters"),
    RequirementLine("medical", "Medical (field hospitals)", "field hospital", "Medical"),
    RequirementLine("isr", "ISR units", "ISR unit", "ISR"),
    RequirementLine("hq_signals", "HQ and signals", "HQ package", "HQ"),
    RequirementLine("route_clearance", "Route clearance", "company", "Route clearance"),
)

_EXT = frozenset({"extended"})
_STAB_PHASES = (
    Phase("entry", "1 Entry", {"manoeuvre": 4, "helicopters": 6, "medical": 2, "isr": 2, "hq_signals": 1,
                               "route_clearance": 2},
          {"helicopters": {"night"}},
          "Months 0-6: deploy and secure the capital region."),
    Phase("south", "2 Stabilise the south",
          {"manoeuvre": 6, "helicopters": 8, "medical": 2, "isr": 3, "hq_signals": 1, "route_clearance": 3},
          {"manoeuvre": {"south", "combat", "extended"}, "helicopters": {"south", "night", "short_notice", "extended"},
           "medical": {"south", "extended"}, "isr": {"south", "extended"}, "hq_signals": _EXT,
           "route_clearance": {"south", "combat", "extended"}},
          "Months 6-12: push into the contested south."),
    Phase("transition", "3 Transition",
          {"manoeuvre": 3, "helicopters": 4, "medical": 1, "isr": 2, "hq_signals": 1, "route_clearance": 1},
          {"manoeuvre": {"short_notice", "extended"}, "helicopters": {"night", "extended"}, "medical": _EXT,
           "isr": _EXT, "hq_signals": _EXT, "route_clearance": _EXT},
          "Months 12-18: hand over to local forces, with a quick reaction force."),
)


def _cap(manoeuvre: int = 0, helicopters: int = 0, medical: int = 0, isr: int = 0, hq_signals: int = 0,
         route_clearance: int = 0) -> dict[str, int]:
    values = {"manoeuvre": manoeuvre, "helicopters": helicopters, "medical": medical, "isr": isr,
              "hq_signals": hq_signals, "route_clearance": route_clearance}
    return {k: v for k, v in values.items() if v}


_STAB_NATIONS = (
    Nation("aldoria", "Aldoria", _cap(3, 4, 1, 1, 1, 1), frozenset(), "presidential", True, 1.0,
           "Lead and framework nation: provides the HQ and the bulk of the enablers."),
    Nation("borvia", "Borvia", _cap(2, 3, 1, 1, 0, 1), frozenset({"no_south", "no_combat"}),
           "coalition government", True, 0.7, "Large Ally; its parliament's mandate keeps it in the north."),
    Nation("celtra", "Celtra", _cap(2, 0, 0, 1, 0, 1), frozenset(), "single-party parliamentary", True, 0.8,
           "Medium Ally with few restrictions."),
    Nation("dravonia", "Dravonia", _cap(1, 2, 1, 0, 0, 0), frozenset({"no_night", "six_months"}),
           "coalition government", True, 0.6, "Offers helicopters without night-vision kit, for six months."),
    Nation("elvaria", "Elvaria", _cap(1, 0, 1, 1, 0, 1), frozenset({"capital_approval"}),
           "coalition government", True, 0.7, "Small Ally whose commander must 'phone home' for new tasks."),
    Nation("faronia", "Faronia", _cap(1, 0, 0, 1, 0, 0), frozenset({"no_combat"}), "coalition government",
           False, 0.5, "Partner country (not an Ally) contributing to a NATO-led operation."),
)

_MAR_CAVEATS = (
    Caveat("home_waters", "Only in the home sea area", "geographic", frozenset({"distant"}),
           "Ships stay in the sea area near home."),
    Caveat("no_boarding", "No opposed boarding", "task", frozenset({"boarding"}),
           "Boarding teams may board only with the master's consent."),
    Caveat("four_months", "Home after four months", "temporal", frozenset({"extended"}),
           "Ships and aircraft go home after four months."),
    Caveat("capital_approval", "Each new task needs the capital's approval", "approval", frozenset({"short_notice"}),
           "No tasking at short notice without the capital's approval.", "capital approval"),
)

_MAR_LINES = (
    RequirementLine("frigates", "Frigates", "frigate", "Frigates"),
    RequirementLine("patrol_aircraft", "Maritime patrol aircraft", "aircraft", "Patrol aircraft"),
    RequirementLine("boarding_teams", "Boarding teams", "team", "Boarding"),
    RequirementLine("medical", "Medical evacuation", "team", "Medevac"),
    RequirementLine("hq_signals", "Maritime HQ and signals", "HQ package", "HQ"),
)

_MAR_PHASES = (
    Phase("surveillance", "1 Surveillance", {"frigates": 3, "patrol_aircraft": 2, "medical": 1, "hq_signals": 1},
          {"patrol_aircraft": {"distant"}}, "Months 0-4: watch the shipping lanes."),
    Phase("interdiction", "2 Interdiction",
          {"frigates": 5, "patrol_aircraft": 3, "boarding_teams": 4, "medical": 1, "hq_signals": 1},
          {"frigates": {"distant", "extended"}, "patrol_aircraft": {"distant", "extended"},
           "boarding_teams": {"boarding", "distant", "extended"}, "medical": {"short_notice", "extended"},
           "hq_signals": _EXT},
          "Months 4-8: stop and search suspect ships far from home."),
    Phase("escort", "3 Escort", {"frigates": 4, "patrol_aircraft": 1, "boarding_teams": 1, "medical": 1,
                                 "hq_signals": 1},
          {"frigates": {"short_notice", "extended"}, "patrol_aircraft": _EXT, "boarding_teams": _EXT,
           "medical": _EXT, "hq_signals": _EXT},
          "Months 8-12: escort merchant convoys, reacting at short notice."),
)


def _mar(frigates: int = 0, patrol_aircraft: int = 0, boarding_teams: int = 0, medical: int = 0,
         hq_signals: int = 0) -> dict[str, int]:
    values = {"frigates": frigates, "patrol_aircraft": patrol_aircraft, "boarding_teams": boarding_teams,
              "medical": medical, "hq_signals": hq_signals}
    return {k: v for k, v in values.items() if v}


_MAR_NATIONS = (
    Nation("celtra", "Celtra", _mar(2, 1, 2, 1, 1), frozenset(), "single-party parliamentary", True, 1.0,
           "Lead nation: a maritime power with the most at stake in the shipping lanes."),
    Nation("aldoria", "Aldoria", _mar(2, 2, 1, 0, 0), frozenset(), "presidential", True, 0.6,
           "Large Ally busy elsewhere: capable, but only partly willing."),
    Nation("borvia", "Borvia", _mar(1, 0, 1, 1, 0), frozenset({"home_waters", "no_boarding"}),
           "coalition government", True, 0.8, "Keeps its ships close to home."),
    Nation("dravonia", "Dravonia", _mar(1, 1, 0, 0, 0), frozenset({"four_months"}), "coalition government",
           True, 0.7, "Offers a frigate and an aircraft for one rotation."),
    Nation("elvaria", "Elvaria", _mar(0, 0, 1, 1, 0), frozenset({"capital_approval"}), "coalition government",
           True, 0.7, "Small Ally with a boarding team and a medical team."),
)

SCENARIOS: dict[str, Scenario] = {
    "stabilisation": Scenario(
        "stabilisation", "Operation Keystone (illustrative)",
        "A NATO-led stabilisation mission in an invented country: enter and secure the capital, stabilise the "
        "contested south, hand over. Invented nations and numbers.",
        _STAB_LINES, _STAB_PHASES, _STAB_CAVEATS, _STAB_NATIONS, lead="aldoria", seed=5),
    "maritime": Scenario(
        "maritime", "Operation Harbour Watch (illustrative)",
        "A maritime security mission: watch the shipping lanes, stop and search suspect ships far from home, "
        "escort convoys. Invented nations and numbers.",
        _MAR_LINES, _MAR_PHASES, _MAR_CAVEATS, _MAR_NATIONS, lead="celtra", seed=7),
}


def scenario_names() -> list[str]:
    """The names of the shipped (illustrative) scenarios."""
    return list(SCENARIOS)


def scenario(name: str) -> Scenario:
    """A shipped scenario by name; an unknown name gets a message listing the ones that exist."""
    return SCENARIOS[find_by_id(SCENARIOS, name, "force generation scenario", key=str)]
