"""Regression tests for the data corrections of the 2nd edition (data 0.2.0).

Each test states one fact that an earlier version of the data got wrong (see data/CHANGELOG section in
CHANGELOG.md, "Data corrections", and ../shared/reviews/data-audit.md). If one fails, the error is back.
"""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from alliance_course import data
from alliance_course.paths import data_dir


def _row(table: str, column: str, value: str) -> pd.Series:
    frame = data.load(table)
    match = frame[frame[column] == value]
    assert len(match) == 1, f"{table}: expected one row with {column}={value!r}, found {len(match)}"
    return match.iloc[0]


def test_unified_protector_had_14_allies_and_4_partners():
    row = _row("operations", "operation_id", "unified-protector")
    assert (row["nations_total"], row["nations_members"], row["nations_partners"]) == (18, 14, 4)
    assert "Bulgaria" in row["note"] and "Romania" in row["note"]


def test_libya_seed_claim_counts_fourteen_allies():
    row = _row("seed_claims", "claim_id", "libya-germany")
    assert "fourteen Allies" in row["evidence"] and "twelve Allies" not in row["evidence"]


def test_tonga_joined_the_iraq_list_on_26_march_2003():
    lists = data.load("coalition_lists")
    tonga = lists[(lists["case_id"] == "iraq-2003") & (lists["iso3"] == "TON")].iloc[0]
    assert tonga["first_listed"] == pd.Timestamp("2003-03-26")


def test_costa_rica_was_listed_no_later_than_21_march_2003():
    lists = data.load("coalition_lists")
    costa_rica = lists[(lists["case_id"] == "iraq-2003") & (lists["iso3"] == "CRI")].iloc[0]
    assert costa_rica["first_listed"] == pd.Timestamp("2003-03-21")


def test_iraq_list_reached_49_on_26_march_2003():
    lists = data.load("coalition_lists")
    iraq = lists[lists["case_id"] == "iraq-2003"]
    assert (iraq["first_listed"] <= pd.Timestamp("2003-03-26")).sum() == 49
    sizes = data.load("coalition_sizes")
    peak = sizes[(sizes["case_id"] == "iraq-2003") & (sizes["measure"] == "listed") & (sizes["size"] == 49)]
    assert list(peak["date"]) == [pd.Timestamp("2003-03-26")]


def test_strategic_concept_2022_quotes_paragraph_8():
    row = _row("strategic_concepts", "concept_id", "sc-2022")
    text = " ".join(str(value) for value in row.to_numpy())
    assert ("The Russian Federation is the most significant and direct threat to Allies' security and to peace "
            "and stability in the Euro-Atlantic area.") in text
    assert "poses the most significant" not in text


def test_kfor_february_2017_names_all_30_contributors_adding_to_4273():
    contributors = data.load("operation_contributors")
    kfor = contributors[(contributors["operation_id"] == "kfor")
                        & (contributors["as_of"] == pd.Timestamp("2017-02-01"))]
    assert len(kfor) == 30 and int(kfor["troops"].sum()) == 4273
    troops = kfor.set_index("iso3")["troops"]
    assert (troops["SVN"], troops["TUR"], troops["GBR"], troops["USA"]) == (252, 303, 1, 675)
    assert kfor["complete"].all()
    # all 8 non-NATO contributors are named on the placemat, so the four recovered figures are Allies
    assert int((~kfor["nato_member_at_date"]).sum()) == 8


def test_german_framework_group_records_czech_and_romanian_brigades():
    members = data.load("framework_group_members")
    german = set(members.loc[members["group_id"] == "de-fnc", "iso3"])
    assert {"CZE", "ROU", "HRV", "AUT", "FIN", "DEU"} <= german
    # named in the German government's 2020 breakdown of the 21 nations, join year unknown
    assert {"NOR", "SWE", "CHE"} <= german
    bridges = members[members["role"] == "member"].groupby("iso3").size()
    assert set(bridges[bridges == 2].index) == {"AUT", "FIN", "SWE", "NOR"}


def test_slovakia_battlegroup_led_by_spain_with_portugal_contributing():
    battlegroups = data.load("efp_battlegroups")
    slovakia = battlegroups[battlegroups["host_iso3"] == "SVK"].iloc[0]
    assert slovakia["framework_iso3"] == "ESP"
    contributors = data.load("efp_contributors")
    svk = contributors[contributors["host_iso3"] == "SVK"]
    assert "PRT" in set(svk["iso3"])
    lead_now = svk[(svk["role"] == "framework") & svk["end_year"].isna()]
    assert list(lead_now["iso3"]) == ["ESP"]


def test_eastern_flank_battlegroups_are_called_forward_land_forces():
    row = _row("operations", "operation_id", "efp")
    assert "Forward Land Forces" in row["name"]


def test_operations_table_is_documented_as_a_selection_with_maritime_operations():
    operations = data.load("operations")
    ids = set(operations["operation_id"])
    assert {"maritime-monitor", "sharp-guard", "allied-provider", "amber-fox", "allied-harmony",
            "baltic-air-policing", "nsatu"} <= ids
    first_maritime = operations.loc[operations["type"] == "maritime", "start"].min()
    assert first_maritime == pd.Timestamp("1992-07-16")
    description = data.tables()["operations"].lower()
    assert "selection" in description


@pytest.mark.parametrize(("iso3", "value"), [("POL", 4.07), ("USA", 3.19), ("ESP", 1.24)])
def test_revised_2024_spending_replaces_the_june_2024_estimate(iso3, value):
    spending = data.load("defence_spending")
    rows = spending[(spending["iso3"] == iso3) & (spending["year"] == 2024)]
    current = rows[~rows["superseded"]]
    assert list(current["pct_gdp"]) == [value]
    assert rows[rows["release"] == "2024-06"]["superseded"].all()


def test_quiz_banks_carry_the_corrected_facts():
    quizzes = data_dir() / "quizzes"
    text03 = (quizzes / "03-coalitions-of-the-willing.yaml").read_text(encoding="utf-8")
    assert "29 March 2003" not in text03 and "26 March 2003" in text03
    bank09 = yaml.safe_load((quizzes / "09-capstone.yaml").read_text(encoding="utf-8"))
    text09 = yaml.safe_dump(bank09)
    assert "lists twelve of the 28 Allies" not in text09
    text04 = (quizzes / "04-out-of-area.yaml").read_text(encoding="utf-8")
    assert "only 12 of 28" not in text04
