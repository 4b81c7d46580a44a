"""``check(id, answer)``: grade a learner's answer against the fingerprints, never revealing the answer."""

from __future__ import annotations

import os
from typing import Any

from .answers import _entry_problem, load_answers
from .fingerprints import answer_fingerprints
from .recording import _recorder
from .spec import EXERCISE_ID, RECORD_ENV, AnswerError, AnswersFileError, CheckResult


def check(exercise_id: str, answer: Any) -> CheckResult:
    """Compare ``answer`` with exercise ``exercise_id`` without revealing the right answer. Never raises.

    Statuses: ``"correct"``, ``"not_yet"`` (with a hint when there is one, or a message saying what kind of answer
    is expected), ``"unanswered"`` (the answer is still ``...``), ``"unknown_exercise"`` and ``"check_failed"``: the
    checker itself broke, which is the course's bug, never the learner's; it is not saved as an attempt.
    """
    if os.environ.get(RECORD_ENV):  # build mode: a wrongly declared exercise must stop the build loudly
        return _recorder().answer(exercise_id, answer)
    try:
        return _grade(exercise_id, answer)
    except Exception as exc:  # a check must never break a learner's notebook, nor blame the learner for our bug
        try:
            label = exercise_id[:20] if isinstance(exercise_id, str) else type(exercise_id).__name__
        except Exception:
            label = "?"
        return CheckResult(label, "check_failed", _CHECK_FAILED.format(error=type(exc).__name__))


_CHECK_FAILED = ("The check itself failed ({error}): this is a bug in the course, not a verdict on your answer. "
                 "Please report it to your instructor (or the course's issue tracker) with the exercise id and "
                 "how you computed your answer.")


def _grade(exercise_id: Any, answer: Any) -> CheckResult:
    if not isinstance(exercise_id, str) or not EXERCISE_ID.match(exercise_id):
        label = exercise_id[:20] if isinstance(exercise_id, str) else type(exercise_id).__name__
        return CheckResult(label, "unknown_exercise",
                           "Unknown exercise: an exercise id looks like \"04.2\" (notebook, dot, number).")
    try:
        exercises = load_answers()
    except AnswersFileError as exc:
        return CheckResult(exercise_id, "unknown_exercise", f"Unknown exercise: the answer fingerprints are "
                                                            f"not available. {exc}")
    entry = exercises.get(exercise_id)
    if entry is None:
        same = sorted(k for k in exercises if k.split(".")[0] == exercise_id.split(".")[0])
        known = f" Exercises in notebook {exercise_id[:2]}: {', '.join(same)}." if same else ""
        return CheckResult(exercise_id, "unknown_exercise", f"Unknown exercise {exercise_id!r}.{known}")
    problem = _entry_problem(entry)
    if problem:
        return CheckResult(exercise_id, "unknown_exercise",
                           f"Unknown exercise: its entry in answers.json is damaged ({problem}); "
                           "regenerate it with `make exercises`.")
    if answer is Ellipsis:
        return CheckResult(exercise_id, "unanswered",
                           "Not answered yet: replace `...` with your answer and run the cell again.")
    try:
        marks = answer_fingerprints(answer, entry["spec"], entry["salt"])
    except AnswerError as exc:
        return _graded(exercise_id, False, f"Not yet — {exc}")
    if any(mark in entry["accept"] for mark in marks):
        return _graded(exercise_id, True, "Correct. Well done!")
    hints = entry.get("hints", {})
    hint = next((hints[mark] for mark in marks if mark in hints), None) or entry.get("hint")
    if hint:
        return _graded(exercise_id, False, f"Not yet — hint: {hint}")
    return _graded(exercise_id, False, "Not yet. Check each step and try again.")


_progress_note_shown = False


def _graded(exercise_id: str, correct: bool, message: str) -> CheckResult:
    """Save the attempt in the learner's progress (a failing store never breaks a check) and build the result."""
    global _progress_note_shown
    try:
        from ..progress import store as progress

        progress.record("exercise", exercise_id[:2], exercise_id, correct)
    except Exception as exc:  # progress is a convenience; the check itself must go on
        if not _progress_note_shown:
            _progress_note_shown = True
            message += f" (Your progress could not be saved: {type(exc).__name__}: {exc})"
    return CheckResult(exercise_id, "correct" if correct else "not_yet", message)
