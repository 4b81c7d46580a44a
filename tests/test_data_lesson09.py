"""Facts lesson 09 relies on: the checked seed claims and the response times agree with the other course tables."""

from __future__ import annotations

import pandas as pd
import pytest

from alliance_course import data


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return data.load("seed_claims").set_index("claim_id")


@pytest.fixture(scope="module")
def responses() -> pd.DataFrame:
    return data.load("response_times").set_index("response_id")


@pytest.fixture(scope="module")
def members() -> pd.DataFrame:
    return data.load("nato_members")


def members_on(members: pd.DataFrame, day: str) -> int:
    return int((members["accession_date"] <= pd.Timestamp(day)).sum())


def test_every_claim_cites_its_own_seed_and_names_real_tables(claims):
    tables = set(data.tables())
    for claim_id, row in claims.iterrows():
        assert row["seed"] in data.split_sources(row["source"]), f"{claim_id}: the seed is not among its sources"
        for table in data.split_sources(row["check_table"] or ""):
            assert table in tables, f"{claim_id}: no course table {table!r}"


def test_claims_checked_against_a_table_are_not_left_unverified(claims):
    checked = claims[claims["check_table"].notna()]
    assert not checked["verdict"].isin(["unverified", "judgement"]).any()


def test_the_thirtieth_member_verdict_follows_from_the_members_table(claims, members):
    assert claims.at["thirtieth-member", "verdict"] == "needs_date"
    assert members_on(members, "2019-09-30") == 29          # when the article appeared
    newest_thirtieth = members.sort_values("accession_date").iloc[29]
    assert newest_thirtieth["iso3"] == "MKD"
    assert len(members) == 32


def test_no_isaf_snapshot_fits_forty_states_with_twenty_eight_allies(claims, members):
    assert claims.at["isaf-forty-states", "verdict"] == "needs_correction"
    contributors = data.load("operation_contributors")
    isaf = contributors[contributors["operation_id"] == "isaf"]
    for as_of, rows in isaf.groupby("as_of"):
        nations = int(rows["reported_nations"].iloc[0])
        assert not (nations == 40 and members_on(members, as_of) == 28), as_of


def test_the_libya_claim_agrees_with_the_operations_table(claims, members):
    assert claims.at["libya-germany", "verdict"] == "holds"
    oup = data.load("operations").set_index("operation_id").loc["unified-protector"]
    assert oup["nations_members"] == 14 and members_on(members, oup["start"]) == 28
    assert "Germany" not in oup["note"] and "Belgium" in oup["note"]


def test_the_survey_numbers_in_the_claim_are_the_published_ones(claims):
    polls = data.load("opinion_polls")
    should = polls[(polls["question_id"] == "nato-territorial-defence") & (polls["answer"] == "should")]
    assert set(should.set_index("sample")["pct"].loc[["United States", "Europe (10 EU countries)"]]) == {59, 73}
    assert "59%" in claims.at["tt-2014-core-task", "claim"] and "73%" in claims.at["tt-2014-core-task", "claim"]


def test_responses_follow_their_triggers_and_match_the_operation_tables(responses):
    assert (responses["response_date"] >= responses["trigger_date"]).all()
    operations = data.load("operations").set_index("operation_id")
    assert responses.at["ifor-1995", "response_date"] == operations.at["ifor", "start"]
    assert responses.at["kfor-1999", "response_date"] == operations.at["kfor", "start"]
    assert responses.at["oup-2011-embargo", "response_date"] == operations.at["unified-protector", "start"]
    assert responses.at["isaf-2003", "response_date"] == operations.at["isaf", "start"]
    coalitions = data.load("coalitions").set_index("case_id")
    assert responses.at["interfet-1999", "trigger_date"] == coalitions.at["interfet-1999", "formed"]
    libya = responses[responses["trigger"].str.contains("1973")]
    assert libya["trigger_date"].nunique() == 1 and set(libya["track"]) == {"nato", "coalition"}
