"""Operations over time and concentration of contributions: unit tests, properties, the real tables, the widgets."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance_course import data
from alliance_course.sims import operations as op
from alliance_course.sims import operations_view as view

# --- small hand-made tables -----------------------------------------------------------------------------------------


def _ops(*rows: tuple[str, str, str, str | None, str | None]) -> pd.DataFrame:
    """operation_id, type, start, end, as_of -> a table shaped like data.load('operations')."""
    frame = pd.DataFrame(rows, columns=["operation_id", "type", "start", "end", "as_of"])
    for column in ("start", "end", "as_of"):
        frame[column] = pd.to_datetime(frame[column])
    frame["acronym"] = frame["operation_id"].str.upper()
    return frame


def _members(**accessions: str) -> pd.DataFrame:
    return pd.DataFrame({"iso3": list(accessions), "accession_date": pd.to_datetime(list(accessions.values()))})


def _snapshot(as_of: str, troops: dict[str, int | None], complete: bool = True, reported: int | None = None,
              operation_id: str = "isaf") -> pd.DataFrame:
    return pd.DataFrame({
        "operation_id": operation_id, "as_of": pd.Timestamp(as_of), "country": [f"Country {k}" for k in troops],
        "iso3": list(troops), "troops": pd.array(list(troops.values()), dtype="Int64"), "complete": complete,
        "reported_nations": pd.array([reported] * len(troops), dtype="Int64"),
    })


OPS = _ops(
    ("early", "crisis_response", "1995-12-20", "1996-12-20", None),
    ("long", "article5", "2001-10-06", "2016-11-09", None),
    ("ongoing", "maritime", "2016-11-09", None, "2024-06-20"),
)


def test_active_in_year_counts_operations_that_touch_the_year():
    assert list(op.active_in_year(OPS, 1996)["operation_id"]) == ["early"]
    assert list(op.active_in_year(OPS, 2016)["operation_id"]) == ["long", "ongoing"]
    assert op.active_in_year(OPS, 1990).empty


def test_ongoing_operations_run_on_but_are_unconfirmed_after_their_as_of_year():
    in_2024 = op.active_in_year(OPS, 2024).set_index("operation_id")
    in_2030 = op.active_in_year(OPS, 2030).set_index("operation_id")
    assert bool(in_2024.loc["ongoing", "confirmed"]) is True
    assert bool(in_2030.loc["ongoing", "confirmed"]) is False


def test_active_counts_has_one_column_per_type_and_one_row_per_year():
    counts = op.active_counts(OPS)
    assert list(counts.columns) == list(op.OPERATION_TYPES)
    assert counts.index[0] == 1995 and counts.index[-1] == 2024
    assert counts.loc[2016].tolist() == [1, 0, 1, 0, 0]
    assert counts.loc[2000].sum() == 0


def test_year_span_and_last_known_day():
    assert op.year_span(OPS) == (1995, 2024)
    assert op.last_known_day(OPS).dt.year.tolist() == [1996, 2016, 2024]


def test_an_operation_without_end_or_as_of_is_named():
    broken = _ops(("nowhere", "training", "2000-01-01", None, None))
    with pytest.raises(op.OperationsDataError, match="nowhere"):
        op.last_known_day(broken)


def test_bad_inputs_get_clear_messages():
    with pytest.raises(op.OperationsDataError, match="no column 'start'"):
        op.active_in_year(OPS.drop(columns="start"), 2000)
    with pytest.raises(op.OperationsDataError, match="whole number"):
        op.active_in_year(OPS, "2011")
    with pytest.raises(op.OperationsDataError, match="DataFrame"):
        op.active_in_year([1, 2], 2011)


def test_decimal_year():
    days = pd.Series(pd.to_datetime(["1999-01-01", "1999-07-02"]))
    assert op.decimal_year(days).tolist() == pytest.approx([1999.0, 1999 + 182 / 365.25])  # 2 July = day 183
    with pytest.raises(op.OperationsDataError):
        op.decimal_year(pd.Series([1999, 2000]))


# --- concentration --------------------------------------------------------------------------------------------------

def test_shares_hhi_and_effective_number_by_hand():
    troops = pd.Series({"A": 50, "B": 30, "C": 20})
    assert op.shares(troops).tolist() == pytest.approx([0.5, 0.3, 0.2])
    assert op.top_share(troops) == pytest.approx(0.5)
    assert op.hhi(troops) == pytest.approx(0.25 + 0.09 + 0.04)  # 0.38, not the mean share 1/3
    assert op.effective_number(troops) == pytest.approx(1 / 0.38)


def test_partner_share():
    troops = pd.Series({"A": 60, "B": 30, "C": 10})
    member = pd.Series({"A": True, "B": False, "C": False})
    assert op.partner_share(troops, member) == pytest.approx(0.4)
    with pytest.raises(op.OperationsDataError, match="same index"):
        op.partner_share(troops, member.iloc[:2])


@pytest.mark.parametrize("troops, message", [
    (pd.Series(dtype="Int64"), "empty"),
    (pd.Series({"A": 10, "B": None}, dtype="Int64"), "missing for: B"),
    (pd.Series({"A": 10, "B": -1}), "negative"),
    (pd.Series({"A": 0, "B": 0}), "zero"),
    ([10, 20], "pandas Series"),
])
def test_bad_troop_numbers_are_named(troops, message):
    with pytest.raises(op.OperationsDataError, match=message):
        op.hhi(troops)


troop_lists = st.lists(st.integers(min_value=0, max_value=200_000), min_size=1, max_size=60).filter(
    lambda values: sum(values) > 0)


@given(troop_lists)
@settings(max_examples=200, deadline=None)
def test_hhi_lies_between_one_over_n_and_one(values):
    troops = pd.Series(values, index=[f"c{i}" for i in range(len(values))])
    positive = sum(1 for v in values if v > 0)
    value, top, eps = op.hhi(troops), op.top_share(troops), 1e-9
    assert 1 / positive - eps <= value <= 1 + eps
    assert top**2 - eps <= value <= top + eps  # the largest share alone, and at most the largest share
    assert 1 - eps <= op.effective_number(troops) <= positive + eps
    assert math.isclose(op.shares(troops).sum(), 1.0)


@given(troop_lists, st.integers(min_value=2, max_value=50))
@settings(max_examples=100, deadline=None)
def test_concentration_does_not_depend_on_units(values, factor):
    troops = pd.Series(values, index=[f"c{i}" for i in range(len(values))])
    assert op.hhi(troops * factor) == pytest.approx(op.hhi(troops))


@given(st.integers(min_value=1, max_value=40), st.integers(min_value=1, max_value=10_000))
def test_equal_contributors_give_hhi_one_over_n(n, size):
    troops = pd.Series([size] * n, index=[f"c{i}" for i in range(n)])
    assert op.hhi(troops) == pytest.approx(1 / n)
    assert op.effective_number(troops) == pytest.approx(n)


# --- membership at a date, snapshots, claims ------------------------------------------------------------------------

MEMBERS = _members(USA="1949-04-04", ALB="2009-04-01", MNE="2017-06-05")


def test_membership_is_taken_at_the_snapshot_date():
    before = _snapshot("2008-06-03", {"USA": 100, "ALB": 10, "AUS": 5})
    after = _snapshot("2010-11-15", {"USA": 100, "ALB": 10, "MNE": 5})
    merged = op.membership_at(pd.concat([before, after]), MEMBERS)
    flags = dict(zip(zip(merged["as_of"].dt.year, merged["iso3"]), merged["member_at_date"]))
    assert bool(flags[(2008, "ALB")]) is False  # Albania joined on 1 April 2009
    assert bool(flags[(2010, "ALB")]) is True
    assert bool(flags[(2010, "MNE")]) is False
    assert bool(flags[(2008, "AUS")]) is False


def test_membership_on_the_accession_day_counts():
    merged = op.membership_at(_snapshot("2009-04-01", {"ALB": 10}), MEMBERS)
    assert bool(merged["member_at_date"].iloc[0]) is True


def test_nato_size_on():
    assert op.nato_size_on(MEMBERS, "2009-03-31") == 1
    assert op.nato_size_on(MEMBERS, "2009-04-01") == 2
    with pytest.raises(op.OperationsDataError, match="date"):
        op.nato_size_on(MEMBERS, "not a date")


def test_concentration_of_one_snapshot():
    rows = _snapshot("2010-11-15", {"USA": 60, "ALB": 30, "AUS": 10})
    result = op.concentration(rows, MEMBERS)
    assert (result.contributors, result.troops, result.top_country) == (3, 100, "Country USA")
    assert result.hhi == pytest.approx(0.36 + 0.09 + 0.01)
    assert result.partner_share == pytest.approx(0.1)  # Albania was a member by then; Australia never
    assert result.to_series()["HHI"] == pytest.approx(0.46)


def test_concentration_refuses_mixed_snapshots_and_missing_figures():
    mixed = pd.concat([_snapshot("2008-06-03", {"USA": 1}), _snapshot("2009-10-01", {"USA": 1})])
    with pytest.raises(op.OperationsDataError, match="one snapshot"):
        op.concentration(mixed, MEMBERS)
    with pytest.raises(op.OperationsDataError, match="missing"):
        op.concentration(_snapshot("2006-07-27", {"USA": None, "ALB": None}), MEMBERS)


def test_snapshot_selection_names_what_exists():
    rows = pd.concat([_snapshot("2008-06-03", {"USA": 1}), _snapshot("2009-10-01", {"USA": 1})])
    assert len(op.snapshot(rows, "isaf", "2009-10-01")) == 1
    with pytest.raises(op.OperationsDataError, match="2008-06-03, 2009-10-01"):
        op.snapshot(rows, "isaf", "2010-01-01")
    with pytest.raises(op.OperationsDataError, match="the table has: isaf"):
        op.snapshot(rows, "kfor", "2009-10-01")


def test_with_troops_changes_only_one_country():
    rows = _snapshot("2010-11-15", {"USA": 60, "AUS": 10})
    changed = op.with_troops(rows, "USA", 0)
    assert changed["troops"].tolist() == [0, 10] and rows["troops"].tolist() == [60, 10]
    with pytest.raises(op.OperationsDataError, match="not a contributor"):
        op.with_troops(rows, "FRA", 5)
    with pytest.raises(op.OperationsDataError, match="whole number"):
        op.with_troops(rows, "USA", -5)


def test_summary_bounds_members_in_incomplete_snapshots():
    complete = _snapshot("2006-07-27", {"USA": None, "AUS": None}, complete=True, reported=2)
    partial = _snapshot("2010-11-15", {"USA": 60, "ALB": 30}, complete=False, reported=5)
    summary = op.snapshot_summary(pd.concat([complete, partial]), MEMBERS).set_index("as_of")
    first, second = summary.iloc[0], summary.iloc[1]
    assert (first["nations"], first["members_min"], first["members_max"]) == (2, 1, 1)
    assert pd.isna(first["troops_listed"])
    # 2 listed (both members by 2010), 3 unlisted, but NATO had only 2 members (USA, ALB) in this toy table
    assert (second["nations"], second["nato_size"], second["members_min"], second["members_max"]) == (5, 2, 2, 2)
    assert second["troops_listed"] == 90


def test_claim_fits_needs_both_numbers_at_one_date():
    summary = pd.DataFrame({"as_of": pd.to_datetime(["2008-06-03", "2009-10-01"]),
                            "nations": pd.array([40, 42], dtype="Int64"), "nato_size": [26, 28],
                            "members_min": [13, 28], "members_max": [26, 28]})
    verdict = op.claim_fits(summary, nations=40, members=28)
    assert verdict["fits"].tolist() == [False, False]
    assert verdict["reason"].tolist() == ["NATO had only 26 members that day", "42 nations, not 40"]
    assert op.claim_fits(summary, nations=42, members=28)["fits"].tolist() == [False, True]
    with pytest.raises(op.OperationsDataError, match="inconsistent"):
        op.claim_fits(summary, nations=10, members=28)


# --- the course's own tables (facts from the sources, not from this code) -------------------------------------------

@pytest.fixture(scope="module")
def tables():
    return data.load("operations"), data.load("operation_contributors"), data.load("nato_members")


def test_real_operations_2011_includes_libya_and_afghanistan(tables):
    operations, _, _ = tables
    active = set(op.active_in_year(operations, 2011)["operation_id"])
    assert {"unified-protector", "isaf", "kfor", "ntm-i"} <= active
    assert "resolute-support" not in active  # it began on 1 January 2015


def test_real_stored_membership_flag_agrees_with_accession_dates(tables):
    _, contributors, members = tables
    merged = op.membership_at(contributors, members)
    assert (merged["member_at_date"] == merged["nato_member_at_date"].astype(bool)).all()


def test_real_isaf_snapshots_match_what_the_sources_state(tables):
    _, contributors, members = tables
    summary = op.snapshot_summary(contributors, members).set_index(pd.Index(["2006", "2008", "2009", "2010"]))
    # AFP 2006: 36 countries, all 26 Allies; Reuters 2008: 40 nations; About.com 2009: 42; AFP 2010: 48 incl. all 28.
    assert summary["nations"].tolist() == [36, 40, 42, 48]
    assert summary["nato_size"].tolist() == [26, 26, 28, 28]
    assert summary.loc["2009", "members_min"] == summary.loc["2009", "members_max"] == 28
    verdict = op.claim_fits(op.snapshot_summary(contributors, members), nations=40, members=28)
    assert not verdict["fits"].any()  # "forty states, only 28 NATO members" fits no single date


# --- widgets, driven from Python ------------------------------------------------------------------------------------

def test_mission_explorer_follows_the_slider(tables):
    operations, _, _ = tables
    explorer = view.MissionExplorer(operations, year=1999)
    assert "KFOR" in explorer.table.value and "ISAF" not in explorer.table.value
    explorer.slider.value = 2011
    assert "2011: 7 NATO operations" in explorer.summary.value  # incl. Baltic Air Policing (data 0.2.0)
    assert "ISAF" in explorer.table.value and "UNSCR 1970; 1973" in explorer.table.value
    explorer.slider.value = explorer.slider.max
    assert "last confirmed" in explorer.table.value  # ongoing operations past their as_of date are flagged


def test_mission_explorer_escapes_text():
    table = _ops(("x", "training", "2000-01-01", "2001-01-01", None))
    table["name"], table["theatre"], table["legal_basis"], table["unscr"] = "<b>X</b>", "A & B", "none", None
    explorer = view.MissionExplorer(table, year=2000)
    assert "&lt;b&gt;X&lt;/b&gt;" in explorer.table.value and "A &amp; B" in explorer.table.value
    assert "no UN Security Council resolution" in explorer.table.value


def test_concentration_explorer_responds_to_the_slider(tables):
    _, contributors, members = tables
    rows = op.snapshot(contributors, "isaf", "2010-11-15")
    explorer = view.ConcentrationExplorer(rows, members, iso3="USA")
    before = explorer.current().hhi
    explorer.slider.value = 0
    after = explorer.current()
    assert after.hhi < before and after.top_country != "United States"
    assert f"{after.hhi:.3f}" in explorer.readout.value
    with pytest.raises(op.OperationsDataError, match="not a contributor"):
        view.ConcentrationExplorer(rows, members, iso3="CHN")


def test_timeline_draws_one_bar_per_operation(tables):
    import matplotlib.pyplot as plt

    operations, _, _ = tables
    fig, ax = plt.subplots()
    view.draw_timeline(ax, operations, year=2011)
    assert len(ax.patches) >= len(operations)
    # earliest at the top (1992; data 0.2.0)
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "MARITIME MONITOR"
    plt.close(fig)


def test_claim_tester_updates_when_the_claim_changes(tables):
    _, contributors, members = tables
    summary = op.snapshot_summary(contributors, members)
    tester = view.ClaimTester(summary, members, nations=40, members=28)
    assert "fits 0 of 4" in tester.verdict.value
    tester.nations.value = 42
    assert "fits 1 of 4" in tester.verdict.value and "✓ fits" in tester.verdict.value
    tester.members.value = 50  # more members than states: a clear message, no traceback
    assert "inconsistent" in tester.verdict.value


def test_draw_claim_marks_incomplete_snapshots_as_ranges(tables):
    import matplotlib.pyplot as plt

    _, contributors, members = tables
    summary = op.snapshot_summary(contributors, members)
    fig, ax = plt.subplots()
    view.draw_claim(ax, summary, members, nations=40, members=28)
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert "claim: 40 states" in labels and "claim: 28 NATO members" in labels
    assert ax.get_ylim()[1] > 48  # the largest snapshot (48 nations) is inside the chart
    plt.close(fig)


def test_draw_shares_hatches_partners_only(tables):
    import matplotlib.pyplot as plt

    _, contributors, members = tables
    rows = op.membership_at(op.snapshot(contributors, "isaf", "2009-10-01"), members)
    fig, ax = plt.subplots()
    view.draw_shares(ax, rows, n=12)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    hatched = {label for label, bar in zip(labels, ax.patches) if bar.get_hatch()}
    assert labels[-1] == "United States" and len(labels) == 12
    assert hatched == {"Australia"}  # the only non-member among the twelve largest in October 2009
    plt.close(fig)


def test_concentration_explorer_steps_scale_with_the_contributor(tables):
    _, contributors, members = tables
    rows = op.snapshot(contributors, "isaf", "2010-11-15")
    small = rows.loc[rows["troops"] == rows["troops"].min()].iloc[0]
    explorer = view.ConcentrationExplorer(rows, members, iso3=small["iso3"])
    assert explorer.slider.step == max(1, round(int(small["troops"]) / 20)) and explorer.slider.max >= 20
    big = view.ConcentrationExplorer(rows, members, iso3="USA")
    assert big.slider.step == round(big.actual / 20) and big.slider.max == 2 * big.actual
