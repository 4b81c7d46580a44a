"""The two tracks: through NATO (Council consensus, then force generation) and as a coalition of the willing."""

from __future__ import annotations

from types import MappingProxyType

from alliance_course.sims import force_generation as fg
from alliance_course.sims import public_goods as pg
from alliance_course.sims.capstone.crises import crisis as shipped_crisis
from alliance_course.sims.capstone.model import (
    TERMS_LABELS,
    CapstoneError,
    Crisis,
    Setting,
    Step,
    TrackResult,
)

# --------------------------------------------------------------------------------------------------- the tracks

def _stances(crisis: Crisis, setting: Setting) -> dict[str, str]:
    allies = set(crisis.allies)
    for nation in setting.stances:
        if nation not in {m.nation for m in crisis.members}:
            raise CapstoneError(f"Setting, stances: no nation {nation!r} in crisis {crisis.name!r} "
                                f"(Allies: {', '.join(crisis.allies)})")
        if nation not in allies:
            raise CapstoneError(f"Setting, stances: {nation!r} is a partner, not an Ally; it has no say in the "
                                "North Atlantic Council")
        if nation == crisis.lead and setting.stances[nation] != "support":
            raise CapstoneError(f"Setting, stances: {nation!r} is the lead nation and must support its mission")
    return {ally: setting.stances.get(ally, crisis.member(ally).stance) for ally in crisis.allies}


def _offer(nation: fg.Nation, caveats: frozenset[str]) -> fg.Offer:
    return fg.Offer(nation.id, dict(nation.capacity), caveats)


def run_nato(crisis: Crisis | None = None, setting: Setting | None = None) -> TrackResult:
    """The crisis through NATO: consensus in the Council, a mandate, force generation with caveats.

    Any Ally that blocks stops the track. Each conditional Ally adds ``per_condition`` days of talks and its
    condition (a caveat) is written into the mandate, so it applies to every unit. Allies whose willingness reaches
    ``nato_ally`` and partners reaching ``nato_partner`` offer their full cards with their own caveats. Common costs
    are shared among all Allies in proportion to GDP (NATO's cost-share formula, modelled).
    """
    crisis = crisis or shipped_crisis()
    setting = setting or Setting()
    stances = _stances(crisis, setting)
    blocked = tuple(ally for ally, stance in stances.items() if stance == "block")
    conditional = [ally for ally, stance in stances.items() if stance == "conditional"]
    timing = crisis.timing
    council = Step("Council reaches consensus" if not conditional else
                   f"Council reaches consensus after talks with {', '.join(crisis.name_of(a) for a in conditional)}",
                   timing.council + timing.per_condition * len(conditional), "Council")
    if blocked:
        blocked_step = Step("Council blocked: no consensus", timing.council, "Council")
        return TrackResult("nato", False, (blocked_step,), (), (), True, frozenset(), None, MappingProxyType({}),
                           blocked)
    mandate = frozenset(crisis.member(ally).condition or "" for ally in conditional) - {""}
    limits = crisis.thresholds
    offers = [_offer(n, n.default_caveats | mandate) for n in crisis.scenario.nations
              if n.willingness >= (limits.nato_ally if n.ally else limits.nato_partner)]
    force = fg.evaluate(crisis.scenario, offers)
    gdp = {ally: crisis.member(ally).gdp for ally in crisis.allies}
    shares = {ally: value / sum(gdp.values()) for ally, value in gdp.items()}
    steps = (council, Step("Planning: concept of operations, statement of requirements", timing.planning, "Plan"),
             Step("Force generation conference and national decisions", timing.force_generation, "Offers"),
             Step("Deployment and transfer of authority", timing.deployment, "Deploy"))
    return TrackResult("nato", True, steps, tuple(o.nation for o in offers), crisis.allies, True, mandate, force,
                       MappingProxyType(shares))


def run_coalition(crisis: Crisis | None = None, setting: Setting | None = None) -> TrackResult:
    """The crisis as a coalition of the willing around the lead nation.

    The lead nation decides alone. Under the partners' terms every nation whose willingness reaches ``coalition``
    joins with its own caveats; under the lead nation's terms it must also accept no caveats, which a nation that
    attaches any does only if its willingness reaches ``give_up_caveats``. Council stances play no part. Common
    costs are voluntary: lesson 07's public-goods equilibrium among the coalition's members.
    ``setting.coalition_threshold`` replaces the crisis's ``coalition`` threshold. A co-led coalition
    (``setting.coalition_kind="co-led"``) adds the second lead (who joins whatever its willingness), takes
    ``co_lead_decision`` more days to decide, recruits on the partners' terms, and the two leads split their
    part of the common costs in proportion to GDP (an illustrative rule).
    """
    crisis = crisis or shipped_crisis()
    setting = setting or Setting()
    _stances(crisis, setting)  # validate the setting the same way for both tracks
    limits, timing, lead = crisis.thresholds, crisis.timing, crisis.lead
    threshold = limits.coalition if setting.coalition_threshold is None else setting.coalition_threshold
    co_led = setting.coalition_kind == "co-led"
    co_lead = _co_lead(crisis, setting) if co_led else None
    terms = "partners" if co_led else setting.terms
    leads = {lead, co_lead} - {None}
    offers = []
    for nation in crisis.scenario.nations:
        if nation.id not in leads and nation.willingness < threshold:
            continue
        if terms == "partners" or nation.id == lead:
            offers.append(_offer(nation, nation.default_caveats))
        elif not nation.default_caveats or nation.willingness >= limits.give_up_caveats:
            offers.append(_offer(nation, frozenset()))
    force = fg.evaluate(crisis.scenario, offers)
    members = [pg.Ally(o.nation, crisis.member(o.nation).gdp) for o in offers]
    spending = dict(zip((o.nation for o in offers), pg.equilibrium(members, setting.parameters()).spending))
    if co_lead is not None:
        # The two leads pool what the equilibrium leaves them and split it in proportion to GDP.
        pooled = spending[lead] + spending[co_lead]
        gdp = {n: crisis.member(n).gdp for n in (lead, co_lead)}
        for nation in (lead, co_lead):
            spending[nation] = pooled * gdp[nation] / sum(gdp.values())
    total = sum(spending.values())
    shares = {nation: value / total for nation, value in spending.items()}
    recruit = timing.recruit_partners_terms if terms == "partners" else timing.recruit_lead_terms
    if co_lead is not None:
        first = Step(f"{crisis.name_of(lead)} and {crisis.name_of(co_lead)} agree to co-lead",
                     timing.lead_decision + timing.co_lead_decision, "Leads")
        recruit_label = f"Recruiting partners on {TERMS_LABELS['partners']}, negotiated by the co-leads"
    else:
        first = Step(f"{crisis.name_of(lead)} decides to lead", timing.lead_decision, "Lead")
        recruit_label = f"Recruiting partners on {TERMS_LABELS[terms]}"
    steps = (first, Step(recruit_label, recruit, "Recruit"), Step("Deployment", timing.deployment, "Deploy"))
    participants = tuple(o.nation for o in offers)
    decision_allies = tuple(a for a in crisis.allies if a in participants)
    return TrackResult("coalition", True, steps, participants, decision_allies, False, frozenset(), force,
                       MappingProxyType(shares))


def _co_lead(crisis: Crisis, setting: Setting) -> str:
    """The second lead of a co-led coalition: ``setting.co_lead``, else the Ally with the largest GDP after the
    lead."""
    if setting.co_lead is None:
        others = [a for a in crisis.allies if a != crisis.lead]
        return max(others, key=lambda a: crisis.member(a).gdp)
    if setting.co_lead not in crisis.allies or setting.co_lead == crisis.lead:
        options = ", ".join(a for a in crisis.allies if a != crisis.lead)
        raise CapstoneError(f"Setting: co_lead {setting.co_lead!r} is not an Ally other than the lead nation "
                            f"(choose one of: {options})")
    return setting.co_lead


def run_both(crisis: Crisis | None = None, setting: Setting | None = None) -> dict[str, TrackResult]:
    """Both tracks for the same crisis and setting: ``{"nato": …, "coalition": …}``."""
    crisis = crisis or shipped_crisis()
    setting = setting or Setting()
    return {"nato": run_nato(crisis, setting), "coalition": run_coalition(crisis, setting)}
