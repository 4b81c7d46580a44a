"""The coalition builder (lesson 03): pure logic, the picture, and the widget driven from Python."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance_course import data
from alliance_course.sims import coalition_builder as cb
from alliance_course.sims import coalition_builder_view as view
from alliance_course.sims.networks import degree, reachable_only_through

MISSION = cb.Mission(name="test mission", lead="Hub", needs={"forces": 8, "access": 2, "legitimacy": 5},
                     lead_brings={"forces": 3, "access": 0, "legitimacy": 1}, lead_days=4, mandate_days=40,
                     mandate_legitimacy=2)
A = cb.PartnerCard("a", "Partner A", "A", brings={"forces": 4, "legitimacy": 1}, days_to_commit=6)
B = cb.PartnerCard("b", "Partner B", "B", brings={"access": 3}, days_to_commit=12, conditions=("quiet support",))
C = cb.PartnerCard("c", "Partner C", "C", brings={"forces": 4, "legitimacy": 2}, days_to_commit=2,
                   usable_share=0.25, caveats=("defensive tasks only",))
D = cb.PartnerCard("d", "Partner D", "D", brings={"forces": 2, "legitimacy": 3}, days_to_commit=20,
                   needs_un_mandate=True)
CARDS = (A, B, C, D)


# --------------------------------------------------------------------------- assess


def test_totals_add_the_lead_and_each_partners_usable_points():
    plan = cb.assess(MISSION, CARDS, ["a", "b", "c"])
    # forces: lead 3 + A 4 + C 4 × 0.25 = 8; access: B 3; legitimacy: lead 1 + A 1 + C 2 = 4
    assert dict(plan.totals) == {"forces": 8.0, "access": 3.0, "legitimacy": 4.0}
    assert dict(plan.gaps) == {"legitimacy": 1.0}
    assert not plan.ready
    assert plan.unusable_forces == 3.0


def test_start_day_waits_for_the_slowest_partner():
    plan = cb.assess(MISSION, CARDS, ["a", "c"])
    assert (plan.start_day, plan.slowest) == (6, "A's national decision")
    plan = cb.assess(MISSION, CARDS, ["c"])
    assert (plan.start_day, plan.slowest) == (4, "Hub's own preparation")


def test_a_partner_that_needs_a_mandate_declines_without_one():
    plan = cb.assess(MISSION, CARDS, ["a", "d"], un_mandate=False)
    assert [card.card_id for card in plan.joined] == ["a"]
    assert [(card.card_id, "UN Security Council mandate" in reason) for card, reason in plan.declined] == [("d", True)]
    assert any(line.startswith("Declined: D") for line in plan.summary())


def test_a_mandate_buys_legitimacy_and_partners_at_the_cost_of_time():
    fast = cb.assess(MISSION, CARDS, ["a", "b", "d"], un_mandate=False)
    slow = cb.assess(MISSION, CARDS, ["a", "b", "d"], un_mandate=True)
    assert slow.totals["legitimacy"] == fast.totals["legitimacy"] + 2 + 3  # the mandate + partner D
    assert slow.start_day == 40 and slow.slowest == "the UN Security Council mandate"
    assert fast.start_day == 12
    assert "legitimacy" in fast.gaps and "legitimacy" not in slow.gaps


def test_caveats_and_conditions_are_reported_as_costs():
    plan = cb.assess(MISSION, CARDS, ["b", "c"])
    assert plan.caveats == (("C", "defensive tasks only"),)
    assert plan.conditions == (("B", "quiet support"),)
    text = " ".join(plan.summary())
    assert "Caveats cost 3 force point(s)" in text and "quiet support" in text


def test_choosing_nobody_leaves_the_lead_alone():
    plan = cb.assess(MISSION, CARDS, [])
    assert plan.joined == () and dict(plan.totals) == {"forces": 3.0, "access": 0.0, "legitimacy": 1.0}
    assert plan.summary()[0].startswith("Hub leads 0 partners")


def test_a_card_chosen_twice_counts_once():
    assert cb.assess(MISSION, CARDS, ["a", "a"]).totals == cb.assess(MISSION, CARDS, ["a"]).totals


# --------------------------------------------------------------------------- the network


def test_the_coalition_is_a_hub_and_spoke():
    plan = cb.assess(MISSION, CARDS, ["a", "b", "c", "d"])
    g = cb.graph(plan)
    assert degree(g) == {"Hub": 3, "A": 1, "B": 1, "C": 1, "D": 0}  # D declined: drawn, but without a tie
    assert reachable_only_through(g, "Hub") == {frozenset(p) for p in itertools.combinations("ABC", 2)}


def test_a_departure_cuts_only_that_partners_tie():
    plan = cb.assess(MISSION, CARDS, ["a", "b", "c"])
    after = cb.departure(plan, CARDS, "a")
    assert [card.card_id for card in after.joined] == ["b", "c"]
    assert after.totals["forces"] == plan.totals["forces"] - 4
    assert after.totals["access"] == plan.totals["access"]
    assert degree(cb.graph(after))["Hub"] == 2


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("kwargs, message", [
    ({"brings": {"troops": 1}}, "unknown dimension(s) ['troops']"),
    ({"brings": {"forces": -1}}, "forces must be 0 to 5 points"),
    ({"brings": {"forces": 9}}, "forces must be 0 to 5 points"),
    ({"brings": {"forces": "many"}}, "forces must be a number of points"),
    ({"usable_share": 1.5}, "usable_share must lie between 0 and 1"),
    ({"days_to_commit": -2}, "days_to_commit must be a whole number"),
])
def test_bad_cards_get_a_message_naming_the_card_and_field(kwargs, message):
    fields = {"card_id": "bad-card", "name": "Bad", "short": "Bad", "brings": {"forces": 1}, "days_to_commit": 1}
    fields.update(kwargs)
    with pytest.raises(ValueError) as excinfo:
        cb.PartnerCard(**fields)
    assert "partner card 'bad-card'" in str(excinfo.value) and message in str(excinfo.value)


def test_an_unknown_card_id_lists_the_valid_ones():
    with pytest.raises(KeyError) as excinfo:
        cb.assess(MISSION, CARDS, ["zz"])
    assert "no partner card 'zz'" in str(excinfo.value) and "a, b, c, d" in str(excinfo.value)


def test_two_cards_with_one_id_are_rejected():
    with pytest.raises(ValueError, match="share an id"):
        cb.assess(MISSION, (A, A), ["a"])


def test_a_mission_with_negative_days_is_rejected():
    with pytest.raises(ValueError, match="mandate_days must be a whole number"):
        cb.Mission(name="m", lead="L", needs={}, lead_brings={}, lead_days=1, mandate_days=-1, mandate_legitimacy=0)


# --------------------------------------------------------------------------- the default cards are hypothetical


def test_default_cards_are_labelled_illustrative_and_name_no_real_country():
    countries = set(data.load("nato_members")["country"]) | set(data.load("coalition_lists")["country"])
    assert cb.DEFAULT_MISSION.illustrative
    for card in cb.DEFAULT_CARDS:
        assert card.illustrative, card.card_id
        words = f"{card.name} {card.short} {card.motive} {' '.join(card.conditions)}"
        assert not [c for c in countries if c in words], card.card_id
    assert "not real countries" in cb.ILLUSTRATIVE_NOTE


def test_default_scenario_shows_the_speed_legitimacy_trade_off():
    every = [card.card_id for card in cb.DEFAULT_CARDS]
    fast = cb.assess(cb.DEFAULT_MISSION, cb.DEFAULT_CARDS, every, un_mandate=False)
    slow = cb.assess(cb.DEFAULT_MISSION, cb.DEFAULT_CARDS, every, un_mandate=True)
    assert "legitimacy" in fast.gaps and slow.ready
    assert fast.start_day < slow.start_day == cb.DEFAULT_MISSION.mandate_days


@settings(max_examples=60, deadline=None)
@given(chosen=st.lists(st.sampled_from([c.card_id for c in cb.DEFAULT_CARDS]), unique=True),
       extra=st.sampled_from([c.card_id for c in cb.DEFAULT_CARDS]), un_mandate=st.booleans())
def test_inviting_one_more_partner_never_lowers_a_total(chosen, extra, un_mandate):
    mission, cards = cb.DEFAULT_MISSION, cb.DEFAULT_CARDS
    before = cb.assess(mission, cards, chosen, un_mandate=un_mandate)
    after = cb.assess(mission, cards, [*chosen, extra], un_mandate=un_mandate)
    for dim in cb.DIMENSIONS:
        assert after.totals[dim] >= before.totals[dim] >= mission.lead_brings[dim]
        assert (dim in before.gaps) == (before.totals[dim] < mission.needs[dim])
    assert after.start_day >= before.start_day >= mission.lead_days
    if un_mandate:
        assert before.start_day >= mission.mandate_days
    assert len(before.joined) + len(before.declined) == len(chosen)


# --------------------------------------------------------------------------- picture and widget


def test_draw_assessment_has_the_network_and_the_needs():
    fig = cb.draw_assessment(cb.assess(MISSION, CARDS, ["a", "d"]))
    net, bars = fig.axes[:2]
    assert net.get_title() == "Your coalition: ties to the lead nation"
    assert bars.get_title() == "Needs and gaps · start on day 6"
    assert [t.get_text() for t in bars.get_yticklabels()] == list(cb.DIMENSION_LABELS.values())
    texts = " ".join(t.get_text() for t in bars.texts)
    assert "has 2, needs 5: short by 3" in texts and "Source: illustrative course model" in texts


def test_widget_updates_when_partners_and_the_mandate_change():
    w = view.widget(chosen=["close-ally"])
    assert w.chosen() == ["close-ally"]
    assert "leads 1 partner without a UN mandate" in w.result.value
    assert "<svg" in w.image.svg
    w.checkboxes["major-power"].value = True
    assert "Declined: Major power" in w.result.value
    w.mandate.value = True
    assert "Declined" not in w.result.value
    assert "start on day 45" in w.result.value and "a veto over the campaign plan" in w.result.value
    w.checkboxes["close-ally"].value = False
    assert w.assessment().joined == (cb.card_by_id(cb.DEFAULT_CARDS, "major-power"),)


def test_widget_says_the_cards_are_illustrative_and_rejects_unknown_cards():
    w = view.widget()
    assert "Illustrative model" in w.box.children[0].value
    assert "Caveats" not in w.result.value
    with pytest.raises(ValueError, match=r"no partner card\(s\) \['nope'\]"):
        view.widget(chosen=["nope"])


def test_card_text_names_benefits_and_costs():
    text = view.card_text(cb.card_by_id(cb.DEFAULT_CARDS, "caveat-ally"))
    assert text.startswith("Brings forces 3, legitimacy 1.")
    assert "only 50% of its forces usable" in text and "decides in 21 days" in text


# --------------------------------------------------------------------------- legal bases (issue #16)

NO_MANDATE_CARDS = [c.card_id for c in cb.DEFAULT_CARDS if not c.needs_un_mandate]


def test_without_a_mandate_another_legal_basis_can_cover_legitimacy():
    none = cb.assess(cb.DEFAULT_MISSION, cb.DEFAULT_CARDS, NO_MANDATE_CARDS)
    assert none.basis == "none" and none.gaps["legitimacy"] == 3  # the old ceiling: 7 of 10
    consent = cb.assess(cb.DEFAULT_MISSION, cb.DEFAULT_CARDS, NO_MANDATE_CARDS, basis="host_consent")
    assert consent.totals["legitimacy"] == none.totals["legitimacy"] + cb.DEFAULT_MISSION.consent_legitimacy
    assert "legitimacy" not in consent.gaps
    assert consent.start_day == max(21, cb.DEFAULT_MISSION.consent_days)  # the caveat ally's 21 days still bind
    assert "on the consent (invitation) of the host government" in consent.summary()[0]


def test_each_basis_has_its_own_points_and_delay():
    cards = [*cb.DEFAULT_CARDS, cb.CONSENT_CARD]
    invited = cb.assess(cb.DEFAULT_MISSION, cards, ["niche-ally", "crisis-government"], basis="host_consent")
    assert invited.start_day == cb.DEFAULT_MISSION.lead_days  # the invitation (4 days) comes before day 7
    slow_host = cb.assess(cb.DEFAULT_MISSION, cards, ["niche-ally"], basis="host_consent")
    assert slow_host.start_day == cb.DEFAULT_MISSION.consent_days
    assert slow_host.slowest == "the host government's invitation"
    defence = cb.assess(cb.DEFAULT_MISSION, cb.DEFAULT_CARDS, ["niche-ally", "caveat-ally"], basis="self_defence")
    assert defence.start_day == cb.DEFAULT_MISSION.lead_days
    assert [c.card_id for c, _ in defence.declined] == ["caveat-ally"]
    assert defence.totals["legitimacy"] == 1 + 1 + cb.DEFAULT_MISSION.self_defence_legitimacy
    # the points are assumptions the learner can change
    import dataclasses
    cautious = dataclasses.replace(cb.DEFAULT_MISSION, consent_legitimacy=1)
    assert cb.assess(cautious, cb.DEFAULT_CARDS, NO_MANDATE_CARDS, basis="host_consent").gaps["legitimacy"] == 2
    # the old keyword still means the mandate
    assert cb.assess(cb.DEFAULT_MISSION, cb.DEFAULT_CARDS, ["close-ally"], un_mandate=True).basis == "un_mandate"
    with pytest.raises(ValueError, match="legal basis 'treaty'"):
        cb.assess(cb.DEFAULT_MISSION, cb.DEFAULT_CARDS, [], basis="treaty")
    with pytest.raises(ValueError, match="one or the other"):
        cb.assess(cb.DEFAULT_MISSION, cb.DEFAULT_CARDS, [], un_mandate=True, basis="self_defence")


def test_departure_keeps_the_legal_basis():
    plan = cb.assess(cb.DEFAULT_MISSION, cb.DEFAULT_CARDS, NO_MANDATE_CARDS, basis="host_consent")
    assert cb.departure(plan, cb.DEFAULT_CARDS, "aspirant").basis == "host_consent"


def test_widget_legal_basis_and_mandate_switch_agree():
    w = view.widget(chosen=NO_MANDATE_CARDS)
    assert w.basis.value == "none" and "legitimacy (backing) short by 3" in w.result.value
    w.basis.value = "host_consent"
    assert not w.mandate.value and "No gaps" in w.result.value
    w.mandate.value = True
    assert w.basis.value == "un_mandate" and w.assessment().basis == "un_mandate"
    w.basis.value = "self_defence"
    assert not w.mandate.value and "Declined: Caveat ally" in w.result.value
