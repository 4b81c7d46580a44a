"""The test the graded notebooks (nbgrader and otter-grader versions of the exercises) run on a learner's answer.

``verify("03.1", political_only)`` is True when the answer matches the fingerprints in ``data/answers.json``, and
False otherwise (wrong, unanswered, or not the kind of answer the exercise expects). Unlike the learner's
``check(...)`` it never records progress and never prints a hint, so an autograder can call it on every submission
without writing into anyone's progress file.

The *hidden* tests of the graded notebooks first drop every ``alliance_course`` module from ``sys.modules`` and import
this one again from disk, so a learner who redefines ``check``, ``verify`` or anything in the package inside their
notebook does not change what the autograder compares with. (A learner can still do anything their own kernel
allows; graded tests that run in the learner's kernel are a strong check, not a sandbox: otter-grader's Docker
grading and nbgrader's hidden tests reduce, not remove, that risk.)
"""

from __future__ import annotations

from typing import Any

from . import exercises

__all__ = ["GradingError", "verify"]


class GradingError(LookupError):
    """The exercise is not in ``data/answers.json`` (a set-up problem, not a wrong answer)."""


def verify(exercise_id: str, answer: Any) -> bool:
    """True if ``answer`` is a right answer to ``exercise_id``; never records progress."""
    try:
        entry = exercises.load_answers().get(exercise_id)
    except exercises.AnswersFileError as exc:
        raise GradingError(str(exc)) from None
    if entry is None:
        raise GradingError(f"exercise {exercise_id!r} is not in data/answers.json: regenerate it with "
                           "`make exercises`, or grade with the course version the assignment was made from.")
    if answer is Ellipsis:
        return False
    try:
        mark = exercises.fingerprint(answer, entry["spec"], entry["salt"])
    except exercises.AnswerError:
        return False
    except Exception:  # an answer object that breaks normalisation is simply not a right answer
        return False
    return mark in entry["accept"]
