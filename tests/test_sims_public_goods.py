"""The burden-sharing model: best responses, the Nash equilibrium, free riders, statistics, course data, widget."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from alliance_course.sims import public_goods as pg  # noqa: E402
from alliance_course.sims import public_goods_view as view  # noqa: E402

GDPS = st.floats(min_value=0.5, max_value=20_000, allow_nan=False, allow_infinity=False)


@st.composite
def alliances(draw_, max_size: int = 8):
    gdps = draw_(st.lists(GDPS, min_size=1, max_size=max_size))
    frontline = draw_(st.lists(st.booleans(), min_size=len(gdps), max_size=len(gdps)))
    return [pg.Ally(f"A{i}", gdp, frontline=f) for i, (gdp, f) in enumerate(zip(gdps, frontline))]


PARAMS = st.builds(pg.Parameters,
                   threat=st.floats(min_value=0.005, max_value=2.0),
                   private_share=st.floats(min_value=0.0, max_value=1.0),
                   frontline_factor=st.floats(min_value=1.0, max_value=10.0))


# --- best responses, by hand -----------------------------------------------------------------------------------

def test_best_response_matches_the_first_order_condition():
    ally = pg.Ally("A", 100.0)
    params = pg.Parameters(threat=0.05, private_share=0.2)
    # (w·Y − (1−β)·R) / (1 + w) = (5 − 0.8·2) / 1.05
    assert pg.best_response(ally, 2.0, params) == pytest.approx(3.4 / 1.05)
    # others spending a lot: nothing left to buy
    assert pg.best_response(ally, 10.0, params) == 0.0
    assert pg.standalone(ally, params) == pytest.approx(5 / 1.05)


def test_frontline_factor_multiplies_the_weight_of_security():
    params = pg.Parameters(threat=0.02, frontline_factor=3.0)
    assert params.weight(pg.Ally("Exposed", 10.0, frontline=True)) == pytest.approx(0.06)
    assert params.weight(pg.Ally("Safe", 10.0)) == pytest.approx(0.02)


def test_two_equal_allies_share_a_pure_public_good_equally():
    # symmetric equilibrium: d = (wY − d)/(1 + w)  =>  d = wY/(2 + w)
    allies = [pg.Ally("A", 100.0), pg.Ally("B", 100.0)]
    outcome = pg.equilibrium(allies, pg.Parameters(threat=0.1))
    assert outcome.spending == pytest.approx((10 / 2.1, 10 / 2.1))
    assert outcome.free_riders == ()


def test_the_small_ally_free_rides_on_the_big_one():
    # Big alone spends wY/(1+w) = 5/1.05 ≈ 4.76; Small would add only if w·Y_small = 0.5 exceeded that
    outcome = pg.equilibrium([pg.Ally("Big", 100.0), pg.Ally("Small", 10.0)], pg.Parameters(threat=0.05))
    assert outcome.spending == pytest.approx((5 / 1.05, 0.0))
    assert outcome.free_riders == ("Small",)
    assert outcome.reliance_pct == pytest.approx((0.0, 100.0))
    assert outcome.burden_pct[0] == pytest.approx(100 * 0.05 / 1.05)
    assert outcome.security() == pytest.approx((5 / 1.05, 5 / 1.05))


def test_a_frontline_small_ally_spends_when_the_threat_to_it_is_high_enough():
    allies = [pg.Ally("Big", 100.0), pg.Ally("Small", 10.0, frontline=True)]
    calm = pg.equilibrium(allies, pg.Parameters(threat=0.05, private_share=0.5, frontline_factor=1.0))
    tense = pg.equilibrium(allies, pg.Parameters(threat=0.05, private_share=0.5, frontline_factor=8.0))
    assert calm.free_riders == ("Small",)
    assert tense.free_riders == ()
    assert tense.burden_pct[1] > tense.burden_pct[0]


def test_private_goods_make_every_ally_pay_the_same_share():
    allies = [pg.Ally("A", 1000.0), pg.Ally("B", 3.0), pg.Ally("C", 40.0)]
    outcome = pg.equilibrium(allies, pg.Parameters(threat=0.04, private_share=1.0))
    assert outcome.burden_pct == pytest.approx((100 * 0.04 / 1.04,) * 3)
    assert math.isnan(outcome.rank_correlation())
    assert pg.describe(outcome)[0] == "No free riders: all 3 allies spend something."
    assert "not defined" in pg.describe(outcome)[2]


# --- properties of the equilibrium --------------------------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(alliances(), PARAMS)
def test_equilibrium_is_a_nash_equilibrium(allies, params):
    outcome = pg.equilibrium(allies, params)
    total = outcome.total
    for ally, spent in zip(allies, outcome.spending):
        assert 0.0 <= spent < ally.gdp
        best = pg.best_response(ally, total - spent, params)
        assert spent == pytest.approx(best, rel=1e-9, abs=1e-9 * ally.gdp)
        assert spent <= pg.standalone(ally, params) * (1 + 1e-12)


ROUNDS_PARAMS = st.builds(pg.Parameters,
                          threat=st.floats(min_value=0.02, max_value=2.0),
                          private_share=st.floats(min_value=0.0, max_value=1.0),
                          frontline_factor=st.floats(min_value=1.0, max_value=10.0))


@settings(max_examples=60, deadline=None)
@given(alliances(max_size=6), ROUNDS_PARAMS)
def test_budget_rounds_reach_the_equilibrium(allies, params):
    """Slowest when security matters little and defence is purely public (each round then changes little)."""
    target = pg.equilibrium(allies, params).spending
    history = pg.adjust(allies, params, rounds=3000)
    assert len(history) == 3001
    scale = max(ally.gdp for ally in allies)
    assert history[-1] == pytest.approx(target, abs=1e-6 * scale)


@settings(max_examples=100, deadline=None)
@given(alliances(), st.floats(min_value=0.005, max_value=2.0))
def test_pure_public_good_exploitation_of_the_great_by_the_small(allies, threat):
    """No frontline differences and no private benefit: burden never falls as GDP rises (Olson–Zeckhauser)."""
    allies = [pg.Ally(a.name, a.gdp) for a in allies]
    outcome = pg.equilibrium(allies, pg.Parameters(threat=threat))
    ordered = sorted(zip((a.gdp for a in allies), outcome.burden_pct))
    burdens = [b for _, b in ordered]
    assert all(later >= earlier - 1e-9 for earlier, later in zip(burdens, burdens[1:]))
    richest = max(allies, key=lambda a: a.gdp)
    assert richest.name not in outcome.free_riders


def test_adjust_starts_where_told_and_checks_its_start():
    allies = [pg.Ally("A", 10.0), pg.Ally("B", 5.0)]
    history = pg.adjust(allies, pg.Parameters(), rounds=0, start=[1.0, 2.0])
    assert history == [(1.0, 2.0)]
    with pytest.raises(ValueError, match="2 allies"):
        pg.adjust(allies, pg.Parameters(), start=[1.0])
    with pytest.raises(ValueError, match="rounds"):
        pg.adjust(allies, pg.Parameters(), rounds=-1)


# --- bad input gets a clear message -------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, fragment", [
    ({"threat": 0}, "threat must be above 0"),
    ({"threat": float("nan")}, "threat must be a number"),
    ({"private_share": 1.5}, "private_share must be at least 0 and at most 1"),
    ({"frontline_factor": 0.5}, "frontline_factor must be at least 1"),
    ({"threat": True}, "threat must be a number"),
])
def test_bad_parameters_name_the_field(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        pg.Parameters(**kwargs)


def test_bad_allies_name_the_ally_and_field():
    with pytest.raises(ValueError, match="Ally 'Atlantis': gdp must be a positive number"):
        pg.Ally("Atlantis", -3.0)
    with pytest.raises(ValueError, match="name must be non-empty"):
        pg.Ally("  ", 3.0)
    with pytest.raises(ValueError, match="'A' is listed twice"):
        pg.equilibrium([pg.Ally("A", 1.0), pg.Ally("A", 2.0)], pg.Parameters())
    with pytest.raises(ValueError, match="at least one ally"):
        pg.equilibrium([], pg.Parameters())
    with pytest.raises(ValueError, match="others_total"):
        pg.best_response(pg.Ally("A", 1.0), -1.0, pg.Parameters())


# --- statistics ---------------------------------------------------------------------------------------------------

def test_spearman_by_the_textbook_formula():
    # no ties: rho = 1 − 6·Σd² / (n(n² − 1)) with d = (0, 1, −1, 0): 1 − 12/60 = 0.8
    assert pg.spearman([1, 2, 3, 4], [10, 30, 20, 40]) == pytest.approx(0.8)
    assert pg.spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert math.isnan(pg.spearman([1, 2, 3], [5, 5, 5]))
    with pytest.raises(ValueError, match="x has 2 values and y has 3"):
        pg.spearman([1, 2], [1, 2, 3])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=3, max_size=15))
def test_spearman_agrees_with_pandas_dataframe_corr(pairs):
    frame = pd.DataFrame(pairs, columns=["x", "y"], dtype=float)
    expected = frame.corr(method="spearman").loc["x", "y"]
    got = pg.spearman(frame["x"].tolist(), frame["y"].tolist())
    assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected)


def test_shuffle_test_is_reproducible_and_sensible():
    x = list(range(10))
    perfect = pg.shuffle_test(x, [2 * v for v in x], shuffles=500, seed=1)
    assert perfect.rho == pytest.approx(1.0)
    assert perfect.p_value < 0.01
    noise = [3, 9, 1, 7, 5, 0, 8, 2, 6, 4]
    first = pg.shuffle_test(x, noise, shuffles=500, seed=3)
    assert first == pg.shuffle_test(x, noise, shuffles=500, seed=3)
    assert first.p_value > 0.3  # rho is about 0.03 here: chance does this all the time
    assert math.isnan(pg.shuffle_test(x, [1] * 10).p_value)
    with pytest.raises(ValueError, match="shuffles"):
        pg.shuffle_test(x, noise, shuffles=0)


# --- the course data ------------------------------------------------------------------------------------------------

def test_nato_allies_come_from_the_course_tables():
    allies = pg.nato_allies()
    codes = [a.code for a in allies]
    assert len(allies) == 31 and "ISL" not in codes
    assert codes[0] == "USA"
    assert {a.code for a in allies if a.frontline} == {"NOR", "FIN", "EST", "LVA", "LTU", "POL"}
    assert [a.gdp for a in allies] == sorted((a.gdp for a in allies), reverse=True)
    custom = pg.nato_allies(frontline={"DEU"})
    assert [a.code for a in custom if a.frontline] == ["DEU"]
    with pytest.raises(ValueError, match="no figures for 1999; it has 2014"):
        pg.nato_allies(1999)


def test_with_pure_public_defence_only_the_united_states_pays():
    outcome = pg.equilibrium(pg.nato_allies(), pg.Parameters(threat=0.03))
    assert len(outcome.free_riders) == 30
    assert "United States" not in outcome.free_riders
    assert outcome.rank_correlation() > 0


# --- the widget ---------------------------------------------------------------------------------------------------

def test_widget_recomputes_when_the_sliders_move():
    sim = view.widget()
    assert sim.alliance.value.startswith("NATO, 31 Allies")
    assert "Free riders (spend nothing): 30 of 31" in sim.summary.value
    sim.private_share.value = 1.0
    assert "No free riders" in sim.summary.value
    assert sim.outcome.params.private_share == 1.0
    sim.frontline_factor.value = 4.0
    poland = sim.outcome.table().set_index("code").loc["POL", "burden_pct"]
    germany = sim.outcome.table().set_index("code").loc["DEU", "burden_pct"]
    assert poland > germany
    sim.alliance.value = "NATO without the US (30 Allies)"
    assert len(sim.outcome.allies) == 30
    assert "NATO's figures for 2024" in sim.compare.options
    sim.compare.value = "NATO's figures for 2024"
    assert "Rank correlation" in sim.summary.value
    plt.close("all")


def test_plot_outcome_draws_one_bar_per_ally_and_labels_free_riders():
    outcome = pg.equilibrium(list(view.ILLUSTRATIVE), pg.Parameters(threat=0.05))
    fig, ax = plt.subplots()
    view.plot_outcome(outcome, ax, observed={"Big": 2.0, "Nowhere": 9.0}, observed_label="data")
    assert len(ax.patches) == len(view.ILLUSTRATIVE)
    labels = [t.get_text() for t in ax.texts]
    assert labels.count("free rider") == len(outcome.free_riders) > 0
    assert ax.get_xlabel() == "Defence spending in equilibrium (% of GDP)"
    assert ax.get_title()
    plt.close(fig)


def test_observed_burdens_are_nato_figures():
    observed = view.observed_burdens()
    assert set(observed) == {"NATO's figures for 2014", "NATO's figures for 2024"}
    assert observed["NATO's figures for 2014"]["United States"] == pytest.approx(3.71)
    assert len(observed["NATO's figures for 2024"]) == 31


# --- issue #17: the model's artefacts are reported, not hidden ---------------------------------------------------

def test_ties_are_reported_next_to_rho():
    outcome = pg.equilibrium(pg.nato_allies(2014), pg.Parameters(threat=0.03, private_share=0.0))
    assert len(outcome.free_riders) == 30 and outcome.ties() == 30
    line = next(x for x in pg.describe(outcome) if x.startswith("Rank correlation"))
    assert f"ρ = {outcome.rank_correlation():+.2f}" in line
    assert "30 of 31 allies tie, 30 of them at 0 %: ρ mostly reflects the ties" in line
    flat = pg.equilibrium(pg.nato_allies(2014), pg.Parameters(threat=0.03, private_share=1.0))
    assert "not defined (every ally spends the same share)" in " ".join(pg.describe(flat))
    few = pg.equilibrium([pg.Ally("A", 100.0), pg.Ally("B", 50.0), pg.Ally("C", 1.0)],
                         pg.Parameters(threat=0.05, private_share=0.9))
    assert few.ties() == 0 and "tie" not in " ".join(pg.describe(few))


def test_describe_warns_when_a_frontline_ally_free_rides_on_another():
    strong = pg.equilibrium(pg.nato_allies(2014), pg.Parameters(threat=0.03, private_share=0.9, frontline_factor=10))
    stranded = strong.frontline_free_riders()
    assert {"Estonia", "Latvia", "Lithuania"} <= set(stranded)
    assert "side effect of the model" in " ".join(pg.describe(strong))
    mild = pg.equilibrium(pg.nato_allies(2014), pg.Parameters(threat=0.03, private_share=0.9))
    assert mild.frontline_free_riders() == () or "side effect" in " ".join(pg.describe(mild))
    assert "side effect" not in " ".join(pg.describe(pg.equilibrium([pg.Ally("A", 10.0, frontline=True),
                                                                     pg.Ally("B", 10.0)], pg.Parameters())))


def test_describe_one_ally_gives_a_sentence():
    lines = pg.describe(pg.equilibrium([pg.Ally("Alone", 10.0)], pg.Parameters()))
    assert "needs at least two allies" in " ".join(lines)


def test_plot_size_and_burden_can_keep_rho_out_of_the_title():
    rows = pd.DataFrame({"iso3": ["AAA", "BBB", "CCC"], "gdp_usd_bn": [10.0, 100.0, 1000.0],
                         "pct_gdp": [1.0, 2.0, 3.0]})
    fig, ax = plt.subplots()
    rho = view.plot_size_and_burden(rows, {"AAA"}, ax, title="2024", show_rho=False)
    assert rho == pytest.approx(1.0) and ax.get_title() == "2024"
    view.plot_size_and_burden(rows, {"AAA"}, ax, title="2024")
    assert ax.get_title() == "2024: Spearman's rho = +1.00"
    plt.close(fig)


def test_widget_says_it_is_illustrative_and_what_it_leaves_out():
    w = view.widget()
    assert "Illustrative model" in w.note.value and "no pledges, norms or US pressure" in w.note.value
    assert w.note in w.box.children


def test_a_pledge_floor_is_an_option_and_its_equilibrium_is_nash():
    allies = pg.nato_allies(2014)
    params = pg.Parameters(threat=0.03, private_share=0.5, pledge_pct=1.0)
    outcome = pg.equilibrium(allies, params)
    for i, ally in enumerate(allies):
        others = outcome.total - outcome.spending[i]
        assert outcome.spending[i] == pytest.approx(pg.best_response(ally, others, params), rel=1e-9, abs=1e-9)
        assert outcome.spending[i] >= params.floor(ally) * (1 - 1e-12)
    assert outcome.free_riders == () and len(outcome.at_pledge) > 0
    assert "spend only the pledge (1% of GDP)" in pg.describe(outcome)[0]
    rounds = pg.adjust(allies, params, rounds=300)[-1]
    assert rounds == pytest.approx(outcome.spending, rel=1e-6, abs=1e-6)
    # the default is no pledge: the model as before
    plain = pg.equilibrium(allies, pg.Parameters(threat=0.03, private_share=0.5))
    assert plain.at_pledge == () and len(plain.free_riders) > 0
    with pytest.raises(ValueError, match="pledge_pct"):
        pg.Parameters(pledge_pct=-1)


def test_widget_pledge_slider_changes_the_equilibrium():
    w = view.widget()
    assert w.pledge.value == 0 and w.outcome.free_riders
    w.pledge.value = 2.0
    assert w.parameters().pledge_pct == 2.0 and not w.outcome.free_riders
    assert "pledge" in w.summary.value


def test_plot_size_and_burden_labels_gdp_in_plain_numbers():
    rows = pd.DataFrame({"iso3": ["AAA", "BBB", "CCC"], "gdp_usd_bn": [12.0, 450.0, 18_000.0],
                         "pct_gdp": [2.5, 1.4, 3.4]})
    fig, ax = plt.subplots()
    view.plot_size_and_burden(rows, {"AAA"}, ax)
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert "1,000" in labels and not any("$" in label for label in labels), labels  # no mathtext powers of ten
    plt.close(fig)
