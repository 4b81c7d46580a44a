"""The capstone crisis: both tracks, the scoring rules, the tables, the charts and the dashboard."""

from __future__ import annotations

import dataclasses

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from alliance_course.sims import capstone  # noqa: E402
from alliance_course.sims import force_generation as fg  # noqa: E402
from alliance_course.sims import public_goods as pg  # noqa: E402

CRISIS = capstone.crisis()
NON_LEAD_ALLIES = [a for a in CRISIS.allies if a != CRISIS.lead]

SETTINGS = st.builds(
    capstone.Setting,
    un_mandate=st.booleans(),
    host_consent=st.booleans(),
    stances=st.dictionaries(st.sampled_from(NON_LEAD_ALLIES), st.sampled_from(capstone.STANCES), max_size=4),
    terms=st.sampled_from(capstone.TERMS),
    private_share=st.floats(min_value=0.0, max_value=1.0),
    threat=st.floats(min_value=0.005, max_value=1.0),
)
WEIGHTS = st.fixed_dictionaries({c: st.integers(min_value=0, max_value=5) for c in capstone.CRITERIA}).filter(
    lambda w: sum(w.values()) > 0)


# --- the crisis reuses lesson 05's mission ----------------------------------------------------------------------

def test_the_crisis_is_lesson_05s_mission_with_more_nations():
    base = fg.scenario("stabilisation")
    assert CRISIS.illustrative and CRISIS.scenario.illustrative
    assert CRISIS.scenario.lines == base.lines
    assert CRISIS.scenario.phases == base.phases
    assert CRISIS.scenario.caveats[:len(base.caveats)] == base.caveats
    assert CRISIS.scenario.nations[:len(base.nations)] == base.nations   # the cards of lesson 05, unchanged
    assert len(CRISIS.scenario.caveats) > len(base.caveats) and len(CRISIS.scenario.nations) > len(base.nations)
    assert CRISIS.lead == base.lead == "aldoria"
    assert set(CRISIS.partners) == {"faronia", "hestria"}


# --- the NATO track ----------------------------------------------------------------------------------------------

def test_nato_track_by_hand():
    result = capstone.run_nato(CRISIS, capstone.Setting())
    timing = CRISIS.timing
    # one conditional Ally (Galmoria): the council takes one round of talks longer
    expected = (timing.council + timing.per_condition + timing.planning + timing.force_generation
                + timing.deployment)
    assert result.launched and result.days == expected
    assert result.mandate_caveats == {"council_approval"}
    # every offer carries the mandate's condition on top of its own caveats
    for offer in result.force.offers:
        nation = CRISIS.scenario.nation(offer.nation)
        assert offer.caveats == nation.default_caveats | {"council_approval"}
    # Allies from willingness 0.3, partners from 0.5: everyone on these cards takes part
    assert set(result.participants) == {n.id for n in CRISIS.scenario.nations}
    assert result.collective_decision and result.decision_allies == CRISIS.allies


def test_the_mandate_condition_makes_short_notice_helicopters_unusable():
    conditional = capstone.run_nato(CRISIS, capstone.Setting())
    supportive = capstone.run_nato(CRISIS, capstone.Setting(stances={"galmoria": "support"}))
    assert conditional.force.phase("south").lines[1].line == "helicopters"
    assert conditional.force.phase("south").lines[1].usable == 0   # phase 2 demands short notice
    assert supportive.force.phase("south").lines[1].usable > 0
    assert supportive.usable_fill > conditional.usable_fill
    assert supportive.days == conditional.days - CRISIS.timing.per_condition


def test_nato_common_costs_follow_gdp_among_the_allies():
    result = capstone.run_nato()
    gdp = {a: CRISIS.member(a).gdp for a in CRISIS.allies}
    assert set(result.cost_shares) == set(CRISIS.allies)
    assert sum(result.cost_shares.values()) == pytest.approx(1.0)
    assert result.cost_shares["aldoria"] == pytest.approx(2000 / sum(gdp.values()))


def test_a_block_stops_the_nato_track():
    setting = capstone.Setting(stances={"istra": "block"})
    result = capstone.run_nato(CRISIS, setting)
    assert not result.launched and result.days is None and result.force is None
    assert result.blocked_by == ("istra",)
    assert capstone.score(result, setting, CRISIS) == capstone.Scores(0, 0, 0, 0)
    assert "Istra blocked" in capstone.describe(result)[0]


# --- the coalition track -----------------------------------------------------------------------------------------

def test_coalition_on_the_partners_terms_keeps_their_caveats():
    result = capstone.run_coalition(CRISIS, capstone.Setting(terms="partners"))
    keen = {n.id for n in CRISIS.scenario.nations if n.willingness >= CRISIS.thresholds.coalition}
    assert set(result.participants) == keen | {CRISIS.lead}
    for offer in result.force.offers:
        assert offer.caveats == CRISIS.scenario.nation(offer.nation).default_caveats
    assert not result.collective_decision and result.mandate_caveats == frozenset()
    assert result.days == CRISIS.timing.lead_decision + CRISIS.timing.recruit_partners_terms \
        + CRISIS.timing.deployment


def test_coalition_on_the_lead_nations_terms_has_no_caveats_and_fewer_partners():
    partners = capstone.run_coalition(CRISIS, capstone.Setting(terms="partners"))
    lead = capstone.run_coalition(CRISIS, capstone.Setting(terms="lead"))
    assert all(not offer.caveats for offer in lead.force.offers)
    assert set(lead.participants) < set(partners.participants)
    # Borvia and Elvaria attach caveats and are not keen enough (0.7 < 0.8) to give them up
    assert {"borvia", "elvaria"} <= set(partners.participants) - set(lead.participants)
    assert lead.days < partners.days
    assert lead.force.fill_rate == lead.force.usable_fill_rate   # nothing is lost to caveats


def test_settings_are_values():
    one = capstone.Setting(stances={"galmoria": "block", "istra": "support"})
    two = capstone.Setting(stances={"istra": "support", "galmoria": "block"})
    assert one == two and len({one, two}) == 1
    assert one != capstone.Setting()


def test_coalition_ignores_council_stances():
    quiet = capstone.run_coalition(CRISIS, capstone.Setting())
    loud = capstone.run_coalition(CRISIS, capstone.Setting(stances={a: "block" for a in NON_LEAD_ALLIES}))
    assert quiet == loud


def test_coalition_costs_are_the_public_goods_equilibrium():
    setting = capstone.Setting(private_share=0.5, threat=0.05)
    result = capstone.run_coalition(CRISIS, setting)
    members = [pg.Ally(n, CRISIS.member(n).gdp) for n in result.participants]
    spending = pg.equilibrium(members, pg.Parameters(threat=0.05, private_share=0.5)).spending
    for member, value in zip(members, spending):
        assert result.cost_shares[member.name] == pytest.approx(value / sum(spending))
    # a pure public good: only the member with the largest income pays (Olson and Zeckhauser)
    pure = capstone.run_coalition(CRISIS, capstone.Setting(private_share=0.0))
    richest = max(pure.participants, key=lambda n: CRISIS.member(n).gdp)
    assert pure.cost_shares[richest] == pytest.approx(1.0)


# --- scoring rules, by hand -------------------------------------------------------------------------------------

@pytest.mark.parametrize("days, points", [(0, 4), (21, 4), (22, 3), (35, 3), (36, 2), (50, 2), (51, 1), (75, 1),
                                          (76, 0), (None, 0)])
def test_speed_bands(days, points):
    assert capstone.speed_score(days) == points


@pytest.mark.parametrize("fill, points", [(1.0, 4), (0.95, 4), (0.9499, 3), (0.85, 3), (0.8499, 2), (0.70, 2),
                                          (0.6999, 1), (0.5, 1), (0.4999, 0), (0.0, 0), (None, 0)])
def test_capability_bands(fill, points):
    assert capstone.capability_score(fill) == points


def test_legitimacy_counts_one_point_per_condition():
    full = dict(launched=True, un_mandate=True, host_consent=True, collective_decision=True,
                states=capstone.BREADTH_MIN)
    # by default the collective decision counts for cohesion only (2nd edition): mandate, consent, breadth
    assert capstone.legitimacy_score(**full) == 3
    assert capstone.legitimacy_score(**full, count_decision_twice=True) == 4
    assert capstone.legitimacy_score(**full, parliament=True) == 4
    assert capstone.legitimacy_score(**{**full, "states": capstone.BREADTH_MIN - 1}) == 2
    assert capstone.legitimacy_score(**{**full, "un_mandate": False, "collective_decision": False}) == 2
    assert capstone.legitimacy_score(**{**full, "launched": False}) == 0


@pytest.mark.parametrize("allies_share, lead_share, points", [
    (1.0, 0.5, 4), (1.0, 0.51, 3), (1.0, 0.75, 3), (1.0, 0.76, 2), (0.5, 0.3, 3), (0.49, 0.3, 2),
    (0.4, 1.0, 0), (4 / 7, 1.0, 1), (1.0, None, 2)])
def test_cohesion_bands(allies_share, lead_share, points):
    assert capstone.cohesion_score(launched=True, allies_share=allies_share, lead_cost_share=lead_share) == points


def test_default_scores_by_hand():
    results = capstone.run_both()
    nato, coalition = (capstone.score(results[t]) for t in ("nato", "coalition"))
    # NATO: 52 days (1), no UN mandate but consent and 9 states (2; the consensus decision counts for cohesion
    # only), 8/9 usable (3), all Allies decided and Aldoria pays 2000/5230 < 50% (4)
    assert nato == capstone.Scores(speed=1, legitimacy=2, capability=3, cohesion=4)
    # coalition: 27 days (3), consent only (1), 71/72 usable (4), 4 of 7 Allies, Aldoria pays all (1)
    assert coalition == capstone.Scores(speed=3, legitimacy=1, capability=4, cohesion=1)
    assert capstone.weighted_total(nato) == pytest.approx(10 / 4)
    assert capstone.weighted_total(coalition) == pytest.approx(9 / 4)
    assert capstone.weighted_total(coalition, {"speed": 3, "legitimacy": 1, "capability": 1, "cohesion": 1}) \
        == pytest.approx((9 + 1 + 4 + 1) / 6)


def test_weights_change_the_winner():
    results = capstone.run_both()
    equal = capstone.compare(results)
    assert equal.loc["nato", "total"] > equal.loc["coalition", "total"]
    fast = capstone.compare(results, weights={"speed": 3, "legitimacy": 1, "capability": 1, "cohesion": 1})
    assert fast.loc["coalition", "total"] > fast.loc["nato", "total"]
    # with the decision counted once, doubling speed is enough: NATO (2 + 2 + 3 + 4) / 5, coalition (6 + 1 + 4 + 1) / 5
    double = capstone.compare(results, weights={"speed": 2, "legitimacy": 1, "capability": 1, "cohesion": 1})
    assert double["total"].to_dict() == pytest.approx({"nato": 11 / 5, "coalition": 12 / 5})
    only_capability = capstone.compare(results, weights={"capability": 1})
    assert only_capability["total"].to_dict() == {"nato": 3.0, "coalition": 4.0}


# --- properties -------------------------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(SETTINGS, WEIGHTS)
def test_scores_and_totals_stay_in_range(setting, weights):
    frame = capstone.compare(capstone.run_both(CRISIS, setting), setting, CRISIS, weights)
    for criterion in capstone.CRITERIA:
        assert frame[criterion].between(0, 4).all()
    assert frame["total"].between(0, 4).all()
    for track in capstone.TRACKS:
        row = frame.loc[track]
        assert min(row[c] for c in capstone.CRITERIA if weights[c]) - 1e-9 <= row["total"] \
            <= max(row[c] for c in capstone.CRITERIA if weights[c]) + 1e-9


@settings(max_examples=60, deadline=None)
@given(SETTINGS)
def test_cost_shares_add_up_and_a_mandate_never_hurts(setting):
    results = capstone.run_both(CRISIS, setting)
    for result in results.values():
        if result.launched:
            assert sum(result.cost_shares.values()) == pytest.approx(1.0)
            assert 0.0 <= result.usable_fill <= result.force.fill_rate + 1e-12
    with_mandate = dataclasses.replace(setting, un_mandate=True)
    for track in capstone.TRACKS:
        assert capstone.score(capstone.run_both(CRISIS, with_mandate)[track], with_mandate).legitimacy \
            >= capstone.score(results[track], setting).legitimacy


@settings(max_examples=60, deadline=None)
@given(SETTINGS, st.sampled_from(NON_LEAD_ALLIES))
def test_more_reluctance_never_makes_nato_faster_or_stronger(setting, ally):
    before = capstone.run_nato(CRISIS, setting)
    harder = {"support": "conditional", "conditional": "block", "block": "block"}
    stance = setting.stances.get(ally, CRISIS.member(ally).stance)
    after = capstone.run_nato(CRISIS, dataclasses.replace(setting, stances={**setting.stances, ally: harder[stance]}))
    if not after.launched:
        return
    assert after.days >= before.days
    assert after.usable_fill <= before.usable_fill + 1e-12


# --- bad input ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, message", [
    ({"stances": {"galmoria": "veto"}}, "stance 'veto' is not one of support, conditional, block"),
    ({"terms": "equal"}, "terms 'equal' is not one of partners, lead"),
    ({"private_share": 1.5}, "private_share must be at least 0 and at most 1"),
    ({"un_mandate": "yes"}, "un_mandate is 'yes'; use True or False"),
])
def test_bad_settings_name_the_field(kwargs, message):
    with pytest.raises(capstone.CapstoneError, match=message):
        capstone.Setting(**kwargs)


@pytest.mark.parametrize("stances, message", [
    ({"hestria": "block"}, "'hestria' is a partner, not an Ally"),
    ({"aldoria": "block"}, "'aldoria' is the lead nation"),
    ({"narnia": "support"}, "no nation 'narnia'"),
])
def test_bad_stances_are_refused_by_both_tracks(stances, message):
    setting = capstone.Setting(stances=stances)
    for run in (capstone.run_nato, capstone.run_coalition):
        with pytest.raises(capstone.CapstoneError, match=message):
            run(CRISIS, setting)


@pytest.mark.parametrize("weights, message", [
    ({"sped": 1}, "unknown criterion"), ({"speed": -1}, "speed is -1"), ({"speed": 0}, "at least one criterion"),
])
def test_bad_weights_are_refused(weights, message):
    with pytest.raises(capstone.CapstoneError, match=message):
        capstone.weighted_total(capstone.Scores(1, 1, 1, 1), weights)


@pytest.mark.parametrize("value, message", [(-1, "speed_score: days is -1"), (2.5, "speed_score: days is 2.5")])
def test_bad_days(value, message):
    with pytest.raises(capstone.CapstoneError, match=message):
        capstone.speed_score(value)


def test_bad_crises_are_refused():
    with pytest.raises(capstone.CapstoneError, match="one member card per nation"):
        dataclasses.replace(CRISIS, members=CRISIS.members[:-1])
    with pytest.raises(capstone.CapstoneError, match="unknown condition 'no_rain'"):
        dataclasses.replace(CRISIS, members=(*CRISIS.members[:-1], capstone.Member("hestria", 1.0, "support",
                                                                                   "no_rain")))
    with pytest.raises(capstone.CapstoneError, match="names no condition"):
        capstone.Member("x", 1.0, "conditional")
    with pytest.raises(capstone.CapstoneError, match="gdp is 0"):
        capstone.Member("x", 0)
    with pytest.raises(capstone.CapstoneError, match="Timing: council is -1"):
        capstone.Timing(council=-1)
    with pytest.raises(capstone.CapstoneError, match="Thresholds: coalition is 2"):
        capstone.Thresholds(coalition=2)
    with pytest.raises(KeyError, match="no capstone crisis 'atlantis'; choose one of: varnia"):
        capstone.crisis("atlantis")


# --- tables and charts ------------------------------------------------------------------------------------------

def test_tables():
    rules = capstone.rules_table()
    assert set(rules["criterion"]) == set(capstone.CRITERIA) and rules["why"].str.len().min() > 20
    assumptions = capstone.assumptions_table()
    assert len(assumptions) == len(dataclasses.fields(capstone.Timing)) + len(dataclasses.fields(capstone.Thresholds))
    cards = capstone.cards_table()
    assert cards.loc["galmoria", "stance"] == "conditional" and cards.loc["hestria", "stance"] == "(partner)"
    assert cards.loc["aldoria", "gdp"] == 2000
    results = capstone.run_both()
    timeline = capstone.timeline_table(results)
    for track, result in results.items():
        assert timeline.loc[timeline["track"] == track, "end"].max() == result.days
        assert timeline.loc[timeline["track"] == track, "start"].min() == 0


def test_charts_draw_one_bar_per_criterion_and_step():
    results = capstone.run_both()
    ax = capstone.plot_scores(capstone.compare(results))
    assert len(ax.patches) == 2 * len(capstone.CRITERIA)
    assert "weighted total 2.50" in ax.get_legend().get_texts()[0].get_text()
    plt.close("all")
    ax = capstone.plot_timeline(results)
    assert len(ax.patches) == sum(len(r.steps) for r in results.values())
    assert ax.get_xlabel() == "Days after the request"
    plt.close("all")


# --- the dashboard -----------------------------------------------------------------------------------------------

def test_widget_reruns_on_every_change_and_resets():
    view = capstone.widget()
    assert view.table.loc["nato", "days"] == 52 and "<svg" in view.image.svg
    view.stances["galmoria"].value = "block"
    assert not view.results["nato"].launched
    assert "Galmoria blocked" in view.summary.value
    view.stances["galmoria"].value = "support"
    view.terms.value = "lead"
    assert view.table.loc["coalition", "states"] == 3
    view.un_mandate.value = True
    assert view.table.loc["coalition", "legitimacy"] == 2
    view.weights["speed"].value = 5
    assert view.table.loc["coalition", "total"] > view.table.loc["nato", "total"]
    for slider in view.weights.values():
        slider.value = 0
    assert "at least one criterion" in view.summary.value
    view.reset_button.click()
    assert view.setting() == capstone.Setting(stances={a: CRISIS.member(a).stance for a in NON_LEAD_ALLIES})
    assert view.weight_values() == {c: 1 for c in capstone.CRITERIA}
    assert "<table>" in view.table_html.value and "2.50" in view.table_html.value


# --- issue #17: fair to both tracks -----------------------------------------------------------------------------

def test_the_decision_counts_once_by_default_and_twice_only_on_request():
    results = capstone.run_both()
    once = capstone.compare(results)
    assert capstone.ScoringRules() == capstone.ScoringRules(count_decision_twice=False)
    twice = capstone.compare(results, rules=capstone.ScoringRules(count_decision_twice=True))
    assert once.loc["nato", "legitimacy"] == twice.loc["nato", "legitimacy"] - 1
    assert once.loc["coalition", "legitimacy"] == twice.loc["coalition", "legitimacy"]
    assert (once["cohesion"] == twice["cohesion"]).all()  # the decision still counts for cohesion
    assert once.loc["nato", "total"] == pytest.approx(2.5) and twice.loc["nato", "total"] == pytest.approx(2.75)
    default_rows = " ".join(capstone.rules_table()["rule"])
    assert "counts for cohesion only" in default_rows
    twice_rows = " ".join(capstone.rules_table(capstone.ScoringRules(count_decision_twice=True))["rule"])
    assert "counts for legitimacy and for cohesion" in twice_rows
    assert "counted twice" in " ".join(capstone.rules_table()["why"])


def test_parliament_and_breadth_are_rules_the_learner_can_change():
    results = capstone.run_both()
    base = capstone.compare(results)
    voted = capstone.compare(results, rules=capstone.ScoringRules(parliament={"coalition": True}))
    assert voted.loc["coalition", "legitimacy"] == base.loc["coalition", "legitimacy"] + 1
    assert voted.loc["nato", "legitimacy"] == base.loc["nato", "legitimacy"]
    both = capstone.compare(results, rules=capstone.ScoringRules(parliament=True))
    assert both.loc["nato", "legitimacy"] == min(4, base.loc["nato", "legitimacy"] + 1)
    # the coalition has 5 states: a breadth threshold of 5 gives it the point, 6 does not
    assert base.loc["coalition", "states"] == 5
    five = capstone.compare(results, rules=capstone.ScoringRules(breadth_threshold=5))
    assert five.loc["coalition", "legitimacy"] == base.loc["coalition", "legitimacy"] + 1
    words = " ".join(capstone.rules_table(capstone.ScoringRules(breadth_threshold=5, parliament={"nato": True}))
                     ["rule"])
    assert "at least 5 states" in words and "Through NATO" in words
    with pytest.raises(capstone.CapstoneError, match="parliament"):
        capstone.ScoringRules(parliament={"un": True})
    with pytest.raises(capstone.CapstoneError, match="breadth_threshold"):
        capstone.ScoringRules(breadth_threshold=-1)


def test_every_band_is_adjustable_and_scores_follow_it():
    results = capstone.run_both()
    fast = capstone.ScoringRules(speed_bands=((60, 4),))
    table = capstone.compare(results, rules=fast)
    assert table.loc["nato", "speed"] == 4 and table.loc["coalition", "speed"] == 4
    assert "within 60 days" in capstone.rules_table(fast).loc[0, "rule"]
    with pytest.raises(capstone.CapstoneError, match="speed_bands"):
        capstone.ScoringRules(speed_bands="fast")


def test_the_coalition_can_reach_every_score_nato_can_when_the_evidence_supports_it():
    rules = capstone.ScoringRules(parliament=True)
    best = {c: 0 for c in capstone.CRITERIA}
    best_nato = dict(best)
    for kind in capstone.COALITION_KINDS:
        for threshold in (None, 0.6, 0.3):
            for share in (0.0, 0.5, 0.9):
                setting = capstone.Setting(un_mandate=True, coalition_kind=kind, coalition_threshold=threshold,
                                           private_share=share)
                table = capstone.compare(capstone.run_both(setting=setting), setting, rules=rules)
                for c in capstone.CRITERIA:
                    best[c] = max(best[c], int(table.loc["coalition", c]))
                    best_nato[c] = max(best_nato[c], int(table.loc["nato", c]))
    assert all(best[c] >= best_nato[c] for c in capstone.CRITERIA), (best, best_nato)
    assert best["legitimacy"] == 4 and best["cohesion"] == 4


def test_the_coalition_threshold_is_an_assumption_the_learner_sets():
    assert capstone.run_coalition().states == 5
    wider = capstone.run_coalition(setting=capstone.Setting(coalition_threshold=0.6))
    assert wider.states == 6 and "dravonia" in wider.participants
    with pytest.raises(capstone.CapstoneError, match="coalition_threshold"):
        capstone.Setting(coalition_threshold=1.5)


def test_a_co_led_coalition_decides_slower_and_shares_the_leads_costs():
    single = capstone.run_coalition()
    co_led = capstone.run_coalition(setting=capstone.Setting(coalition_kind="co-led"))
    timing = CRISIS.timing
    assert co_led.days == single.days + timing.co_lead_decision
    assert "co-lead" in co_led.steps[0].label and "Borvia" in co_led.steps[0].label
    # at private share 0 Aldoria alone pays in the equilibrium; co-led, the two leads split that by GDP
    assert single.cost_shares["aldoria"] == pytest.approx(1.0)
    gdp = {n: CRISIS.member(n).gdp for n in ("aldoria", "borvia")}
    assert co_led.cost_shares["aldoria"] == pytest.approx(gdp["aldoria"] / sum(gdp.values()))
    assert sum(co_led.cost_shares.values()) == pytest.approx(1.0)
    # co-led means the partners' terms: the lead nation's terms do not apply
    lead_terms = capstone.run_coalition(setting=capstone.Setting(coalition_kind="co-led", terms="lead"))
    assert lead_terms.participants == co_led.participants
    # a co-lead who is not keen still leads
    istra = capstone.run_coalition(setting=capstone.Setting(coalition_kind="co-led", co_lead="istra"))
    assert "istra" in istra.participants
    with pytest.raises(capstone.CapstoneError, match="co_lead"):
        capstone.run_coalition(setting=capstone.Setting(coalition_kind="co-led", co_lead="hestria"))
    with pytest.raises(capstone.CapstoneError, match="coalition_kind"):
        capstone.Setting(coalition_kind="duo")


def test_widget_shows_and_changes_the_rules():
    view = capstone.widget()
    assert not view.count_twice.value and view.table.loc["nato", "legitimacy"] == 2
    view.count_twice.value = True
    assert view.table.loc["nato", "legitimacy"] == 3
    view.parliament["coalition"].value = True
    view.breadth.value = 5
    assert view.table.loc["coalition", "legitimacy"] == 3
    view.coalition_kind.value = "co-led"
    assert view.results["coalition"].days == 27 + CRISIS.timing.co_lead_decision
    view.coalition_threshold.value = 0.6
    assert view.setting().coalition_threshold == pytest.approx(0.6)
    view.binding.value = True
    assert view.table.loc["nato", "capability"] == capstone.capability_score(view.results["nato"].binding_fill)
    view.reset_button.click()
    assert view.rules() == capstone.ScoringRules() and view.setting().coalition_kind == "lead"
    started = capstone.widget(rules=capstone.ScoringRules(count_decision_twice=True))
    assert started.count_twice.value and started.table.loc["nato", "legitimacy"] == 3


def test_capability_can_be_scored_by_the_weakest_line():
    results = capstone.run_both()
    nato = results["nato"]
    weakest = min(r.usable_fill for p in nato.force.phases for r in p.lines)
    assert nato.binding_fill == pytest.approx(weakest) and nato.binding_fill < nato.usable_fill
    mean = capstone.compare(results)
    binding = capstone.compare(results, rules=capstone.ScoringRules(capability_measure="binding"))
    for track in capstone.TRACKS:
        assert binding.loc[track, "capability"] == capstone.capability_score(results[track].binding_fill)
        assert binding.loc[track, "capability"] <= mean.loc[track, "capability"]
    assert "weakest requirement line" in " ".join(
        capstone.rules_table(capstone.ScoringRules(capability_measure="binding"))["rule"])
    assert any(line.startswith("Weakest line: helicopters") for line in capstone.describe(nato))
    with pytest.raises(capstone.CapstoneError, match="capability_measure"):
        capstone.ScoringRules(capability_measure="median")


def test_unknown_crisis_suggests_the_closest_name():
    import pytest

    from alliance_course.sims import capstone as cs

    with pytest.raises(KeyError, match=r"no capstone crisis 'varnai' \(did you mean 'varnia'\?\)"):
        cs.crisis("varnai")
