"""NATO membership over time (lesson 02): counts on a date, the running total, the summary, the chart, the slider."""

from __future__ import annotations

import datetime as dt

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from alliance_course import data  # noqa: E402
from alliance_course.sims import membership as ms  # noqa: E402

MEMBERS = data.load("nato_members")
REGIONS = data.load("regions")
DAYS = st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2030, 12, 31))


# --- counts on a date ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "expected"), [
    ("1949-04-03", 0),      # the day before the signature
    ("1949-04-04", 12),     # the founders
    ("1952-02-18", 14),     # Greece and Türkiye, on their day
    ("1989-11-09", 16),     # the fall of the Berlin Wall: Spain (1982) was the last to join
    ("2004-03-28", 19),     # the day before the largest round
    ("2004-03-29", 26),
    ("2024-03-06", 31),
    ("2024-03-07", 32),
])
def test_count_on_known_days(day, expected):
    assert ms.count_on(MEMBERS, day) == expected


def test_members_on_accepts_timestamps_and_dates():
    assert ms.count_on(MEMBERS, pd.Timestamp("2023-04-04")) == 31
    assert ms.count_on(MEMBERS, dt.date(2023, 4, 3)) == 30
    assert set(ms.members_on(MEMBERS, "1955-05-06")["iso3"]) >= {"DEU", "GRC", "TUR"}


@given(DAYS, DAYS)
@settings(max_examples=60, deadline=None)
def test_count_never_falls_over_time(a, b):
    early, late = sorted((a, b))
    assert ms.count_on(MEMBERS, early) <= ms.count_on(MEMBERS, late)


@given(DAYS)
@settings(max_examples=60, deadline=None)
def test_count_agrees_with_the_running_total(day):
    total = ms.running_total(MEMBERS)
    before = total[total.index <= pd.Timestamp(day)]
    assert ms.count_on(MEMBERS, day) == (int(before.iloc[-1]) if len(before) else 0)


def test_running_total_matches_the_enlargements_table():
    total = ms.running_total(MEMBERS)
    rounds = data.load("enlargements")
    assert list(total.index) == list(rounds["accession_date"])
    assert list(total.values) == list(rounds["members_after"])


@pytest.mark.parametrize("bad", ["yesterday-ish", "2001-13-45", None])
def test_a_bad_date_gets_a_clear_message(bad):
    with pytest.raises(ValueError, match="date"):
        ms.count_on(MEMBERS, bad)


def test_a_table_without_accession_dates_is_named():
    with pytest.raises(ValueError, match="accession_date"):
        ms.count_on(MEMBERS.drop(columns="accession_date"), "2000-01-01")
    with pytest.raises(TypeError, match="DataFrame"):
        ms.count_on([1, 2, 3], "2000-01-01")


# --- the summary -----------------------------------------------------------------------------------------------

def test_describe_a_year_with_newcomers_and_their_regions():
    text = ms.describe_year(MEMBERS, 2004, REGIONS)
    assert text.startswith("On 31 December 2004: 26 Allies.")
    assert "7 joined that year" in text
    assert "Estonia (Northern Europe)" in text and "Romania (Eastern Europe)" in text


def test_describe_a_quiet_year_and_the_founding():
    assert ms.describe_year(MEMBERS, 1989) == "On 31 December 1989: 16 Allies. Nobody joined in 1989."
    assert "12 founded NATO that year" in ms.describe_year(MEMBERS, 1949)
    assert "no Allies yet" in ms.describe_year(MEMBERS, 1945)


def test_describe_without_regions_names_countries_only():
    text = ms.describe_year(MEMBERS, 2024)
    assert text.endswith("1 joined that year: Sweden.")


# --- the chart -------------------------------------------------------------------------------------------------

def test_plot_labels_every_round_and_marks_the_year():
    fig, ax = plt.subplots()
    ms.plot_membership(ax, MEMBERS, mark_year=1999)
    labels = [text.get_text() for text in ax.texts]
    assert labels[0] == "1949 (12)" and labels[-1] == "2024 (32)"
    assert len(labels) == len(ms.running_total(MEMBERS))
    marker = ax.lines[-1]
    assert list(marker.get_ydata()) == [19]
    assert ax.get_ylabel() == "Number of Allies"
    plt.close(fig)


# --- the widget (driven from Python) ---------------------------------------------------------------------------

def test_widget_follows_the_slider_and_closes_its_figures():
    plt.close("all")
    view = ms.widget(MEMBERS, REGIONS, start_year=1989)
    assert "16 Allies" in view.summary.value
    view.slider.value = 2009
    assert "28 Allies" in view.summary.value and "Croatia (Southern Europe)" in view.summary.value
    view.slider.value = 1949
    assert "12 founded NATO" in view.summary.value
    assert plt.get_fignums() == []
    assert view.slider.min == 1949 and view.slider.max >= 2024


def test_widget_loads_the_course_tables_when_called_bare():
    view = ms.widget()
    assert "Allies" in view.summary.value
    assert "widget-view" in "".join(view._repr_mimebundle_())


def test_founders_can_count_from_the_treatys_entry_into_force():
    assert ms.TREATY_IN_FORCE == pd.Timestamp("1949-08-24")
    assert ms.count_on(MEMBERS, "1949-04-04") == 12  # the table's date for the founders: the signature
    assert ms.count_on(MEMBERS, "1949-04-04", founders="entry_into_force") == 0
    assert ms.count_on(MEMBERS, "1949-08-23", founders="entry_into_force") == 0
    assert ms.count_on(MEMBERS, "1949-08-24", founders="entry_into_force") == 12
    for day in ("1952-02-18", "1989-11-09", "2024-03-07"):  # later accessions are unaffected
        assert ms.count_on(MEMBERS, day, founders="entry_into_force") == ms.count_on(MEMBERS, day)
    with pytest.raises(ValueError, match="founders='ratification'"):
        ms.count_on(MEMBERS, "1950-01-01", founders="ratification")
