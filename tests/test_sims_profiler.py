"""The alliance-coalition profiler: placements, distances, comparisons, the course data behind it, the widget."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from alliance_course.sims import profiler as pf  # noqa: E402

DIMS = tuple(pf.Dimension(k, k.title(), f"{k}?", "a-pole", "c-pole") for k in ("purpose", "duration", "membership"))
KEYS = [d.key for d in DIMS]
TOY = pf.Coding("toy", "Toy coalition", "coalition", {"purpose": 4, "duration": 3, "membership": 0},
                {"purpose": "seed", "duration": "sourced", "membership": "judgement"},
                {"purpose": "One mission.", "duration": "Months.", "membership": "Closed."})
PLACEMENTS = st.fixed_dictionaries({k: st.integers(0, 4) for k in KEYS})


# --- placements -------------------------------------------------------------------------------------------------

def test_blank_placement_sits_at_the_midpoint():
    assert pf.blank_placement(KEYS) == {"purpose": 2, "duration": 2, "membership": 2}


def test_check_placement_accepts_labels_in_any_case_and_orders_by_dimension():
    checked = pf.check_placement({"MEMBERSHIP": 1, "Purpose": 3, "duration": 0}, DIMS)
    assert list(checked.items()) == [("purpose", 3), ("duration", 0), ("membership", 1)]


@pytest.mark.parametrize(
    ("placement", "message"),
    [
        ({"purpose": 3, "duration": 2}, "no score for membership"),
        ({"purpose": 3, "duration": 2, "membership": 5}, "membership: the score must be a whole number"),
        ({"purpose": 3, "duration": 2.5, "membership": 1}, "duration: the score must be a whole number"),
        ({"purpose": True, "duration": 2, "membership": 1}, "purpose: the score"),
        ({"purpose": 3, "duration": 2, "membership": 1, "size": 2}, "Unknown dimension 'size'"),
        ({"purpose": 3, "Purpose": 2, "duration": 2, "membership": 1}, "'purpose' is given twice"),
        ([3, 2, 1], "dict of dimension -> score"),
    ],
)
def test_bad_placements_get_a_message_naming_the_problem(placement, message):
    with pytest.raises(ValueError) as err:
        pf.check_placement(placement, DIMS)
    assert message in str(err.value)


# --- distance, leaning, nearest ---------------------------------------------------------------------------------

def test_distance_is_the_mean_absolute_gap():
    assert pf.distance({"a": 0, "b": 4}, {"a": 4, "b": 4}) == 2.0
    assert pf.distance({"a": 1, "b": 1, "c": 1, "d": 0}, {"a": 1, "b": 2, "c": 1, "d": 2}) == 0.75
    with pytest.raises(ValueError, match="share no dimension"):
        pf.distance({"a": 1}, {"b": 1})


@given(PLACEMENTS, PLACEMENTS, PLACEMENTS)
def test_distance_is_a_metric_on_the_scale(a, b, c):
    assert pf.distance(a, a) == 0
    assert pf.distance(a, b) == pf.distance(b, a)
    assert 0 <= pf.distance(a, b) <= 4
    assert pf.distance(a, c) <= pf.distance(a, b) + pf.distance(b, c) + 1e-12


@pytest.mark.parametrize(("scores", "expected"), [
    ({"a": 0, "b": 2}, "alliance-like"),      # mean 1.0
    ({"a": 1, "b": 2}, "in between"),         # mean 1.5: the boundary is 'in between'
    ({"a": 3, "b": 2}, "in between"),         # mean 2.5
    ({"a": 3, "b": 3}, "coalition-like"),
])
def test_leaning(scores, expected):
    assert pf.leaning(scores) == expected


def test_nearest_to_ranks_by_distance():
    near = pf.Coding("near", "Near", "coalition", {"purpose": 4, "duration": 3, "membership": 1})
    far = pf.Coding("far", "Far", "alliance", {"purpose": 0, "duration": 0, "membership": 0})
    ranked = pf.nearest_to({"purpose": 4, "duration": 4, "membership": 1}, [far, TOY, near], k=2)
    assert [(c.case_id, round(d, 3)) for c, d in ranked] == [("near", 0.333), ("toy", 0.667)]


# --- comparison -------------------------------------------------------------------------------------------------

def test_comparison_reports_gaps_matches_and_disagreements():
    result = pf.compare_with(TOY, {"purpose": 4, "duration": 2, "membership": 3}, DIMS)
    assert result.differences == {"purpose": 0, "duration": -1, "membership": 3}
    assert result.distance == pytest.approx(4 / 3)
    assert result.same == ["purpose"] and result.far == ["membership"]
    summary = result.summary()
    assert "on average 1.3 points" in summary and "exactly on 1 of 3" in summary
    assert "2 points or more on: Membership" in summary
    rows = {r["dimension"]: r for r in result.rows()}
    assert rows["Membership"]["agreement"] == "✗ 3 apart" and rows["Duration"]["agreement"] == "≈ 1 apart"
    assert rows["Purpose"]["evidence"] == "the seed article"
    assert "Closed." in str(result) and "<table" in result._repr_html_()


def test_identical_placement_has_no_disagreement():
    result = pf.compare_with(TOY, dict(TOY.scores), DIMS)
    assert result.distance == 0 and result.far == [] and "never 2 or more points apart" in result.summary()


@given(PLACEMENTS)
def test_far_dimensions_are_exactly_those_two_or_more_apart(placement):
    result = pf.compare_with(TOY, placement, DIMS)
    assert set(result.far) == {k for k in KEYS if abs(placement[k] - TOY.scores[k]) >= 2}
    assert result.distance == pytest.approx(sum(abs(v) for v in result.differences.values()) / len(KEYS))


def test_html_escapes_justifications():
    evil = pf.Coding("x", "X", "coalition", {"purpose": 1, "duration": 1, "membership": 1},
                     justification={"purpose": "<script>alert(1)</script>"})
    assert "<script>" not in pf.compare_with(evil, pf.blank_placement(KEYS), DIMS)._repr_html_()


# --- the course data --------------------------------------------------------------------------------------------

def test_course_dimensions_and_codings_line_up():
    dims = pf.dimensions()
    assert len(dims) == 8 and dims[0].key == "purpose"
    for case in pf.codings().values():
        keys = {d.key for d in dims}
        assert set(case.scores) <= keys and set(case.justification) == keys
        assert all(score in pf.SCALE for score in case.scores.values())
        # a dimension without a score is one the sources say nothing about (NA, not the midpoint)
        assert all(case.evidence[key] == "no_information" for key in keys - set(case.scores))
    assert pf.coding("nato").kind == "alliance"


def test_case_choices_are_labelled_with_the_year_and_cover_every_coded_case():
    choices = pf.case_choices()
    assert {case_id for _, case_id in choices} == set(pf.codings())
    assert dict((v, k) for k, v in choices)["nato"] == "North Atlantic Treaty Organization (NATO) (1949)"


def test_unknown_case_lists_the_valid_ones():
    with pytest.raises(KeyError, match="No coded case 'natoo'.*nato"):
        pf.coding("natoo")


def test_compare_and_nearest_read_the_course_data():
    nato = pf.coding("nato")
    assert pf.compare("nato", dict(nato.scores)).distance == 0
    assert pf.nearest(dict(nato.scores), k=1)[0][0] == "nato"


# --- chart and widget -------------------------------------------------------------------------------------------

def test_plot_profiles_draws_one_series_per_profile_with_distinct_markers():
    fig, ax = plt.subplots()
    pf.plot_profiles(ax, {"A": TOY.scores, "B": pf.blank_placement(KEYS)}, DIMS)
    assert len(ax.lines) == 2
    assert ax.lines[0].get_marker() != ax.lines[1].get_marker()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Purpose", "Duration", "Membership"]
    assert list(ax.lines[0].get_xdata()) == [4, 3, 0]
    plt.close(fig)


def test_plot_grid_writes_every_score_in_its_cell():
    import pandas as pd

    grid = pd.DataFrame({"Purpose": [0, 4], "Duration": [1, None]}, index=["NATO", "Gulf War"])
    fig, ax = plt.subplots()
    image = pf.plot_grid(ax, grid)
    assert [t.get_text() for t in ax.texts] == ["0", "1", "4"]
    assert ax.texts[0].get_color() == "white" and ax.texts[2].get_color() == "black"
    assert image.get_clim() == (0, 4)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["NATO", "Gulf War"]
    plt.close(fig)


def test_widget_hides_the_coding_until_compare_and_resets_on_a_new_case():
    view = pf.ProfilerView("nato")
    assert view.comparison is None and "Place the case" in view.result.value
    nato = pf.coding("nato")
    for key, slider in view.sliders.items():
        slider.value = nato.scores[key]
    assert view.comparison is None  # moving sliders before Compare reveals nothing
    view.compare.click()
    assert view.comparison is not None and view.comparison.distance == 0
    assert "never 2 or more points apart" in view.result.value
    view.sliders["purpose"].value = 4  # after a comparison, the view follows the sliders
    assert view.comparison.differences["purpose"] == 4 - nato.scores["purpose"]
    view.case.value = "iraq-2003"
    assert view.comparison is None and "Place the case" in view.result.value
    assert set(view.placement().values()) == {2}


def test_widget_function_returns_a_view_that_displays_as_a_widget():
    import ipywidgets as widgets

    view = pf.widget()
    assert isinstance(view.box, widgets.VBox)
    assert "application/vnd.jupyter.widget-view+json" in view._repr_mimebundle_()


def test_plot_profiles_keeps_coincident_markers_visible():
    fig, ax = plt.subplots()
    same = pf.blank_placement(KEYS)
    pf.plot_profiles(ax, {"A": same, "B": same, "C": same}, DIMS)
    rows = [line.get_ydata()[0] for line in ax.lines]
    assert min(b - a for a, b in zip(rows, rows[1:])) >= 0.25 - 1e-9  # a dodge wider than a marker's half
    assert ax.lines[0].get_markerfacecolor() != "none"
    assert all(line.get_markerfacecolor() == "none" for line in ax.lines[1:])  # hollow: the first shows through
    plt.close(fig)
