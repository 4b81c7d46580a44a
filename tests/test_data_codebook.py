"""The rules of data/CODEBOOK.md hold in the data: missing-value codes, date precision, link tables, coding."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys

import pandas as pd
import pytest

from alliance_course import data
from alliance_course.paths import data_dir

ROOT = data_dir().parent
CODEBOOK = (data_dir() / "CODEBOOK.md").read_text(encoding="utf-8")
MISSING_TABLES = ["operations", "coalitions", "framework_groups", "framework_group_members", "efp_contributors",
                  "case_crosswalk"]
NOT_CODED = {"note", "missing", "acronym"}


def _script(name: str):
    path = ROOT / "scripts" / "data" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("table", MISSING_TABLES)
def test_every_empty_optional_cell_has_a_missing_code(table):
    frame = data.load(table)
    fields = data.schema(table)["fields"]
    coded_precision = {"end_precision", "ended_precision"}  # other *_precision columns follow their date
    optional = [f["name"] for f in fields
                if not (f.get("constraints") or {}).get("required") and f["name"] not in NOT_CODED
                and (not f["name"].endswith("_precision") or f["name"] in coded_precision)]
    for position, row in frame.iterrows():
        codes = dict(part.split("=") for part in data.split_sources(row["missing"])) if pd.notna(row["missing"]) else {}
        for name in optional:
            if pd.isna(row[name]):
                assert name in codes, f"{table} row {position + 2}: empty {name!r} has no missing code"
        for name in codes:
            assert pd.isna(row[name]), f"{table} row {position + 2}: {name!r} has a value but a missing code"


@pytest.mark.parametrize(("table", "column"), [("operations", "as_of"), ("operations", "peak_strength_as_of"),
                                               ("operations", "nations_as_of"), ("operation_contributors", "as_of"),
                                               ("efp_battlegroups", "as_of"), ("efp_contributors", "as_of")])
def test_precision_is_given_exactly_for_dates_that_exist(table, column):
    frame = data.load(table)
    precision = frame[f"{column}_precision"]
    assert (frame[column].isna() == precision.isna()).all()
    month = frame[precision == "month"]
    assert (month[column].dt.day == 1).all()


def test_kfor_placemat_of_february_2017_is_month_precise():
    contributors = data.load("operation_contributors")
    kfor = contributors[(contributors["operation_id"] == "kfor") & (contributors["as_of"] == "2017-02-01")]
    assert set(kfor["as_of_precision"]) == {"month"}


def test_link_tables_are_up_to_date():
    built = _script("build_link_tables").build()
    for name, rows in built.items():
        frame = pd.read_csv(data_dir() / f"{name}.csv", dtype=str, keep_default_na=False)
        assert frame.to_dict("records") == rows, f"{name} is stale: run scripts/data/build_link_tables.py"


def test_spending_coverage_is_up_to_date(tmp_path, monkeypatch):
    module = _script("build_spending_coverage")
    for name in ("nato_members.csv", "defence_spending.csv"):
        shutil.copy(data_dir() / name, tmp_path / name)
    monkeypatch.setattr(module, "DATA", tmp_path)
    module.main()
    rebuilt = (tmp_path / "defence_spending_coverage.csv").read_bytes()
    assert rebuilt == (data_dir() / "defence_spending_coverage.csv").read_bytes(), "run build_spending_coverage.py"


def test_no_information_is_na_not_the_midpoint():
    coding = data.load("coalition_coding")
    no_info = coding["evidence"] == "no_information"
    assert no_info.sum() == 10
    assert coding.loc[no_info, "score"].isna().all()
    assert coding.loc[~no_info, "score"].notna().all()
    assert coding["coder"].notna().all() and coding["coded_on"].notna().all()


def _kappa(first: list[int], second: list[int], weighted: bool) -> float:
    n = len(first)
    cats = range(5)
    weight = (lambda i, j: (i - j) ** 2 / 16) if weighted else (lambda i, j: float(i != j))
    observed = sum(weight(a, b) for a, b in zip(first, second)) / n
    expected = sum(first.count(i) / n * second.count(j) / n * weight(i, j) for i in cats for j in cats)
    return 1 - observed / expected


def test_reliability_figures_in_the_codebook_are_those_of_the_check_table():
    check = data.load("coalition_coding_check")
    first, second = [int(v) for v in check["score_first"]], [int(v) for v in check["score_second"]]
    n = len(first)
    exact = sum(a == b for a, b in zip(first, second))
    within = sum(abs(a - b) <= 1 for a, b in zip(first, second))
    assert f"| scores compared | {n} |" in CODEBOOK
    assert f"| exact agreement | {exact} of {n} ({100 * exact / n:.1f} %) |" in CODEBOOK
    assert f"| agreement within one point | {within} of {n} ({100 * within / n:.1f} %) |" in CODEBOOK
    assert f"| Cohen's kappa (unweighted) | {_kappa(first, second, False):.2f} |" in CODEBOOK
    assert f"| Cohen's kappa (quadratic weights) | {_kappa(first, second, True):.2f} |" in CODEBOOK
    coding = data.load("coalition_coding").set_index(["case_id", "dimension"])
    for row in check.itertuples():
        assert coding.at[(row.case_id, row.dimension), "score"] == row.score_first


def test_source_counts_in_the_codebook_are_current():
    counts = data.sources()["status"].value_counts()
    stated = re.search(r"(\d+) verified, (\d+) secondary, (\d+) unverified", CODEBOOK)
    assert stated, "the codebook states the source counts"
    assert tuple(int(x) for x in stated.groups()) == (counts["verified"], counts["secondary"], counts["unverified"])


def test_every_scale_point_of_every_dimension_is_defined():
    dimensions = list(data.load("coalition_dimensions")["dimension"])
    for dimension in dimensions:
        row = re.search(rf"^\| {dimension} \|(.+)\|$", CODEBOOK, flags=re.MULTILINE)
        assert row, dimension
        cells = [cell.strip() for cell in row.group(1).split("|")]
        assert len(cells) == 5 and all(cells), dimension


def test_cow_codes_are_unique_and_cover_every_ally():
    codes = data.load("country_codes")
    assert set(codes["iso3"]) == set(data.load("nato_members")["iso3"])
    assert codes["cow_ccode"].is_unique
    assert codes.set_index("iso3").loc[["USA", "GBR", "TUR"], "cow_ccode"].tolist() == [2, 200, 640]
