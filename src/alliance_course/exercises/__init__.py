"""Self-checks for exercise notebooks that never reveal the answer.

A learner writes ``check("00.2", answer)`` as the last line of a cell. The answer is *normalised* (numbers rounded
to the exercise's tolerance, text case- and whitespace-folded, sets sorted, tables reduced to their values), hashed
with a per-exercise salt (SHA-256), and the hash is compared with the fingerprints that
``python -m alliance_course build`` stored in ``data/answers.json`` from the solution notebooks. Normalisation makes
every equivalent form of an answer alike (numpy and pandas scalars, any collection for a set, tables in any row or
column order with the key as index or column, years as text, ISO date strings, categorical zero rows, ``count`` for
``size``); see :func:`normalise` and :func:`answer_forms`. The result says "correct", "not yet" (with a hint, which
can be keyed to a common wrong answer), "not answered yet" (the stub ``...`` is still there), "unknown exercise", or
"check failed" when the checker itself breaks (a bug to report, never a verdict on the answer). A check never raises
and never shows the right answer; graded attempts are saved in the learner's progress.

How the build learns the answers: solution notebooks contain the same ``check(...)`` calls with the real answers.
The build runs each solution in a fresh kernel with ``ALLIANCE_COURSE_RECORD`` set to a temporary file; in that
mode ``check`` writes fingerprints there instead of grading. Solution notebooks may declare an exercise's spec and
hints in a cell tagged ``instructor`` (removed from the learner's copy, so wrong answers never ship in plain text)::

    exercise("00.2", kind="number", tolerance=0, hint="Group the members by accession year.",
             hints={1949: "1949 is the founding, not an enlargement."})

This is a self-check, not an exam: anyone who wants to can hash every small integer and compare.
"""

from __future__ import annotations

from .answers import answers_path, load_answers  # noqa: F401 - answers_path: for the build
from .checking import check
from .fingerprints import answer_fingerprints, fingerprint, solution_fingerprints
from .forms import answer_forms, normalise
from .recording import exercise
from .spec import (  # noqa: F401 - the file name, format and limits stay importable from here
    ANSWERS_FILE, EXERCISE_ID, FORMAT_VERSION, KINDS, MAX_CELLS, MAX_ITEMS, MAX_MAGNITUDE, MAX_TEXT, RECORD_ENV,
    AnswerError, AnswersFileError, CheckResult, ExerciseSpecError, Status, infer_kind, salt_for, validate_spec,
)

__all__ = [
    "AnswerError",
    "AnswersFileError",
    "CheckResult",
    "ExerciseSpecError",
    "KINDS",
    "RECORD_ENV",
    "answer_fingerprints",
    "answer_forms",
    "check",
    "exercise",
    "fingerprint",
    "infer_kind",
    "load_answers",
    "normalise",
    "salt_for",
    "solution_fingerprints",
    "validate_spec",
]
