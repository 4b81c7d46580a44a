"""The per-notebook summary of a learner's progress (reads the quiz banks for the number of questions).

Kept apart from :mod:`.store` so that the store never imports the quiz package: the quiz records into the store,
and this summary reads the quiz banks, without an import cycle.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..course import LESSONS
from .store import _store


def _bank_sizes() -> dict[str, int]:
    """Questions per notebook from the quiz banks (a broken bank is left out, not an error here)."""
    from ..quiz.bank import QuizError, available_banks, load_bank

    sizes = {}
    for number, path in available_banks().items():
        try:
            sizes[number] = len(load_bank(path).scored)  # predictions are never scored
        except QuizError:
            continue
    return sizes


SUMMARY_COLUMNS = ("title", "quiz_questions", "quiz_attempted", "quiz_first_try_correct", "exercises_attempted",
                   "exercises_correct")


def summarize(data: dict[str, Any], bank_sizes: dict[str, int] | None = None) -> pd.DataFrame:
    """The per-notebook table for ``data`` (a progress file's contents); see :func:`summary`."""
    bank_sizes = bank_sizes or {}
    titles = {lesson.number: lesson.title for lesson in LESSONS}
    numbers = list(titles)
    numbers += sorted({entry["notebook"] for entry in data["records"]} - set(numbers))
    rows = []
    for number in numbers:
        mine = [entry for entry in data["records"] if entry["notebook"] == number]
        quiz = [entry for entry in mine if entry["kind"] == "quiz"]
        exercises = [entry for entry in mine if entry["kind"] == "exercise"]
        rows.append({
            "notebook": number,
            "title": titles.get(number, ""),
            "quiz_questions": bank_sizes.get(number, pd.NA),
            "quiz_attempted": len(quiz),
            "quiz_first_try_correct": sum(entry["first_try_correct"] for entry in quiz),
            "exercises_attempted": len(exercises),
            "exercises_correct": sum(entry["ever_correct"] for entry in exercises),
        })
    table = pd.DataFrame(rows).set_index("notebook")
    counts = [column for column in SUMMARY_COLUMNS if column != "title"]
    return table.astype({column: "Int64" for column in counts})


def summary() -> pd.DataFrame:
    """One row per notebook (index ``notebook``): its title, the questions in its quiz, quiz questions
    attempted, right on the first try, exercises attempted and exercises answered correctly."""
    return summarize(_store().read(), _bank_sizes())
