"""What the course counts: the scored quiz questions and exercises of this course version (the catalogue), and
safe one-line text for names read from hand-ins."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any


from ..course import LESSONS


CHART_NAME = "class-report.png"
MAX_FILE_BYTES = 2 * 1024 * 1024  # a real export of the whole course is ~50 KB
MAX_FILES = 5000
MIN_LEARNERS = 5
NAME_WIDTH = 40
SCORED_SECTION = "quiz"
MEASURES = ("quiz_right", "quiz_of", "exercises_correct", "exercises_of", "practice_right", "practice_answered")
_COURSE_ORDER = {lesson.number: i for i, lesson in enumerate(LESSONS)}
_EXERCISE_HEADING = re.compile(r"^#{2}\s+(?P<id>\d{2}\.\d{1,2}[a-z]?)\s+(?P<title>.+)$", re.MULTILINE)


def safe_text(value: Any, width: int | None = None) -> str:
    """``value`` as one line of plain text: control and format characters removed, spaces collapsed, cut to
    ``width`` characters (with …)."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in str(value))
    text = " ".join(text.split())
    if width is not None and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def _name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


@dataclass(frozen=True)
class Catalogue:
    """The items this version of the course knows: quiz questions (notebook → id → (section, prompt)) and
    exercises (notebook → id → title)."""

    quiz: dict[str, dict[str, tuple[str, str]]]
    exercises: dict[str, dict[str, str]]
    version: str
    problems: tuple[str, ...] = ()

    def scored_quiz(self, notebook: str) -> list[str]:
        return [q for q, (section, _) in self.quiz.get(notebook, {}).items() if section == SCORED_SECTION]


def catalogue() -> Catalogue:
    """Read the quiz banks, ``data/answers.json`` and the exercise headings of this course."""
    from .. import __version__, paths
    from ..exercises import AnswersFileError, load_answers
    from ..quiz.bank import QuizError, available_banks, load_bank

    problems: list[str] = []
    quiz: dict[str, dict[str, tuple[str, str]]] = {}
    for number, path in available_banks().items():
        try:
            bank = load_bank(path)
        except QuizError as exc:
            problems.append(f"quiz bank {number} cannot be read, its questions are not counted ({exc})")
            continue
        quiz[number] = {q.id: (q.section, q.prompt) for q in bank.questions}
    exercises: dict[str, dict[str, str]] = {}
    try:
        for exercise_id, entry in load_answers().items():
            exercises.setdefault(str(entry.get("notebook", exercise_id[:2])), {})[exercise_id] = exercise_id
    except AnswersFileError as exc:
        problems.append(f"exercises are not counted: {exc}")
    for path in sorted((paths.course_root() / "exercises").glob("*.ipynb")):
        try:
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        for cell in cells:
            source = "".join(cell.get("source", "")) if cell.get("cell_type") == "markdown" else ""
            for match in _EXERCISE_HEADING.finditer(source):
                known = exercises.get(match.group("id")[:2], {})
                if match.group("id") in known:
                    known[match.group("id")] = f"{match.group('id')} {match.group('title').strip()}"
    return Catalogue(quiz, exercises, __version__, tuple(problems))
