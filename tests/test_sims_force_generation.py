"""Force generation: the counting model, caveats, gap filling, seeded draws, classroom CSVs and the widget."""

from __future__ import annotations

import dataclasses

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import pandas as pd  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from alliance_course.sims import force_generation as fg  # noqa: E402

STAB = fg.scenario("stabilisation")


# --- a tiny scenario whose results are worked out by hand ------------------------------------------------------

def tiny() -> fg.Scenario:
    """Two lines (a, b), two phases, a lead L and a contributor X. Phase p2 demands 'combat' of line a."""
    return fg.Scenario(
        "tiny", "Tiny", "Hand-checked example",
        lines=(fg.RequirementLine("a", "Line A", "unit"), fg.RequirementLine("b", "Line B", "unit")),
        phases=(fg.Phase("p1", "Phase 1", {"a": 2, "b": 1}),
                fg.Phase("p2", "Phase 2", {"a": 2, "b": 2}, {"a": {"combat"}})),
        caveats=(fg.Caveat("nc", "No combat", "task", frozenset({"combat"})),),
        nations=(fg.Nation("lead", "L", {"a": 2, "b": 2}), fg.Nation("x", "X", {"a": 2, "b": 1}, {"nc"})),
        lead="lead")


TINY_OFFERS = (fg.Offer("lead", {"a": 1}), fg.Offer("x", {"a": 2, "b": 1}, {"nc"}))


def test_tiny_phase_rates_by_hand():
    outcome = fg.evaluate(tiny(), TINY_OFFERS)
    p1, p2 = outcome.phase("p1"), outcome.phase("p2")
    # p1: a 3 offered of 2 (capped), all usable; b 1 of 1.
    assert (p1.fill_rate, p1.usable_fill_rate) == (1.0, 1.0)
    # p2: a 3 offered but only the lead's 1 usable (X refuses combat); b 1 of 2.
    assert p2.fill_rate == pytest.approx((1.0 + 0.5) / 2)
    assert p2.usable_fill_rate == pytest.approx((0.5 + 0.5) / 2)
    row = next(r for r in p2.lines if r.line == "a")
    assert (row.required, row.offered, row.usable, row.lead_usable, row.gap) == (2, 3, 1, 1, 1)


def test_tiny_binding_shortfall_breaks_ties_by_gap_then_order():
    binding = fg.evaluate(tiny(), TINY_OFFERS).binding
    # a and b both stand at 1 of 2 usable in p2 (same rate, same gap): the earlier line wins.
    assert (binding.phase, binding.line, binding.required, binding.usable, binding.gap) == ("p2", "a", 2, 1, 1)
    assert binding.usable_fill == 0.5


def test_tiny_lead_burden_by_hand():
    outcome = fg.evaluate(tiny(), TINY_OFFERS)
    # p1: line a lead 1 of 3 usable, line b 0 of 1 -> (1/3 + 0) / 2; p2: a 1 of 1, b 0 of 1 -> (1 + 0) / 2.
    assert outcome.phase("p1").lead_share == pytest.approx(1 / 6)
    assert outcome.phase("p2").lead_share == pytest.approx(0.5)
    assert outcome.lead_burden == pytest.approx((1 / 6 + 0.5) / 2)


def test_tiny_fill_gaps_by_hand():
    scn = tiny()
    filled = fg.fill_gaps(scn, TINY_OFFERS)
    lead = next(o for o in filled if o.nation == "lead")
    # a: p2 has 0 usable from X, so the lead needs 2; b: p2 has 1 from X, so the lead needs 1.
    assert dict(lead.units) == {"a": 2, "b": 1}
    assert next(o for o in filled if o.nation == "x") == TINY_OFFERS[1]
    assert fg.evaluate(scn, filled).binding is None


def test_fill_gaps_respects_capacity_and_the_fillers_own_caveats():
    scn = tiny()
    # Only X offers; the lead fills with a 'no combat' caveat, so it cannot help with a in p2.
    filled = fg.fill_gaps(scn, [fg.Offer("x", {"b": 1})], caveats={"nc"})
    lead = next(o for o in filled if o.nation == "lead")
    assert dict(lead.units) == {"a": 2, "b": 1} and lead.caveats == {"nc"}
    outcome = fg.evaluate(scn, filled)
    assert outcome.binding.phase == "p2" and outcome.binding.line == "a" and outcome.binding.usable == 0
    # A bigger requirement than the lead's capacity leaves a gap.
    big = dataclasses.replace(scn, phases=(fg.Phase("p1", "Phase 1", {"a": 9}),))
    assert dict(next(o for o in fg.fill_gaps(big, []) if o.nation == "lead").units) == {"a": 2}


def test_outcome_tables_and_description():
    outcome = fg.evaluate(tiny(), TINY_OFFERS)
    table = outcome.table()
    assert list(table.columns) == ["phase", "line", "required", "offered", "usable", "lead_usable", "fill",
                                   "usable_fill", "gap"]
    assert len(table) == 4 and table["gap"].sum() == 2
    summary = outcome.summary()
    assert list(summary["phase"]) == ["p1", "p2"]
    text = outcome.describe()
    assert "Binding shortfall: Line A in 'Phase 2' (1 of 2 usable, 1 unit(s) missing)" in text
    assert "Lead nation (L) provides 33%" in text


def test_no_offers_means_nothing_filled_and_no_lead_share():
    outcome = fg.evaluate(tiny(), [])
    assert outcome.fill_rate == 0 and outcome.usable_fill_rate == 0 and outcome.lead_burden == 0
    assert outcome.binding.usable == 0


# --- the shipped scenarios ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", fg.scenario_names())
def test_shipped_scenarios_are_illustrative_and_consistent(name):
    scn = fg.scenario(name)
    assert scn.illustrative and "illustrative" in scn.title.lower()
    assert scn.lead in {n.id for n in scn.nations}
    used = {line for phase in scn.phases for line, n in phase.required.items() if n}
    assert used == {line.id for line in scn.lines}, "every requirement line is needed in some phase"
    kinds = {c.kind for c in scn.caveats}
    assert kinds == set(fg.CAVEAT_KINDS), "each scenario shows all four kinds of caveat"
    for caveat in scn.caveats:
        demanded = {c for phase in scn.phases for demands in phase.demands.values() for c in demands}
        assert caveat.restricts & demanded, f"caveat {caveat.id} never bites in any phase"


def test_stabilisation_cards_show_paper_versus_usable():
    """The lesson's story: the nation cards fill everything on paper; caveats leave helicopters short in the south."""
    outcome = fg.evaluate(STAB, fg.default_offers(STAB))
    assert all(p.fill_rate == 1.0 for p in outcome.phases)
    assert outcome.phase("south").usable_fill_rate < 1.0
    assert (outcome.binding.phase, outcome.binding.line) == ("south", "helicopters")
    # Helicopters in the south: night, south, short notice and beyond six months rule out Borvia and Dravonia.
    assert outcome.binding.usable == STAB.nation("aldoria").capacity["helicopters"]


def test_only_the_lead_nation_can_provide_the_hq():
    holders = [n.id for n in STAB.nations if n.capacity.get("hq_signals")]
    assert holders == [STAB.lead]


def test_unknown_scenario_lists_the_names():
    with pytest.raises(KeyError, match="stabilisation, maritime"):
        fg.scenario("nope")


# --- caveats -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("caveat", STAB.caveats, ids=lambda c: c.id)
def test_each_caveat_rules_out_exactly_the_phases_that_demand_its_condition(caveat):
    for phase in STAB.phases:
        for line in STAB.lines:
            demands = phase.demands.get(line.id, frozenset())
            assert fg.is_usable(STAB, [], phase, line.id)
            assert fg.is_usable(STAB, [caveat.id], phase.id, line.id) == (not demands & caveat.restricts)


def test_is_usable_rejects_an_unknown_caveat():
    with pytest.raises(KeyError, match="no caveat 'typo'"):
        fg.is_usable(STAB, ["typo"], "south", "manoeuvre")


# --- properties --------------------------------------------------------------------------------------------------

@st.composite
def offers_for(draw, scn: fg.Scenario = STAB):
    offers = []
    for nation in scn.nations:
        if not draw(st.booleans()):
            continue
        units = {line: draw(st.integers(0, cap)) for line, cap in nation.capacity.items()}
        caveats = draw(st.sets(st.sampled_from([c.id for c in scn.caveats])))
        offers.append(fg.Offer(nation.id, units, frozenset(caveats)))
    return tuple(offers)


@settings(max_examples=60, deadline=None)
@given(offers_for())
def test_rates_are_shares_and_usable_never_exceeds_paper(offers):
    outcome = fg.evaluate(STAB, offers)
    for phase in outcome.phases:
        assert 0.0 <= phase.usable_fill_rate <= phase.fill_rate <= 1.0
        assert 0.0 <= phase.lead_share <= 1.0
        for row in phase.lines:
            assert 0 <= row.lead_usable <= row.usable <= row.offered
    assert 0.0 <= outcome.lead_burden <= 1.0
    if outcome.binding is not None:
        worst = min(r.usable_fill for p in outcome.phases for r in p.lines)
        assert outcome.binding.usable_fill == pytest.approx(worst)


@settings(max_examples=60, deadline=None)
@given(offers_for())
def test_dropping_caveats_never_lowers_usable_fill(offers):
    before = fg.evaluate(STAB, offers)
    after = fg.evaluate(STAB, [dataclasses.replace(o, caveats=frozenset()) for o in offers])
    for p_before, p_after in zip(before.phases, after.phases):
        assert p_after.usable_fill_rate >= p_before.usable_fill_rate
        assert p_after.usable_fill_rate == p_after.fill_rate  # without caveats, paper = usable
        assert p_after.fill_rate == p_before.fill_rate


@settings(max_examples=60, deadline=None)
@given(offers_for())
def test_fill_gaps_only_adds_within_capacity_never_hurts_and_is_idempotent(offers):
    filled = fg.fill_gaps(STAB, offers)
    lead_card = STAB.lead_nation
    before = next((o for o in offers if o.nation == STAB.lead), None)
    after = next(o for o in filled if o.nation == STAB.lead)
    for line in STAB.lines:
        old = before.units.get(line.id, 0) if before else 0
        assert old <= after.units.get(line.id, 0) <= lead_card.capacity.get(line.id, 0)
    assert [o for o in filled if o.nation != STAB.lead] == [o for o in offers if o.nation != STAB.lead]
    old_outcome, new_outcome = fg.evaluate(STAB, offers), fg.evaluate(STAB, filled)
    for p_old, p_new in zip(old_outcome.phases, new_outcome.phases):
        assert p_new.usable_fill_rate >= p_old.usable_fill_rate
    assert fg.fill_gaps(STAB, filled) == filled


@settings(max_examples=40, deadline=None)
@given(offers_for(), st.sampled_from([n.id for n in STAB.nations]), st.sampled_from([line.id for line in STAB.lines]))
def test_one_more_unit_never_lowers_the_fill_on_paper(offers, nation_id, line_id):
    capacity = STAB.nation(nation_id).capacity.get(line_id, 0)
    current = next((o for o in offers if o.nation == nation_id), fg.Offer(nation_id, {}))
    if current.units.get(line_id, 0) >= capacity:
        return
    more = dataclasses.replace(current, units={**current.units, line_id: current.units.get(line_id, 0) + 1})
    bigger = [more if o.nation == nation_id else o for o in offers] + ([] if current in offers else [more])
    for p_old, p_new in zip(fg.evaluate(STAB, offers).phases, fg.evaluate(STAB, bigger).phases):
        assert p_new.fill_rate >= p_old.fill_rate and p_new.usable_fill_rate >= p_old.usable_fill_rate


# --- seeded draws ------------------------------------------------------------------------------------------------

def test_draws_are_reproducible_and_within_capacity():
    assert fg.draw_offers(STAB, 11) == fg.draw_offers(STAB, 11)
    assert fg.draw_offers(STAB) == fg.draw_offers(STAB, STAB.seed)
    assert len({fg.draw_offers(STAB, seed) for seed in range(8)}) > 1
    for seed in range(20):
        for offer in fg.draw_offers(STAB, seed, include_lead=True):
            card = STAB.nation(offer.nation)
            assert offer.caveats == card.default_caveats
            assert all(0 < n <= card.capacity[line] for line, n in offer.units.items())


def test_draws_leave_the_lead_out_unless_asked_and_do_not_shift_the_others():
    without = fg.draw_offers(STAB, 3)
    with_lead = fg.draw_offers(STAB, 3, include_lead=True)
    assert STAB.lead not in {o.nation for o in without}
    assert STAB.lead in {o.nation for o in with_lead}
    assert [o for o in with_lead if o.nation != STAB.lead] == list(without)


def test_willingness_zero_and_one():
    nations = tuple(dataclasses.replace(n, willingness=1.0 if n.id == "celtra" else 0.0) for n in STAB.nations)
    scn = dataclasses.replace(STAB, nations=nations)
    drawn = fg.draw_offers(scn, 1)
    assert [o.nation for o in drawn] == ["celtra"]
    assert dict(drawn[0].units) == dict(STAB.nation("celtra").capacity)


# --- validation --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("offer, message", [
    (fg.Offer("atlantis", {"manoeuvre": 1}), "offer from 'atlantis': no such nation"),
    (fg.Offer("borvia", {"tanks": 1}), "offer from 'borvia': unknown requirement line 'tanks'"),
    (fg.Offer("borvia", {"helicopters": 4}), "4 helicopter(s) for helicopters, but its nation card allows at most 3"),
    (fg.Offer("celtra", {"helicopters": 1}), "allows at most 0"),
    (fg.Offer("borvia", {"manoeuvre": -1}), "manoeuvre is -1; use a whole number"),
    (fg.Offer("borvia", {"manoeuvre": True}), "manoeuvre is True"),
    (fg.Offer("borvia", {"manoeuvre": 1}, {"no_swimming"}), "unknown caveat(s) ['no_swimming']"),
])
def test_bad_offers_name_nation_and_line(offer, message):
    with pytest.raises(fg.OfferError) as caught:
        fg.evaluate(STAB, [offer])
    assert message in str(caught.value)


def test_two_offers_from_one_nation_are_refused():
    with pytest.raises(fg.OfferError, match="'borvia' made two offers"):
        fg.evaluate(STAB, [fg.Offer("borvia", {}), fg.Offer("borvia", {"isr": 1})])


def test_offers_must_be_offer_objects():
    with pytest.raises(fg.OfferError, match="expected Offer objects, got dict"):
        fg.evaluate(STAB, [{"nation": "borvia"}])


@pytest.mark.parametrize("change, message", [
    (lambda s: dataclasses.replace(s, lead="atlantis"), "lead nation 'atlantis' is not one of its nations"),
    (lambda s: dataclasses.replace(s, phases=(fg.Phase("p", "P", {"tanks": 1}),)), "unknown requirement line 'tanks'"),
    (lambda s: dataclasses.replace(s, nations=(*s.nations, fg.Nation("zed", "Zed", {}, {"nope"}))),
     "nation 'zed': unknown caveat(s) ['nope']"),
    (lambda s: dataclasses.replace(s, lines=(*s.lines, s.lines[0])), "line id(s) ['manoeuvre'] used more than once"),
    (lambda s: dataclasses.replace(s, phases=()), "needs at least one requirement line, one phase and one nation"),
])
def test_inconsistent_scenarios_are_refused(change, message):
    with pytest.raises(fg.ScenarioError) as caught:
        change(STAB)
    assert message in str(caught.value)


@pytest.mark.parametrize("build, message", [
    (lambda: fg.Caveat("x", "X", "mood", frozenset({"a"})), "kind 'mood' is not one of geographic"),
    (lambda: fg.Caveat("x", "X", "task", frozenset()), "restricts nothing"),
    (lambda: fg.Caveat("Bad Id", "X", "task", frozenset({"a"})), "should be lower-case letters"),
    (lambda: fg.Phase("p", "P", {"a": 1.5}), "'a' requires 1.5"),
    (lambda: fg.Nation("n", "N", {"a": -2}), "capacity for 'a' is -2"),
    (lambda: fg.Nation("n", "N", {}, willingness=1.5), "willingness 1.5 must lie between 0 and 1"),
])
def test_bad_parts_are_refused(build, message):
    with pytest.raises(fg.ScenarioError, match=message.replace("(", r"\(").replace(")", r"\)")):
        build()


def test_with_nations_keeps_the_lead_and_drops_the_rest():
    coalition = STAB.with_nations(["aldoria", "celtra"])
    assert [n.id for n in coalition.nations] == ["aldoria", "celtra"]
    with pytest.raises(fg.ScenarioError, match="lead nation 'aldoria' must stay"):
        STAB.with_nations(["celtra"])
    with pytest.raises(KeyError, match="no nation 'atlantis'"):
        STAB.with_nations(["aldoria", "atlantis"])
    with pytest.raises(fg.OfferError, match="no such nation"):
        fg.evaluate(coalition, [fg.Offer("borvia", {"isr": 1})])


def test_compare_puts_outcomes_side_by_side():
    nato = fg.evaluate(STAB, fg.default_offers(STAB))
    coalition_scn = STAB.with_nations(["aldoria", "celtra"])
    coalition = fg.evaluate(coalition_scn, fg.default_offers(coalition_scn))
    table = fg.compare({"through NATO": nato, "coalition": coalition})
    assert list(table.index) == ["through NATO", "coalition"]
    assert table.loc["through NATO", "nations"] == 6 and table.loc["coalition", "nations"] == 2
    assert table.loc["coalition", "lead_burden"] == pytest.approx(coalition.lead_burden)
    assert table.loc["coalition", "lead_burden"] > table.loc["through NATO", "lead_burden"]


def test_tables_of_cards_requirements_and_caveats():
    cards = fg.nation_cards(STAB)
    assert cards.loc["borvia", "default_caveats"] == "no_combat; no_south"
    assert cards.loc["aldoria", "lead"] and not cards.loc["faronia", "ally"]
    requirements = fg.requirements_table(STAB)
    assert list(requirements.columns) == ["label", "entry", "south", "transition"]
    assert requirements.loc["helicopters", "south"] == 8
    assert set(fg.caveat_table(STAB)["kind"]) == set(fg.CAVEAT_KINDS)


# --- classroom CSV -----------------------------------------------------------------------------------------------

def test_csv_round_trip(tmp_path):
    offers = fg.draw_offers(STAB, 4, include_lead=True)
    path = fg.write_offers_csv(tmp_path / "offers.csv", STAB, offers)
    back = {o.nation: o for o in fg.read_offers_csv(path, STAB)}
    assert list(back) == [o.nation for o in offers]
    for offer in offers:
        assert dict(back[offer.nation].units) == dict(offer.units)
        assert back[offer.nation].caveats == offer.caveats


def test_template_has_every_nation_with_zero_units_and_default_caveats(tmp_path):
    path = fg.write_offers_csv(tmp_path / "template.csv", STAB)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "nation,manoeuvre,helicopters,medical,isr,hq_signals,route_clearance,caveats,team"
    assert len(lines) == 1 + len(STAB.nations)
    offers = fg.read_offers_csv(path, STAB)
    assert all(o.total() == 0 for o in offers)
    assert {o.nation: o.caveats for o in offers}["dravonia"] == {"no_night", "six_months"}


def test_csv_accepts_names_labels_blanks_bom_and_spaces(tmp_path):
    path = tmp_path / "offers.csv"
    path.write_text("\ufeffNation, Manoeuvre ,helicopters,caveats,Team,Note\n"
                    "Borvia,2,,No combat operations | no_south,B,first try\n"
                    "\n"
                    "CELTRA,1.0,0,,C,\n", encoding="utf-8")
    offers = {o.nation: o for o in fg.read_offers_csv(path, STAB)}
    assert dict(offers["borvia"].units) == {"manoeuvre": 2} and offers["borvia"].caveats == {"no_combat", "no_south"}
    assert dict(offers["celtra"].units) == {"manoeuvre": 1} and offers["celtra"].caveats == frozenset()


def test_csv_reports_every_problem_with_file_row_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("nation,manoeuvre,helicopters,caveats\n"
                    "borvia,two,9,no_swimming\n"
                    "atlantis,1,0,\n"
                    "celtra,1,0,,extra\n", encoding="utf-8")
    with pytest.raises(fg.OfferFileError) as caught:
        fg.read_offers_csv(path, STAB)
    problems = caught.value.problems
    assert "bad.csv, row 2 (nation 'borvia'), column 'manoeuvre': 'two' is not a whole number ≥ 0" in problems
    assert ("bad.csv, row 2 (nation 'borvia'), column 'helicopters': 9 offered but the nation card allows "
            "at most 3") in problems
    assert any(p.startswith("bad.csv, row 2 (nation 'borvia'), column 'caveats': unknown caveat 'no_swimming'")
               for p in problems)
    assert any(p.startswith("bad.csv, row 3: unknown nation 'atlantis'") for p in problems)
    assert any(p.startswith("bad.csv, row 4: 5 cells but only 4 columns") for p in problems)
    assert "Traceback" not in str(caught.value)


@pytest.mark.parametrize("content, message", [
    ("", "the file is empty"),
    ("country,manoeuvre\nborvia,1\n", "no 'nation' column in the header"),
    ("nation,tanks\nborvia,1\n", "unknown column 'tanks' (allowed: nation, manoeuvre"),
])
def test_csv_header_problems(tmp_path, content, message):
    path = tmp_path / "offers.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(fg.OfferFileError, match=message.replace("(", r"\(")):
        fg.read_offers_csv(path, STAB)


def test_csv_folder_combines_teams_and_refuses_a_nation_twice(tmp_path):
    (tmp_path / "team-a.csv").write_text("nation,isr\nborvia,1\n", encoding="utf-8")
    (tmp_path / "team-b.csv").write_text("nation,isr\nceltra,1\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not an offer", encoding="utf-8")
    assert [o.nation for o in fg.read_offers_csv(tmp_path, STAB)] == ["borvia", "celtra"]
    (tmp_path / "team-c.csv").write_text("nation,isr\nBorvia,0\n", encoding="utf-8")
    with pytest.raises(fg.OfferFileError) as caught:
        fg.read_offers_csv(tmp_path, STAB)
    assert caught.value.problems == [
        "team-c.csv, row 2 (nation 'borvia'): nation 'borvia' already has an offer "
        "(team-a.csv, row 2 (nation 'borvia'))"]


def test_csv_missing_paths_and_non_utf8(tmp_path):
    with pytest.raises(fg.OfferFileError, match="no such file or folder"):
        fg.read_offers_csv(tmp_path / "missing.csv", STAB)
    with pytest.raises(fg.OfferFileError, match="the folder has no .csv files"):
        fg.read_offers_csv(tmp_path, STAB)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("nation,note\nborvia,caf\xe9\n".encode("latin-1"))
    with pytest.raises(fg.OfferFileError, match="not UTF-8"):
        fg.read_offers_csv(latin, STAB)


def test_the_shipped_classroom_example_reads_cleanly():
    offers = fg.read_offers_csv(fg.example_offers_path(), STAB)
    assert [o.nation for o in offers] == [n.id for n in STAB.nations]
    outcome = fg.evaluate(STAB, offers)
    assert 0 < outcome.usable_fill_rate < outcome.fill_rate <= 1


# --- chart and widget --------------------------------------------------------------------------------------------

def test_plot_outcome_draws_two_labelled_bars_per_phase():
    fig, ax = plt.subplots()
    fg.plot_outcome(fg.evaluate(STAB, fg.default_offers(STAB)), ax)
    assert len(ax.patches) == 2 * len(STAB.phases)
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert any("illustrative" in text.get_text() for text in ax.texts)
    plt.close(fig)


def test_widget_starts_from_the_seeded_draw_and_recounts_on_change():
    view = fg.widget("stabilisation")
    assert view.offers() == fg.draw_offers(STAB)
    assert view.outcome == fg.evaluate(STAB, fg.draw_offers(STAB))
    assert "<svg" in view.image.svg and "Binding shortfall" in view.summary.value

    view.units["aldoria", "helicopters"].value = 4
    south = view.outcome.phase("south")
    heli = next(r for r in south.lines if r.line == "helicopters")
    assert heli.lead_usable == 4

    box = view.caveat_boxes["dravonia", "six_months"]
    assert box.value  # the card's default caveat starts ticked
    box.value = False
    assert "six_months" not in next(o for o in view.offers() if o.nation == "dravonia").caveats


def test_widget_buttons_fill_gaps_and_reset():
    view = fg.widget("stabilisation", seed=2)
    start = view.offers()
    view.fill_button.click()
    assert set(view.offers()) == set(fg.fill_gaps(STAB, start))
    assert view.outcome.usable_fill_rate >= fg.evaluate(STAB, start).usable_fill_rate
    view.reset_button.click()
    assert view.offers() == start


def test_widget_controls_are_bounded_by_the_cards():
    view = fg.widget("maritime", offers=[])
    for (nation, line), control in view.units.items():
        capacity = fg.scenario("maritime").nation(nation).capacity.get(line, 0)
        assert control.max == capacity and control.disabled == (capacity == 0)
    assert view.offers() == ()
    assert view.outcome.binding is not None


# --- issue #16: the binding line and the lead's cost share ------------------------------------------------------

def test_each_phase_reports_its_weakest_line_beside_the_mean():
    outcome = fg.evaluate(STAB, fg.default_offers(STAB))
    south = outcome.phase("south")
    assert south.usable_fill_rate == pytest.approx(11 / 12)  # the mean looks fine ...
    assert south.weakest_line.line == "helicopters" and south.binding_fill == 0.5  # ... the line that decides does not
    summary = outcome.summary().set_index("phase")
    assert summary.loc["south", "weakest_line"] == "helicopters"
    assert (summary.loc["south", "weakest_usable"], summary.loc["south", "weakest_required"]) == (4, 8)
    assert pd.isna(summary.loc["entry", "weakest_line"]) and summary.loc["entry", "binding_fill"] == 1.0
    assert "weakest line Helicopters: 4 of 8 usable" in outcome.describe()
    assert south.unit_usable_fill_rate == pytest.approx(
        sum(min(r.usable, r.required) for r in south.lines) / sum(r.required for r in south.lines))


def test_plot_outcome_marks_and_names_the_weakest_line():
    fig, ax = plt.subplots()
    fg.plot_outcome(fg.evaluate(STAB, fg.default_offers(STAB)), ax)
    texts = [t.get_text() for t in ax.texts]
    assert any("92% avg" in t and "4/8" in t for t in texts)
    marks = ax.collections[0].get_offsets()
    assert len(marks) == 1 and marks[0][1] == pytest.approx(50)
    assert "Weakest line (usable %)" in [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close(fig)


def test_three_measures_of_the_lead_nations_burden():
    outcome = fg.evaluate(STAB, fg.default_offers(STAB))
    offered = {o.nation: o.total() for o in outcome.offers}
    assert outcome.lead_unit_share(usable=False) == pytest.approx(offered["aldoria"] / sum(offered.values()))
    table = outcome.table()
    assert outcome.lead_unit_share() == pytest.approx(table["lead_usable"].sum() / table["usable"].sum())
    assert round(outcome.lead_burden, 2) == 0.49 and round(outcome.lead_unit_share(), 2) == 0.42
    # with every unit costing 1, the cost share is the share of units offered (usable or not)
    assert outcome.cost_share() == pytest.approx(outcome.lead_unit_share(usable=False))
    # helicopters cost ten times as much: the nations that offer them pay more
    pricey = dataclasses.replace(STAB, lines=tuple(
        dataclasses.replace(line, unit_cost=10.0 if line.id == "helicopters" else 1.0) for line in STAB.lines))
    dear = fg.evaluate(pricey, fg.default_offers(pricey))
    heli = {o.nation: o.units.get("helicopters", 0) for o in dear.offers}
    costs = dear.costs().set_index("nation")
    assert costs.loc["aldoria", "cost"] == offered["aldoria"] - heli["aldoria"] + 10 * heli["aldoria"]
    assert dear.cost_share("aldoria") == pytest.approx(costs.loc["aldoria", "cost_share"])
    assert sum(dear.cost_share(n) for n in costs.index) == pytest.approx(1.0)
    with pytest.raises(fg.ScenarioError, match="unit_cost"):
        dataclasses.replace(STAB.lines[0], unit_cost=-1)
    frame = fg.compare({"all": outcome})
    assert frame.loc["all", "binding_fill"] == 0.5 and frame.loc["all", "lead_cost_share"] == pytest.approx(
        outcome.cost_share())


def test_bad_input_to_compare_and_evaluate_gets_a_message():
    with pytest.raises(fg.ForceGenerationError, match="at least one"):
        fg.compare({})
    with pytest.raises(fg.OfferError, match="list of Offer objects"):
        fg.evaluate(STAB, None)


def test_unknown_scenario_suggests_the_closest_name():
    import pytest

    from alliance_course.sims import force_generation as fg

    name = fg.scenario_names()[0]
    with pytest.raises(KeyError, match=rf"did you mean '{name}'\?\); choose one of: .*{name}"):
        fg.scenario(name[:-1])
