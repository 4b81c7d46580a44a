"""Tests for ``alliance_course.data``: typed loading, caching, citations and clear errors."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import socket
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance_course import data
from alliance_course.paths import ROOT_ENV, data_dir

PACKAGE = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))
NAMES = [resource["name"] for resource in PACKAGE["resources"]]
PRESENT = [name for name in NAMES if (data_dir() / f"{name}.csv").exists()]


@pytest.fixture(autouse=True)
def fresh_cache():
    data.clear_cache()
    yield
    data.clear_cache()


def _schema(name: str) -> dict:
    return json.loads((data_dir() / "schemas" / f"{name}.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- types


@pytest.mark.parametrize("name", PRESENT)
def test_dtypes_follow_the_schema(name):
    frame = data.load(name)
    fields = _schema(name)["fields"]
    assert list(frame.columns) == [field["name"] for field in fields]
    for field in fields:
        column = frame[field["name"]]
        enum = (field.get("constraints") or {}).get("enum")
        kind = field.get("type", "string")
        where = f"{name}.{field['name']}"
        if enum is not None:
            assert isinstance(column.dtype, pd.CategoricalDtype), where
            assert [str(c) for c in column.cat.categories] == [str(v) for v in enum], where
        elif kind == "date":
            assert pd.api.types.is_datetime64_dtype(column), where
        elif kind == "integer":
            assert column.dtype == "Int64", where
        elif kind == "number":
            assert column.dtype == "float64", where
        elif kind == "boolean":
            assert column.dtype == "boolean", where
        else:
            assert column.dtype == "string", where


def test_nato_members_values_are_parsed():
    members = data.load("nato_members")
    sweden = members.set_index("iso3").loc["SWE"]
    assert sweden["accession_date"] == pd.Timestamp("2024-03-07")
    assert sweden["enlargement_year"] == 2024
    assert bool(sweden["founding_member"]) is False
    assert members["founding_member"].sum() == 12
    assert not members.loc[members["iso3"] == "ISL", "armed_forces"].item()
    assert members.loc[members["iso3"] != "ISL", "armed_forces"].all()


def test_loads_from_another_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(data.load("nato_members")) == 32


def test_loading_needs_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("data.load tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for name in PRESENT:
        data.load(name)


# --------------------------------------------------------------------------- cache


def test_load_returns_a_copy_the_caller_cannot_corrupt():
    first = data.load("nato_members")
    first.loc[0, "country"] = "Atlantis"
    del first["iso3"]
    second = data.load("nato_members")
    assert "iso3" in second.columns
    assert second.loc[0, "country"] == "Belgium"
    assert second is not data.load("nato_members")


def test_cache_reads_each_file_once(monkeypatch):
    calls: list[str] = []
    original = data.reading._read

    def counting(resource):
        calls.append(resource.name)
        return original(resource)

    monkeypatch.setattr(data.reading, "_read", counting)
    data.load("enlargements")
    data.load("enlargements")
    assert calls == ["enlargements"]


# --------------------------------------------------------------------------- listing and citing


def test_tables_lists_every_resource_with_one_line():
    listed = data.tables()
    assert list(listed) == NAMES
    for name, description in listed.items():
        assert description.strip(), name
        assert "\n" not in description, name


def test_unknown_table_lists_valid_names():
    with pytest.raises(KeyError) as caught:
        data.load("nato_member")
    message = str(caught.value)
    assert isinstance(caught.value, data.UnknownTableError)
    assert "'nato_member'" in message
    assert "Did you mean 'nato_members'" in message
    for name in NAMES:
        assert name in message


def test_unknown_table_in_cite_is_the_same_error():
    with pytest.raises(data.UnknownTableError):
        data.cite("no_such_table")


def test_cite_gives_the_dataset_licence_and_full_sources():
    text = data.cite("nato_members")
    assert text.startswith("NATO member countries.")
    assert "Creative Commons Attribution 4.0" in text
    # A row cites the key dod-1999-accession; the citation, not the key, must appear.
    assert "Poles, Hungarians, Czechs Join NATO Fold" in text
    assert "dod-1999-accession" not in text


def test_source_lookup_and_unknown_source():
    entry = data.source("nato-treaty-1949")
    assert "North Atlantic Treaty" in entry["citation"]
    with pytest.raises(data.UnknownSourceError) as caught:
        data.source("nato-treaty-1948")
    assert "nato-treaty-1949" in str(caught.value)  # a close match is suggested
    assert isinstance(caught.value, KeyError)


def test_sources_is_the_bibliography_table():
    table = data.sources()
    assert table["source_id"].is_unique
    assert {"seed-000", "seed-002"} <= set(table["source_id"])


@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-:/.", min_size=1), max_size=5))
def test_split_sources_inverts_the_join(keys):
    assert data.split_sources("; ".join(keys)) == keys


def test_split_sources_of_missing_values():
    assert data.split_sources(None) == []
    assert data.split_sources(pd.NA) == []
    assert data.split_sources("") == []


# --------------------------------------------------------------------------- broken files


@pytest.fixture
def course_copy(tmp_path, monkeypatch):
    """A copy of data/ under a temporary course root that the test may break."""
    shutil.copytree(data_dir(), tmp_path / "data", ignore=shutil.ignore_patterns("quizzes"))
    monkeypatch.setenv(ROOT_ENV, str(tmp_path))
    data.clear_cache()
    return tmp_path / "data"


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_missing_csv_is_named(course_copy):
    (course_copy / "enlargements.csv").unlink()
    with pytest.raises(data.DataError, match=r"'enlargements'.*enlargements\.csv.*missing"):
        data.load("enlargements")


def test_bad_date_names_file_row_and_field(course_copy):
    _rewrite(course_copy / "nato_members.csv", "2024-03-07", "7 March 2024")
    with pytest.raises(data.DataError) as caught:
        data.load("nato_members")
    message = str(caught.value)
    assert "nato_members.csv" in message
    assert "row 33" in message
    assert "'accession_date'" in message
    assert "'7 March 2024'" in message


def test_bad_integer_and_boolean(course_copy):
    _rewrite(course_copy / "enlargements.csv", "1,32,Sweden", "1.5,32,Sweden")
    with pytest.raises(data.DataError, match=r"row 12, field 'new_members'.*whole number"):
        data.load("enlargements")
    _rewrite(course_copy / "nato_members.csv", "2024,false,true", "2024,no,true")
    with pytest.raises(data.DataError, match=r"field 'founding_member'.*'no' is not true or false"):
        data.load("nato_members")


def test_header_mismatch_is_explained(course_copy):
    _rewrite(course_copy / "enlargements.csv", "members_after", "total")
    with pytest.raises(data.DataError) as caught:
        data.load("enlargements")
    message = str(caught.value)
    assert "missing members_after" in message
    assert "not in the schema total" in message


def test_ragged_row_is_reported(course_copy):
    _rewrite(course_copy / "enlargements.csv", "1955,1955-05-06,1,15,", "1955,1955-05-06,1,15,extra,")
    with pytest.raises(data.DataError, match=r"row 4: 8 values for 7 columns"):
        data.load("enlargements")


def test_empty_required_cell(course_copy):
    _rewrite(course_copy / "nato_members.csv", "Sweden,SWE", "Sweden,")
    with pytest.raises(data.DataError, match=r"row 33, field 'iso3': a value is required"):
        data.load("nato_members")


def test_duplicate_primary_key(course_copy):
    _rewrite(course_copy / "nato_members.csv", "Sweden,SWE", "Sweden,FIN")
    with pytest.raises(data.DataError, match=r"two rows share the primary key \(iso3=FIN\)"):
        data.load("nato_members")


def test_broken_package_json(course_copy):
    (course_copy / "datapackage.json").write_text('{"resources": [', encoding="utf-8")
    with pytest.raises(data.DataError, match=r"datapackage\.json is not valid JSON.*line 1"):
        data.tables()


def test_missing_package(course_copy):
    (course_copy / "datapackage.json").unlink()
    with pytest.raises(data.DataError, match=ROOT_ENV):
        data.load("nato_members")


def test_byte_order_mark_is_tolerated(course_copy):
    path = course_copy / "enlargements.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert list(data.load("enlargements")["year"])[:2] == [1949, 1952]


def test_not_utf8_is_reported(course_copy):
    path = course_copy / "nato_members.csv"
    path.write_bytes(path.read_bytes().replace("Türkiye".encode("utf-8"), "Türkiye".encode("latin-1")))
    with pytest.raises(data.DataError, match=r"nato_members\.csv is not UTF-8"):
        data.load("nato_members")


def test_edited_file_is_reloaded(course_copy):
    assert data.load("enlargements")["note"].iloc[-1] is pd.NA
    path = course_copy / "enlargements.csv"
    _rewrite(path, "anews-2024-sweden,", "anews-2024-sweden,Edited note for this test")
    assert data.load("enlargements")["note"].iloc[-1] == "Edited note for this test"


# --------------------------------------------------------------------------- round trip (property)

ENUM = ["alpha", "beta", "gamma"]
ROWS = st.lists(
    st.tuples(
        st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2100, 12, 31)),
        st.one_of(st.none(), st.integers(min_value=-(10**12), max_value=10**12)),
        st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, width=32)),
        st.one_of(st.none(), st.booleans()),
        st.one_of(st.none(), st.sampled_from(ENUM)),
        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20),
    ),
    min_size=1,
    max_size=15,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS)
def test_round_trip_of_a_generated_table(tmp_path_factory, monkeypatch, rows):
    root = tmp_path_factory.mktemp("course")
    (root / "data" / "schemas").mkdir(parents=True)
    fields = [
        {"name": "when", "type": "date"},
        {"name": "count", "type": "integer"},
        {"name": "share", "type": "number"},
        {"name": "flag", "type": "boolean", "trueValues": ["true"], "falseValues": ["false"]},
        {"name": "level", "type": "string", "constraints": {"enum": ENUM}},
        {"name": "label", "type": "string", "constraints": {"required": True}},
    ]
    (root / "data" / "schemas" / "t.json").write_text(json.dumps({"fields": fields}), encoding="utf-8")
    package = {"resources": [{"name": "t", "path": "t.csv", "schema": "schemas/t.json"}]}
    (root / "data" / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    with (root / "data" / "t.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([field["name"] for field in fields])
        for when, count, share, flag, level, label in rows:
            writer.writerow([
                when.isoformat(),
                "" if count is None else count,
                "" if share is None else repr(share),
                "" if flag is None else str(flag).lower(),
                level or "",
                label,
            ])
    monkeypatch.setenv(ROOT_ENV, str(root))
    data.clear_cache()
    frame = data.load("t")
    assert len(frame) == len(rows)
    for i, (when, count, share, flag, level, label) in enumerate(rows):
        assert frame["when"].iloc[i] == pd.Timestamp(when)
        assert frame["count"].iloc[i] is pd.NA if count is None else frame["count"].iloc[i] == count
        assert pd.isna(frame["share"].iloc[i]) if share is None else frame["share"].iloc[i] == share
        assert frame["flag"].iloc[i] is pd.NA if flag is None else bool(frame["flag"].iloc[i]) is flag
        assert pd.isna(frame["level"].iloc[i]) if level is None else frame["level"].iloc[i] == level
        assert frame["label"].iloc[i] == label
