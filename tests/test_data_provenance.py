"""Provenance of the course data: verification status of sources, and where the spending figures come from."""

from __future__ import annotations

import pandas as pd
import pytest

from alliance_course import data

NUMERIC_TABLES = [
    "operations", "operation_contributors", "coalitions", "coalition_sizes", "efp_contributors", "framework_groups",
    "defence_spending", "gdp", "pledges", "opinion_polls", "coalition_meetings", "force_generation_reports",
    "regional_commands", "enlargements", "russia_land_border", "alliance_members", "response_times",
    "framework_group_members", "efp_battlegroups", "treaty_invocations", "coalition_lists", "seed_claims",
]


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return data.sources().set_index("source_id")


def test_every_source_has_a_status_and_read_sources_a_date(sources):
    assert set(sources["status"].astype(str)) == {"verified", "secondary", "unverified"}
    read = sources["status"].isin(["verified", "secondary"])
    assert sources.loc[read, "verified_on"].notna().all(), "a verified or secondary source needs verified_on"
    assert sources.loc[~read, "verified_on"].isna().all(), "an unverified source cannot carry verified_on"
    assert (sources["verified_on"].dropna() >= sources.loc[sources["verified_on"].notna(), "added_on"]).all()


def test_sources_never_re_read_are_not_counted_as_verified(sources):
    not_reread = sources["note"].str.contains("not re-read for this table", regex=False, na=False)
    reread = sources["note"].str.contains("Re-read 2026", regex=False, na=False)
    assert (sources.loc[not_reread & ~reread, "status"] == "unverified").all()


def test_mirrors_and_copies_are_secondary(sources):
    mirrors = sources["url"].str.contains(r"docslib|9pdf|911plus|studentb|clateway|^http://\d", regex=True, na=False)
    assert mirrors.any()
    assert (sources.loc[mirrors, "status"] != "verified").all()


@pytest.mark.parametrize("table", NUMERIC_TABLES)
def test_no_numeric_row_rests_only_on_unverified_sources(table, sources):
    frame = data.load(table)
    bad = []
    for position, cell in frame["source"].items():
        keys = [key for key in data.split_sources(cell) if not data.is_url(key)]
        if keys and (sources.loc[keys, "status"] == "unverified").all():
            bad.append((position + 2, keys))
    assert not bad, f"{table}: rows (file row, sources) citing only unverified sources: {bad}"


def test_spending_rows_name_a_nato_release_table_and_price_basis():
    spending = data.load("defence_spending")
    assert spending["release_title"].str.startswith("NATO").all()
    assert spending["source"].str.contains("nato-", regex=False).all()
    june = spending["release"] == "2024-06"
    assert (spending.loc[june, "price_basis"] == "2015 prices and exchange rates").all()
    assert not spending["source"].str.contains("tass-", regex=False).any()


def test_ally_that_year_follows_the_accession_dates():
    spending = data.load("defence_spending")
    members = data.load("nato_members").set_index("iso3")
    year_end = pd.to_datetime(spending["year"].astype(str) + "-12-31")
    expected = members.loc[spending["iso3"], "accession_date"].to_numpy() <= year_end.to_numpy()
    assert (spending["ally_that_year"].to_numpy() == expected).all()
    in_2014 = spending[(spending["year"] == 2014) & (spending["release"] == "2024-06")]
    assert set(in_2014.loc[~in_2014["ally_that_year"], "iso3"]) == {"FIN", "SWE", "MNE", "MKD"}


def test_coverage_lists_every_ally_and_year_in_each_release():
    coverage = data.load("defence_spending_coverage")
    members = data.load("nato_members")
    assert len(coverage) == len(members) * (11 + 12)
    spending = data.load("defence_spending")
    listed = coverage[coverage["status"].isin(["in_table", "superseded"])]
    assert len(listed) == len(spending[spending["release"].isin(["2024-06", "2025-08"])])
    assert set(coverage.loc[coverage["iso3"] == "ISL", "status"]) == {"not_applicable"}
    germany_2025 = coverage[(coverage["iso3"] == "DEU") & (coverage["year"] == 2025)]
    assert list(germany_2025["status"]) == ["not_published"]
    assert coverage.loc[coverage["status"] == "unknown", "reason"].notna().all()


def test_citations_say_how_each_source_was_read():
    text = data.cite("defence_spending")
    assert "not read by the course" in text and "a secondary copy" in text
