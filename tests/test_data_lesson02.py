"""Facts lesson 02 relies on: the Article 4/5 invocations and the Allies' world regions agree with the other tables
and with what NATO itself has published."""

from __future__ import annotations

import pandas as pd
import pytest

from alliance_course import data


@pytest.fixture(scope="module")
def members() -> pd.DataFrame:
    return data.load("nato_members").set_index("iso3")


@pytest.fixture(scope="module")
def invocations() -> pd.DataFrame:
    return data.load("treaty_invocations")


def test_every_requesting_ally_was_an_ally_on_that_day(invocations, members):
    problems = []
    for row in invocations.itertuples():
        for code in data.split_sources(row.allies):  # same '; ' separator as the source column
            if code not in members.index:
                problems.append(f"{row.invocation_id}: {code} is not an Ally")
            elif members.at[code, "accession_date"] > row.date:
                problems.append(f"{row.invocation_id}: {code} joined only on {members.at[code, 'accession_date']:%Y-%m-%d}")
    assert not problems, problems


def test_article_5_was_invoked_once_for_the_united_states_after_9_11(invocations):
    art5 = invocations[invocations["article"] == 5]
    assert len(art5) == 1
    assert art5.iloc[0]["allies"] == "USA"
    assert art5.iloc[0]["date"] == pd.Timestamp("2001-09-12")


def test_the_table_reproduces_natos_count_of_seven_in_july_2023(invocations):
    # NATO, 'The consultation process and Article 4' (last updated 18 July 2023): "invoked seven times",
    # counting the joint request of 24 February 2022 once.
    art4 = invocations[(invocations["article"] == 4) & (invocations["date"] <= pd.Timestamp("2023-07-18"))]
    assert len(art4) == 7
    assert "nato-art4-2023" in " ".join(invocations["source"])


def test_turkiye_asked_most_often(invocations):
    art4 = invocations[invocations["article"] == 4]
    per_ally = art4["allies"].str.split("; ").explode().value_counts()
    assert per_ally.index[0] == "TUR" and per_ally.iloc[0] == 5
    assert per_ally["POL"] == 3


def test_ids_say_the_article_and_year(invocations):
    for row in invocations.itertuples():
        assert row.invocation_id.startswith(f"art{row.article}-{row.date.year}")


def test_regions_cover_every_ally_once_with_matching_names(members):
    regions = data.load("regions").set_index("iso3")
    assert set(regions.index) == set(members.index)
    assert (regions["country"] == members.loc[regions.index, "country"]).all()


def test_only_three_allies_lie_outside_europe():
    regions = data.load("regions")
    outside = regions[regions["region"].astype(str) != "Europe"]
    assert dict(zip(outside["iso3"], outside["subregion"].astype(str))) == {
        "CAN": "Northern America", "USA": "Northern America", "TUR": "Western Asia"}
    assert set(regions["m49_subregion"]) == {"021", "039", "145", "151", "154", "155"}
