"""check(), normalise() and fingerprint(): answers are graded by fingerprint, never revealed, and never raise."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from alliance_course import exercises
from alliance_course.exercises import (AnswerError, CheckResult, ExerciseSpecError, answer_forms, check, exercise,
                                       fingerprint, normalise, salt_for, solution_fingerprints, validate_spec)


# --- a throw-away course with its own answers.json -------------------------------------------------------------------

class Course:
    """Record exercises the way the build does (record mode), then grade against the answers file."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        self.monkeypatch = monkeypatch
        self.record = root / "record.json"
        (root / "data").mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv("ALLIANCE_COURSE_ROOT", str(root))
        monkeypatch.setenv("ALLIANCE_COURSE_PROGRESS", str(root / "progress.json"))

    def define(self, exercise_id: str, answer, **declaration) -> None:
        self.monkeypatch.setenv(exercises.RECORD_ENV, str(self.record))
        try:
            if declaration:
                exercise(exercise_id, **declaration)
            result = check(exercise_id, answer)
            assert result.status == "correct" and "Recorded" in result.message
        finally:
            self.monkeypatch.delenv(exercises.RECORD_ENV)
        recorded = json.loads(self.record.read_text(encoding="utf-8"))["exercises"]
        document = {"format_version": exercises.FORMAT_VERSION, "exercises": recorded}
        (self.root / "data" / "answers.json").write_text(json.dumps(document), encoding="utf-8")

    def progress(self) -> list[dict]:
        path = self.root / "progress.json"
        return json.loads(path.read_text(encoding="utf-8"))["records"] if path.exists() else []


@pytest.fixture
def course(tmp_path, monkeypatch) -> Course:
    monkeypatch.setattr(exercises.recording, "_active_recorder", None)
    return Course(tmp_path, monkeypatch)


# --- normalisation --------------------------------------------------------------------------------------------------

NUMBER = {"kind": "number", "tolerance": 0}


def test_numbers_of_every_type_normalise_alike():
    forms = {normalise(v, NUMBER) for v in (12, 12.0, np.int64(12), np.float32(12), Decimal("12"), Fraction(24, 2))}
    assert len(forms) == 1


def test_text_folds_case_space_accents_and_edge_punctuation():
    assert normalise("  Türkiye. ", {"kind": "text"}) == normalise("turkiye", {"kind": "text"})
    assert normalise("North\n  Macedonia", {"kind": "text"}) == normalise("north macedonia", {"kind": "text"})
    assert normalise("Czechia", {"kind": "text"}) != normalise("Czech Republic", {"kind": "text"})


def test_sets_ignore_order_and_duplicates_lists_do_not():
    spec = {"kind": "set"}
    assert normalise({"EST", "LVA"}, spec) == normalise(["lva", "EST", "est"], spec)
    assert normalise(pd.Series(["LVA", "EST"]), spec) == normalise(("EST", "LVA"), spec)
    assert normalise([1, 2], {"kind": "list"}) != normalise([2, 1], {"kind": "list"})


def test_tables_compare_values_not_labels():
    spec = validate_spec({"kind": "table"})
    years = pd.Series([1949, 1949, 1952, 2004], name="accession_date")
    counted = years.value_counts()  # index named after the column: it carries the years
    as_frame = counted.rename_axis("year").reset_index(name="n")
    assert normalise(counted, spec) == normalise(as_frame, spec)
    assert normalise(counted.sort_index(), spec) == normalise(counted, spec)
    filtered = pd.DataFrame({"x": [1, 2, 3]}).iloc[[2, 0]]  # leftover row numbers may be read as mere labels
    assert normalise(pd.DataFrame({"y": [3, 1]}), spec) in answer_forms(filtered, spec)
    ordered = {"kind": "table", "ordered": True}
    assert normalise(pd.DataFrame({"y": [1, 3]}), ordered) not in answer_forms(filtered, ordered)


def test_table_cells_missing_values_and_dates():
    spec = {"kind": "table", "tolerance": 0.5}
    left = pd.DataFrame({"d": pd.to_datetime(["2004-03-29"]), "v": [np.nan], "n": pd.array([pd.NA], "Int64")})
    right = pd.DataFrame({"d": [pd.Timestamp("2004-03-29")], "v": [None], "n": [None]})
    assert normalise(left, spec) == normalise(right, spec)


@pytest.mark.parametrize("spec, problem", [
    ({"kind": "colour"}, "kind must be one of"),
    ({"kind": "number", "tolerance": -1}, "tolerance must be a number"),
    ({"kind": "number", "tolerance": float("nan")}, "tolerance must be a number"),
    ({"kind": "text", "tolerance": 1}, "takes no tolerance"),
    ({"kind": "list", "ordered": True}, "only a table"),
    ({"kind": "number", "colour": 1}, "unknown spec field"),
])
def test_bad_specs_are_named(spec, problem):
    with pytest.raises(ExerciseSpecError, match=problem):
        validate_spec(spec)


@pytest.mark.parametrize("answer, kind, message", [
    ("12", "number", "Remove the quotes"),
    (True, "number", "expects a number"),
    (pd.Series([12, 13]), "number", ".iloc[0]"),
    (None, "number", "forget to `return`"),
    (float("nan"), "number", "NaN"),
    (10**5000, "number", "astronomically large"),
    (12, "text", "expects text"),
    ("ABC", "set", "Put the items in a set"),
    ({"a", "b"}, "list", "a set has no order"),
    ({"a": 1}, "set", "dictionary"),
    ("True", "bool", "Remove the quotes"),
    ([1, 2], "table", "expects a table"),
    ([object()], "list", "cannot compare"),
], ids=lambda value: type(value).__name__ if not isinstance(value, str) else value[:12])
def test_wrong_kinds_get_a_message_for_the_learner(answer, kind, message):
    with pytest.raises(AnswerError) as info:
        normalise(answer, {"kind": kind})
    assert message in str(info.value)


def test_salt_makes_fingerprints_differ_between_exercises():
    assert salt_for("00.1") != salt_for("00.2")
    assert fingerprint(12, NUMBER, salt_for("00.1")) != fingerprint(12, NUMBER, salt_for("00.2"))
    assert len(fingerprint(12, NUMBER, "s")) == 64


# --- properties -----------------------------------------------------------------------------------------------------

TOLERANCES = st.sampled_from([0.001, 0.01, 0.5, 1, 2.5, 100])


@given(c=st.floats(-1e9, 1e9), t=TOLERANCES, d=st.floats(-1, 1))
def test_every_answer_within_the_tolerance_is_accepted(c, t, d):
    a = c + d * t
    assume(abs(Fraction(a) - Fraction(c)) <= Fraction(str(t)))
    spec = {"kind": "number", "tolerance": t}
    assert fingerprint(a, spec, "s") in solution_fingerprints(c, spec, "s")


@given(c=st.floats(-1e9, 1e9), t=TOLERANCES, d=st.floats(2, 1e6))
def test_no_answer_twice_the_tolerance_away_is_accepted(c, t, d):
    a = c + d * t if d % 2 < 1 else c - d * t
    assume(abs(Fraction(a) - Fraction(c)) >= 2 * Fraction(str(t)))
    spec = {"kind": "number", "tolerance": t}
    assert fingerprint(a, spec, "s") not in solution_fingerprints(c, spec, "s")


def test_the_rounding_boundary_case():
    spec = {"kind": "number", "tolerance": 0.01}
    accepted = solution_fingerprints(3.145, spec, "s")  # exactly on a rounding boundary
    for near in (3.1449, 3.1451, 3.1499, 3.1401, 3.15):
        assert fingerprint(near, spec, "s") in accepted, near
    for far in (3.17, 3.12):
        assert fingerprint(far, spec, "s") not in accepted, far


WORDS = st.text(alphabet=st.characters(categories=["Lu", "Ll", "Nd"], max_codepoint=0x7F), min_size=1, max_size=12)


@given(words=st.lists(WORDS, min_size=1, max_size=5), pads=st.lists(st.sampled_from([" ", "  ", "\t", "\n"]),
                                                                      min_size=6, max_size=6))
def test_text_ignores_case_and_spacing(words, pads):
    plain = " ".join(words)
    messy = pads[0] + pads[1].join(w.swapcase() for w in words) + pads[2]
    assert normalise(messy, {"kind": "text"}) == normalise(plain, {"kind": "text"})


@given(items=st.lists(st.one_of(WORDS, st.integers(-10**6, 10**6)), min_size=1, max_size=20), seed=st.randoms())
def test_sets_ignore_order_and_repetition(items, seed):
    shuffled = items + items[: len(items) // 2]
    seed.shuffle(shuffled)
    assert normalise(shuffled, {"kind": "set"}) == normalise(set(items), {"kind": "set"})


class Hostile:
    """An answer that fails at everything a checker might try."""

    def __len__(self):
        raise RuntimeError("no len")

    def __iter__(self):
        raise RuntimeError("no iter")

    def __eq__(self, other):
        raise RuntimeError("no eq")

    __hash__ = object.__hash__

    def __repr__(self):
        raise RuntimeError("no repr")


ANYTHING = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=10**400, max_value=10**500),
              st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=50), st.binary(max_size=10),
              st.just(...), st.builds(Hostile), st.decimals(allow_nan=True), st.complex_numbers()),
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.tuples(inner, inner),
                            st.dictionaries(st.text(max_size=3), inner, max_size=3),
                            st.frozensets(st.one_of(st.integers(), st.text(max_size=5)), max_size=4)),
    max_leaves=12)


@pytest.fixture
def every_kind(course):
    course.define("09.1", 12)
    course.define("09.2", 3.5, tolerance=0.1)
    course.define("09.3", "Sweden")
    course.define("09.4", {"EST", "LVA"})
    course.define("09.5", [1952, 1955])
    course.define("09.6", pd.Series([12, 2], index=pd.Index([1949, 1952], name="year")))
    course.define("09.7", False)
    return course


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answer=ANYTHING)
def test_check_never_raises(every_kind, answer):
    for number in range(1, 8):
        result = check(f"09.{number}", answer)
        assert isinstance(result, CheckResult)
        expected = {"unanswered"} if answer is Ellipsis else {"correct", "not_yet"}
        assert result.status in expected, (number, result)
        assert repr(result) and result._repr_markdown_()


def test_check_survives_odd_tables_and_huge_inputs(every_kind):
    odd = [
        pd.DataFrame(),
        pd.DataFrame({"a": [object()]}),
        pd.DataFrame({"a": range(exercises.MAX_ITEMS + 1)}),
        pd.DataFrame({"a": [1.0, np.inf]}),
        pd.Series([1, 2], index=pd.MultiIndex.from_tuples([(1, "a"), (2, "b")])),
        np.arange(6).reshape(2, 3),
        iter(range(10**9)),
        "x" * (exercises.MAX_TEXT + 1),
        Hostile(),
    ]
    for answer in odd:
        for number in range(1, 8):
            result = check(f"09.{number}", answer)
            assert result.status == "not_yet", (number, type(answer), result)


# --- grading --------------------------------------------------------------------------------------------------------

def test_correct_wrong_hinted_and_unanswered(course):
    course.define("04.2", 26, hint="Count the members.", hints={32: "That is every member."})
    assert check("04.2", 26).status == "correct"
    assert check("04.2", 26.0).correct
    hinted = check("04.2", 32)
    assert hinted.status == "not_yet" and hinted.message == "Not yet — hint: That is every member."
    general = check("04.2", 27)
    assert general.message == "Not yet — hint: Count the members."
    unanswered = check("04.2", ...)
    assert unanswered.status == "unanswered" and unanswered.message.startswith("Not answered yet")


def test_tolerance_and_also_accept(course):
    course.define("04.3", 0.55, tolerance=0.01, also_accept=[55])
    assert check("04.3", 0.551).correct
    assert check("04.3", 55).correct
    assert not check("04.3", 0.6).correct


def test_hints_can_be_keyed_to_unhashable_wrong_answers(course):
    right = pd.Series([12, 2], index=pd.Index([1949, 1952], name="year"))
    course.define("04.4", right, hints=[(right.cumsum(), "That is the running total.")])
    assert check("04.4", right.reset_index()).correct
    assert check("04.4", right.cumsum()).message == "Not yet — hint: That is the running total."


def test_without_hint_a_wrong_answer_gets_a_plain_not_yet(course):
    course.define("04.5", "Sweden")
    result = check("04.5", "Finland")
    assert result.status == "not_yet" and "Sweden" not in repr(result)


def test_results_show_as_text_and_markdown(course):
    course.define("04.1", 3)
    result = check("04.1", 3)
    assert repr(result) == str(result) == "✓ Exercise 04.1: Correct. Well done!"
    assert result._repr_markdown_() == "**✓ Exercise `04.1`** — Correct. Well done!"
    assert repr(check("04.1", 4)).startswith("✗ Exercise 04.1: Not yet")
    assert repr(check("04.1", ...)).startswith("○ Exercise 04.1: Not answered yet")


def test_unknown_exercises_are_named_with_the_known_ones(course):
    course.define("04.1", 3)
    course.define("04.2", 4)
    result = check("04.9", 3)
    assert result.status == "unknown_exercise"
    assert "'04.9'" in result.message and "04.1, 04.2" in result.message
    assert check(4.2, 3).status == "unknown_exercise"
    assert check("four", 3).status == "unknown_exercise"


def test_odd_exercise_ids_are_unknown_exercises_not_crashes(course):
    class Unprintable:
        def __str__(self):
            raise RuntimeError("no str")

        __repr__ = __str__

    for odd in (10**5000, Unprintable(), None, b"04.1", "04.1" * 10_000):
        result = check(odd, 3)
        assert result.status == "unknown_exercise" and len(repr(result)) < 200, result


def test_missing_or_damaged_answers_file(course):
    (course.root / "data" / "answers.json").unlink(missing_ok=True)
    result = check("04.1", 3)
    assert result.status == "unknown_exercise" and "make exercises" in result.message
    (course.root / "data" / "answers.json").write_text("{broken", encoding="utf-8")
    assert "cannot be read" in check("04.1", 3).message
    damaged = {"format_version": 1, "exercises": {"04.1": {"spec": {"kind": "number"}, "salt": "s"}}}
    (course.root / "data" / "answers.json").write_text(json.dumps(damaged), encoding="utf-8")
    result = check("04.1", 3)
    assert result.status == "unknown_exercise" and "accepted fingerprints" in result.message


def test_graded_attempts_are_saved_in_progress_unanswered_ones_are_not(course):
    course.define("04.2", 26)
    check("04.2", ...)
    assert course.progress() == []
    check("04.2", 25)
    check("04.2", 26)
    (entry,) = course.progress()
    assert (entry["kind"], entry["notebook"], entry["item"]) == ("exercise", "04", "04.2")
    assert entry["attempts"] == 2 and entry["first_try_correct"] is False and entry["ever_correct"] is True


def test_a_failing_progress_store_never_breaks_a_check(course, monkeypatch):
    from alliance_course import progress

    course.define("04.2", 26)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(progress.store, "record", broken)
    monkeypatch.setattr(exercises.checking, "_progress_note_shown", False)
    first = check("04.2", 26)
    assert first.correct and "could not be saved" in first.message and "disk full" in first.message
    assert check("04.2", 26).message == "Correct. Well done!"  # told once, not every time


def test_the_answers_file_holds_no_answer(course):
    course.define("04.5", "Panzerbrigade", hints={"Eurocorps": "Not that one."})
    text = (course.root / "data" / "answers.json").read_text(encoding="utf-8")
    assert "panzerbrigade" not in text.casefold() and "eurocorps" not in text.casefold()


# --- record mode (what the build does) ------------------------------------------------------------------------------

def test_record_mode_rejects_wrong_declarations(course, monkeypatch):
    monkeypatch.setenv(exercises.RECORD_ENV, str(course.root / "r.json"))
    with pytest.raises(ExerciseSpecError, match="not a whole number"):
        check("05.1", 0.5)
    exercise("05.2", tolerance=1, hints={10.5: "close"})
    with pytest.raises(ExerciseSpecError, match="counts as correct"):
        check("05.2", 10)
    with pytest.raises(ExerciseSpecError, match="must compute the real answer"):
        check("05.3", ...)
    check("05.4", 1)
    with pytest.raises(ExerciseSpecError, match="checked twice"):
        check("05.4", 1)
    with pytest.raises(ExerciseSpecError, match="not of the form"):
        check("5.4", 1)
    with pytest.raises(ExerciseSpecError, match="cannot tell the kind"):
        check("05.5", object())
    exercise("05.6", kind="number")
    with pytest.raises(ExerciseSpecError, match="does not fit kind 'number'"):
        check("05.6", "twelve")
    with pytest.raises(ExerciseSpecError, match="hints must map"):
        exercise("05.7", hints=[("only one",)])


def test_exercise_declarations_do_nothing_outside_the_build(course, monkeypatch):
    monkeypatch.delenv(exercises.RECORD_ENV, raising=False)
    exercise("05.8", kind="number", hints={1: "hint"})  # no file, no error
    assert not (course.root / "record.json").exists()


def test_declaring_after_the_check_works_too(course, monkeypatch):
    record = course.root / "late.json"
    monkeypatch.setenv(exercises.RECORD_ENV, str(record))
    check("05.9", 7)
    exercise("05.9", hint="later")
    entry = json.loads(record.read_text(encoding="utf-8"))["exercises"]["05.9"]
    assert entry["hint"] == "later" and len(entry["accept"]) == 1


def test_nan_cells_inside_collections_count_as_missing():
    assert normalise([1.0, float("nan")], {"kind": "list"}) == normalise([1, None], {"kind": "list"})
    assert normalise([1.0, np.float32("nan")], {"kind": "list"}) == normalise([1, pd.NA], {"kind": "list"})
