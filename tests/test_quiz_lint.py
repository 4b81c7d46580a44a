"""Bank lint: no test-wise cues in any bank or in the course as a whole (rules in alliance_course.quiz.lint)."""

from __future__ import annotations

import pytest

from alliance_course.quiz import lint
from alliance_course.quiz.bank import available_banks, load_bank
from alliance_course.quiz.model import Option, SingleQuestion, TrueFalseQuestion

COMMON = {"prompt": "P?", "objective": "O", "explanation": "E", "source": "S", "taught_in": "Somewhere"}


@pytest.mark.parametrize("number", sorted(available_banks()))
def test_each_bank_passes_the_lint(number):
    stats = lint.bank_stats(load_bank(number))
    assert stats.problems() == []


def test_the_course_passes_the_lint():
    assert lint.lint() == []


def _single(qid: str, key: int, lengths: tuple[int, ...]) -> SingleQuestion:
    options = tuple(Option("x" * n + str(i), "f", i == key) for i, n in enumerate(lengths))
    return SingleQuestion(id=qid, options=options, **COMMON)


def _truefalse(qid: str, answer: bool) -> TrueFalseQuestion:
    return TrueFalseQuestion(id=qid, answer=answer, feedback_true="t", feedback_false="f", **COMMON)


def _stats(questions) -> lint.Stats:
    stats = lint.Stats("test bank")
    for question in questions:
        stats.add(question)
    return stats


def test_lint_catches_always_false():
    stats = _stats([_truefalse(f"t{i}", False) for i in range(5)])
    assert any("0 of 5 true/false statements are keyed True" in p for p in stats.problems())
    balanced = _stats([_truefalse(f"t{i}", i < 2) for i in range(5)])
    assert balanced.problems() == []


def test_true_false_band_for_small_banks():
    assert _stats([_truefalse("a", True)]).true_range() == (0, 1)
    assert _stats([_truefalse(f"t{i}", True) for i in range(2)]).true_range() == (1, 1)
    assert _stats([_truefalse(f"t{i}", True) for i in range(3)]).true_range() == (1, 2)
    assert _stats([_truefalse(f"t{i}", True) for i in range(10)]).true_range() == (4, 6)


def test_lint_catches_longest_correct_option():
    cued = _stats([_single(f"q{i}", i % 4, (10, 10, 10, 10)[:i % 4] + (40,) + (10,) * (3 - i % 4))
                   for i in range(8)])
    assert any("the correct option is the longest in 8 of 8" in p for p in cued.problems())
    # ties do not count as "strictly longest"
    assert not lint.strictly_longest(SingleQuestion(id="t", options=(Option("abc", "f", True), Option("xyz", "f")),
                                                    **COMMON))


def test_lint_catches_a_favourite_position():
    cued = _stats([_single(f"q{i}", 1, (10, 12, 11, 13)) for i in range(6)])
    assert any("option b) is the key of 6 of 6" in p for p in cued.problems())
    spread = _stats([_single(f"q{i}", i % 4, (10, 10, 10, 10)) for i in range(8)])
    assert not any("option" in p and "is the key of" in p for p in spread.problems())


def test_lint_requires_taught_in_on_scored_questions_only():
    common = dict(COMMON, taught_in=None)
    untaught = TrueFalseQuestion(id="u", answer=True, feedback_true="t", feedback_false="f", **common)
    prediction = TrueFalseQuestion(id="p", answer=True, feedback_true="t", feedback_false="f",
                                   **dict(common, section="predict"))
    problems = _stats([untaught, prediction]).problems()
    assert any("without taught_in" in p and "u" in p.split(": ")[-1] for p in problems)
    assert not any(p.endswith(", p") or p.endswith(": p") for p in problems)


def test_report_has_a_row_per_bank_and_a_total():
    table = lint.report()
    assert table.count("\n") == len(available_banks()) + 2
    assert "**all banks**" in table
