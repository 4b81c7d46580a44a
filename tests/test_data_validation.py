"""``data.load(name, validate=True)`` enforces the schema and the package's file fingerprints.

Every error names the file, and the row and field where it can be known.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from alliance_course import data
from alliance_course.paths import ROOT_ENV, data_dir

PACKAGE = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))
NAMES = [resource["name"] for resource in PACKAGE["resources"]]


@pytest.fixture(autouse=True)
def fresh_cache():
    data.clear_cache()
    yield
    data.clear_cache()


@pytest.mark.parametrize("name", NAMES)
def test_every_released_table_validates(name):
    data.load(name, validate=True)


def test_every_resource_records_its_bytes_and_sha256():
    for resource in PACKAGE["resources"]:
        size, digest = data.file_digest(data_dir() / resource["path"])
        assert (resource.get("bytes"), resource.get("hash")) == (size, digest), resource["name"]


@pytest.fixture
def course_copy(tmp_path, monkeypatch):
    shutil.copytree(data_dir(), tmp_path / "data", ignore=shutil.ignore_patterns("quizzes"))
    monkeypatch.setenv(ROOT_ENV, str(tmp_path))
    data.clear_cache()
    return tmp_path / "data"


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _error(name: str) -> str:
    with pytest.raises(data.DataError) as caught:
        data.load(name, validate=True)
    return str(caught.value)


def test_value_above_the_schema_maximum(course_copy):
    _rewrite(course_copy / "defence_spending.csv", "Poland,POL,2014,1.88,", "Poland,POL,2014,45,")
    message = _error("defence_spending")
    assert "defence_spending.csv, row 2, field 'pct_gdp'" in message and "above the maximum 10" in message
    data.load("defence_spending")  # without validate the typed load still works, as before


def test_negative_value_below_the_minimum(course_copy):
    _rewrite(course_copy / "defence_spending.csv", "Poland,POL,2014,1.88,", "Poland,POL,2014,-1.88,")
    assert "row 2, field 'pct_gdp': -1.88 is below the minimum 0" in _error("defence_spending")


def test_pattern(course_copy):
    _rewrite(course_copy / "regions.csv", ",BEL,", ",be,")
    message = _error("regions")
    assert "regions.csv, row" in message and "field 'iso3'" in message and "'be'" in message


def test_unique_field(course_copy):
    _rewrite(course_copy / "nato_members.csv", "Sweden,SWE", "Finland,SWE")
    message = _error("nato_members")
    assert "row 33, field 'country': 'Finland' appears twice" in message


def test_broken_foreign_key(course_copy):
    _rewrite(course_copy / "efp_contributors.csv", "SVK,Portugal,PRT,", "SVK,Portugal,PRX,")
    message = _error("efp_contributors")
    assert "efp_contributors.csv, row" in message and "iso3='PRX' is not in nato_members.iso3" in message


def test_unknown_source_key_is_caught_at_load(course_copy):
    _rewrite(course_copy / "enlargements.csv", "anews-2024-sweden", "anews-2024-swedn")
    message = _error("enlargements")
    assert "field 'source': 'anews-2024-swedn' is not a key in sources.csv" in message
    assert "Did you mean 'anews-2024-sweden'?" in message


def test_integer_written_as_decimal(course_copy):
    _rewrite(course_copy / "operations.csv", ",49000,", ",49000.0,")
    with pytest.raises(data.DataError, match=r"field 'peak_strength': '49000\.0' is not a whole number"):
        data.load("operations")


def test_integer_too_large_for_the_column_is_a_data_error_not_a_traceback(course_copy):
    _rewrite(course_copy / "operations.csv", ",49000,", ",99999999999999999999999,")
    for validate in (False, True):
        with pytest.raises(data.DataError, match=r"operations\.csv, row \d+, field 'peak_strength': "
                                                 r"'99999999999999999999999' is not a whole number that fits in 64"):
            data.load("operations", validate=validate)


def test_impossible_date_is_named_as_such(course_copy):
    _rewrite(course_copy / "enlargements.csv", "1982-05-30", "1982-02-30")
    with pytest.raises(data.DataError, match=r"'1982-02-30' is not a valid calendar date"):
        data.load("enlargements")


def test_truncated_file_is_caught(course_copy):
    path = course_copy / "defence_spending.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-5]), encoding="utf-8")  # cut at a row boundary: every row still parses
    message = _error("defence_spending")
    assert "defence_spending.csv" in message and "shorter" in message and "last row is row" in message
    assert len(data.load("defence_spending")) == len(lines) - 6  # the unvalidated load cannot tell


def test_hand_edit_of_a_valid_value_is_caught(course_copy):
    _rewrite(course_copy / "defence_spending.csv", "Poland,POL,2014,1.88,", "Poland,POL,2014,1.89,")
    message = _error("defence_spending")
    assert "defence_spending.csv" in message and "edited by hand" in message


def test_unclosed_quote_is_reported_as_such(course_copy):
    _rewrite(course_copy / "enlargements.csv", "anews-2024-sweden,", 'anews-2024-sweden,"an unclosed note')
    with pytest.raises(data.DataError, match=r"enlargements\.csv, row 12 \(line 12\): a quoted value .* never closed"):
        data.load("enlargements")


def test_stray_quote_is_malformed_quoting(course_copy):
    _rewrite(course_copy / "enlargements.csv", "1955,1955-05-06,", '1955,"1955"-05-06,')
    with pytest.raises(data.DataError, match=r"enlargements\.csv, row 4 \(line 4\): malformed quoting"):
        data.load("enlargements")


def test_nul_byte_is_an_error(course_copy):
    path = course_copy / "enlargements.csv"
    path.write_bytes(path.read_bytes().replace(b"1955-05-06", b"1955-05\x0006", 1))
    with pytest.raises(data.DataError, match=r"enlargements\.csv, line 4: the file contains a NUL byte"):
        data.load("enlargements")
