"""Every check accepts every equivalent form of a right answer, and still refuses wrong ones.

The reference answers come from the solution notebooks themselves: each is executed once, in this process, in the
build's record mode (``ALLIANCE_COURSE_RECORD``, see ``solution_answers.py``), which keeps the raw answer of every
``check(...)`` and the hinted wrong answers of every ``exercise(...)``. Each answer is then rewritten into forms a
learner could reasonably give
(other Python/numpy/pandas types, row and column orders, indexes named or not, years as text, dates as ISO strings,
categorical zero rows, ``count`` instead of ``size`` ...) and graded by ``check`` against the shipped
``data/answers.json``, for every exercise. Hypothesis runs derandomized, so the examples are the same on every run.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance_course import exercises, paths
from alliance_course.exercises import check
from solution_answers import run_solutions

ROOT = paths.course_root()
ENTRIES = json.loads((ROOT / "data" / "answers.json").read_text(encoding="utf-8"))["exercises"]
IDS = sorted(ENTRIES)
EXAMPLES = 30  # per exercise


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> exercises.recording._Recorder:
    recorder = run_solutions(tmp_path_factory.mktemp("record") / "record.json")
    assert set(recorder.answers) == set(ENTRIES), "answers.json and the solutions disagree: run `make exercises`"
    return recorder


@pytest.fixture(autouse=True)
def scratch_progress(tmp_path, monkeypatch):
    monkeypatch.setenv("ALLIANCE_COURSE_PROGRESS", str(tmp_path / "progress.json"))
    monkeypatch.delenv(exercises.RECORD_ENV, raising=False)


# --- equivalent forms -----------------------------------------------------------------------------------------------

def _number_forms(draw, value, tolerance: float):
    exact = Fraction(value)
    forms = [float(value), np.float64(value), Decimal(float(value)), Fraction(float(value)), np.array(value),
             pd.Series([value]), np.array([value]), [value], pd.array([float(value)], dtype="Float64")[0]]
    if exact.denominator == 1:
        whole = int(exact)
        forms += [whole, np.int64(whole), np.int32(whole) if abs(whole) < 2**31 else whole, np.float32(whole),
                  pd.array([whole], dtype="Int64")[0], np.uint64(whole) if whole >= 0 else whole]
    if tolerance > 0:  # anything strictly within the tolerance, computed another way
        offset = draw(st.floats(min_value=-0.99 * tolerance, max_value=0.99 * tolerance))
        forms += [float(value) + offset, np.float64(float(value) + offset)]
        if abs(float(np.float32(value)) - float(value)) < tolerance / 10:
            forms.append(np.float32(value))
    return draw(st.sampled_from(forms))


def _text_forms(draw, value: str):
    change = draw(st.sampled_from([str.upper, str.lower, str.title, lambda s: s]))
    pad = draw(st.sampled_from(["", " ", "  ", "\t", "\n"]))
    end = draw(st.sampled_from(["", ".", " !"]))
    text = pad + change(value) + pad + end
    return draw(st.sampled_from([text, np.str_(text), pd.Series([text]), np.array([text]), pd.Index([text]),
                                 [text], (text,)]))


def _item_forms(draw, item):
    if isinstance(item, str):
        return draw(st.sampled_from([item, item.lower(), item.upper(), np.str_(item), f" {item} "]))
    if isinstance(item, (int, np.integer)) and not isinstance(item, (bool, np.bool_)):
        return draw(st.sampled_from([int(item), np.int64(item), float(item), str(int(item))]))
    return item


def _collection_forms(draw, items: list, ordered: bool):
    items = [_item_forms(draw, item) for item in items]
    if not ordered:
        items = draw(st.permutations(items))
        if items and draw(st.booleans()):
            items = items + [items[0]]  # a repeated item: a set ignores repetition
    index = draw(st.sampled_from([None, "reversed", "text"]))
    labels = (None if index is None else list(range(len(items), 0, -1)) if index == "reversed"
              else [f"r{i}" for i in range(len(items))])
    forms = [list(items), tuple(items), np.array(items, dtype=object), pd.Series(items, index=labels, dtype=object),
             pd.Index(items, dtype=object), pd.DataFrame({"whatever": items}, index=labels)]
    if not ordered:
        forms += [set(items), frozenset(items), dict.fromkeys(items).keys()]
    return draw(st.sampled_from(forms))


def _as_frame(answer) -> pd.DataFrame:
    frame = answer.to_frame() if isinstance(answer, pd.Series) else answer.copy()
    frame.columns = [f"c{i}" for i in range(frame.shape[1])]
    return frame


def _key_forms(draw, index: pd.Index) -> pd.Index:
    """The same keys in another type: text, Python dates, ISO strings, datetime64, categorical."""
    name = draw(st.sampled_from([index.name, None, "key", "something else"]))
    if pd.api.types.is_datetime64_any_dtype(index):
        kind = draw(st.sampled_from(["iso", "iso-time", "date", "datetime", "numpy", "same"]))
        values = {"iso": [d.strftime("%Y-%m-%d") for d in index],
                  "iso-time": [d.isoformat() for d in index],
                  "date": [date(d.year, d.month, d.day) for d in index],
                  "datetime": [datetime(d.year, d.month, d.day) for d in index],
                  "numpy": list(index.to_numpy()),
                  "same": list(index)}[kind]
        return pd.Index(values, name=name, dtype=object if kind != "same" else None)
    if pd.api.types.is_integer_dtype(index):
        kind = draw(st.sampled_from(["text", "float", "same", "categorical"]))
        values = {"text": index.astype(str), "float": index.astype(float), "same": index,
                  "categorical": pd.CategoricalIndex(index)}[kind]
        return pd.Index(values, name=name)
    kind = draw(st.sampled_from(["same", "upper", "categorical"]))
    values = {"same": index, "upper": index.str.upper() if index.dtype == object else index,
              "categorical": pd.CategoricalIndex(index)}[kind]
    return pd.Index(values, name=name)


def _table_forms(draw, answer, ordered: bool):
    """A table rewritten the ways a learner might produce it; rows keep their data, labels do not matter."""
    frame = _as_frame(answer)
    single_key = frame.index.nlevels == 1
    if single_key:
        frame.index = _key_forms(draw, frame.index)
    if not ordered:
        frame = frame.iloc[draw(st.permutations(range(len(frame))))]
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    for column in numeric:
        change = draw(st.sampled_from(["same", "float", "nullable"]))
        if change == "float":
            frame[column] = frame[column].astype(float)
        elif change == "nullable" and pd.api.types.is_integer_dtype(frame[column]):
            frame[column] = frame[column].astype("Int64")
    if numeric and draw(st.booleans()):  # groupby().count() gives the count once per column
        frame[f"{numeric[0]} again"] = frame[numeric[0]]
    if (single_key and numeric and not ordered and draw(st.booleans())
            and isinstance(frame.index.dtype, pd.CategoricalDtype)):  # value_counts() keeps unobserved categories
        extra = ["zz-unobserved"] if frame.index.dtype.categories.dtype == object else [-1]
        categories = list(frame.index.dtype.categories) + extra
        zero = pd.DataFrame({c: [0] for c in frame.columns}, index=pd.Index(extra))
        frame = pd.concat([frame, zero.astype(frame.dtypes.to_dict())])
        frame.index = pd.CategoricalIndex(frame.index, categories=categories)
    shape = draw(st.sampled_from(["frame", "reset", "reset-shuffled", "series", "dict"]))
    if shape == "frame":
        columns = draw(st.permutations(list(frame.columns))) if draw(st.booleans()) else list(frame.columns)
        return frame[columns]
    if shape in ("reset", "reset-shuffled"):
        flat = frame.reset_index(names=[f"k{i}" for i in range(frame.index.nlevels)])
        if shape == "reset-shuffled":
            flat = flat[draw(st.permutations(list(flat.columns)))]
        return flat
    if frame.shape[1] == 1:
        series = frame.iloc[:, 0]
        if shape == "series":
            # groupby(c)[c].count(): the Series is named like its index
            return series.rename(draw(st.sampled_from([None, "count", series.index.name])))
        if single_key and not ordered and not isinstance(frame.index.dtype, pd.CategoricalDtype):
            return series.to_dict()
    return frame


def equivalent_form(draw, answer, spec: dict):
    kind = spec["kind"]
    if kind == "number":
        return _number_forms(draw, answer, spec["tolerance"])
    if kind == "bool":
        return draw(st.sampled_from([bool(answer), np.bool_(answer), np.array(answer), np.array([answer]),
                                     pd.Series([answer]), pd.array([answer], dtype="boolean")[0]]))
    if kind == "text":
        return _text_forms(draw, answer)
    if kind in ("set", "list"):
        return _collection_forms(draw, list(answer), ordered=kind == "list")
    return _table_forms(draw, answer, spec["ordered"])


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_solutions_own_answer_is_correct(recorded, exercise_id):
    result = check(exercise_id, recorded.answers[exercise_id])
    assert result.status == "correct", result


@pytest.mark.parametrize("exercise_id", IDS)
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_every_equivalent_form_of_the_answer_is_correct(recorded, exercise_id, data):
    spec = ENTRIES[exercise_id]["spec"]
    form = equivalent_form(data.draw, recorded.answers[exercise_id], spec)
    result = check(exercise_id, form)
    assert result.status == "correct", (type(form).__name__, form, result)


# --- wrong answers stay wrong ---------------------------------------------------------------------------------------

def _mutations(answer, spec: dict) -> list:
    kind = spec["kind"]
    tolerance = spec.get("tolerance", 0)
    if kind == "number":
        step = max(3 * tolerance, 1 if Fraction(answer).denominator == 1 else abs(float(answer)) / 10 or 1)
        return [answer + step, answer - step, -answer - step, answer * 100 + step, answer / 100 - step]
    if kind == "bool":
        return [not answer, np.bool_(not answer)]
    if kind == "text":
        return [answer + " x", answer[:-1] or "x", "something else"]
    if kind == "set":
        items = sorted(answer, key=str)
        return [set(items[1:]), set(items) | {"ZZZ"}, set(items[:-1]) | {"ZZZ"}]
    if kind == "list":
        items = list(answer)
        return [items[:-1], items + [items[0]], list(reversed(items))] if len(items) > 1 else [items + items]
    frame = _as_frame(answer)
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    changed = frame.copy()
    step = max(3 * tolerance, 1)
    changed.iloc[0, frame.columns.get_loc(numeric[0])] += step
    swapped = frame.copy()  # two rows' values exchanged: same columns, wrong pairs
    if len(frame) > 1 and frame[numeric[0]].nunique() > 1:
        values = swapped[numeric[0]].to_numpy().copy()
        first = int(np.argmax(values != values[0]))
        values[[0, first]] = values[[first, 0]]
        swapped[numeric[0]] = values
    wrong = [changed, frame.iloc[1:], frame.reset_index(drop=True), frame[numeric].sum().to_frame()]
    if not swapped.equals(frame):
        wrong.append(swapped)
    if len(frame.columns) > 1:
        wrong.append(frame.drop(columns=numeric[0]))
    return wrong


@pytest.mark.parametrize("exercise_id", IDS)
def test_wrong_answers_stay_wrong(recorded, exercise_id):
    spec = ENTRIES[exercise_id]["spec"]
    declared = recorded.declared.get(exercise_id)
    hinted = [(wrong, text) for wrong, text in (declared.hints if declared else [])]
    for wrong in _mutations(recorded.answers[exercise_id], spec):
        result = check(exercise_id, wrong)
        assert result.status == "not_yet", (wrong, result)
    for wrong, text in hinted:  # every hinted wrong answer is refused, with its own hint
        result = check(exercise_id, wrong)
        assert result.status == "not_yet" and text in result.message, (wrong, result)


def test_a_checker_bug_is_reported_as_a_bug_not_as_not_yet(monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("a bug in the checker")

    monkeypatch.setattr(exercises.checking, "answer_fingerprints", broken)
    progress = Path(os.environ["ALLIANCE_COURSE_PROGRESS"])
    result = check(IDS[0], 12)
    assert result.status == "check_failed" and "Not yet" not in result.message
    assert "bug in the course" in result.message and "report" in result.message
    assert str(result).startswith("⚠") and not progress.exists(), "a broken check is not the learner's attempt"



# --- the answers the reviewers' learners gave (lessons-00-03, 04-06, 07-09 reviews), written as learners write them

def _natural_answers() -> list[tuple[str, str, object]]:
    from alliance_course import data

    members = data.load("nato_members")
    years = members["accession_date"].dt.year
    by_year = members.assign(year=years)
    per_year = years.value_counts()
    lists = data.load("coalition_lists")
    iraq = lists[lists["case_id"] == "iraq-2003"]
    added = iraq.groupby("first_listed").size()
    coding = data.load("coalition_coding").merge(data.load("coalitions")[["case_id", "kind"]], on="case_id")
    purpose = coding[coding["dimension"] == "purpose"]
    efp = data.load("efp_contributors")
    in_2017 = efp[(efp["role"] == "contributor") & (efp["start_year"] <= 2017)]
    positions = data.load("positions")
    debate = positions[positions["seed"].isin(["seed-000", "seed-001", "seed-003", "seed-004"])]
    return [
        ("00.6", "numpy boolean from .all()", (years[years > 1949].value_counts() >= 2).all()),
        ("01.4", "numpy boolean from a comparison",
         purpose.loc[purpose["kind"] == "coalition", "score"].min()
         > purpose.loc[purpose["kind"] == "alliance", "score"].max()),
        ("00.4", "value_counts()", per_year),
        ("00.4", "DataFrame (count, year)", per_year.rename_axis("year").reset_index(name="n")[["n", "year"]]),
        ("00.4", "years as text in the index", per_year.rename(index=str)),
        ("00.4", "Series(Counter(years))", pd.Series(__import__("collections").Counter(years))),
        ("00.4", "dict of counts", dict(__import__("collections").Counter(years))),
        ("00.4", "groupby(c)[c].count()", by_year.groupby("year")["year"].count()),
        ("03.5", "DataFrame (n, date)", added.reset_index(name="n")[["n", "first_listed"]]),
        ("03.5", "dates as ISO text", added.rename(index=lambda day: day.strftime("%Y-%m-%d"))),
        ("03.5", "value_counts()", iraq["first_listed"].value_counts()),
        ("03.5", "groupby(c)[c].count()", iraq.groupby("first_listed")["first_listed"].count()),
        ("06.2", "value_counts()", in_2017["host_iso3"].value_counts()),
        ("06.2", "groupby(c)[c].count()", in_2017.groupby("host_iso3")["host_iso3"].count()),
        ("08.4", "categorical value_counts() with a zero row", debate["seed"].value_counts()),
        ("08.4", "groupby(observed=False).size()", debate.groupby("seed", observed=False).size()),
    ]


NATURAL = _natural_answers()


@pytest.mark.parametrize("exercise_id, form, answer", NATURAL, ids=[f"{e} {f}" for e, f, _ in NATURAL])
def test_the_answers_the_reviews_found_refused_are_accepted(exercise_id, form, answer):
    result = check(exercise_id, answer)
    assert result.status == "correct", (form, result)


@pytest.mark.parametrize("exercise_id, transform", [
    ("04.5", lambda pct: pct.rename(index=lambda day: day.strftime("%Y-%m-%d"))),
    ("04.5", lambda pct: pct.reset_index()[["partner_pct", "as_of"]]),
    ("07.4", lambda table: table.reset_index()[["rho", "year", "allies"]]),
    ("07.4", lambda table: table.rename(index=str)[["rho", "allies"]]),
], ids=["04.5 ISO dates", "04.5 swapped columns", "07.4 swapped columns", "07.4 year as text"])
def test_swapped_columns_and_dates_as_text_are_accepted(recorded, exercise_id, transform):
    result = check(exercise_id, transform(recorded.answers[exercise_id]))
    assert result.status == "correct", result


@pytest.mark.parametrize("answer, message", [
    (np.timedelta64(5, "D"), "`.days`"),
    (pd.Timedelta(days=5), "`.days`"),
    ("5.5", "Remove the quotes"),
    (pd.Series([5.5, 6.0]), ".iloc[0]"),
    (Decimal("1e9999999"), "astronomically"),
])
def test_wrong_types_get_a_clear_message(answer, message):
    result = check("09.2", answer)
    assert result.status == "not_yet" and message in result.message, result
