"""Every scored question names the notebook section it relies on (``taught_in``), and that section comes before the
question: earlier in the same notebook than the cell that shows it, or in an earlier lesson ("NN: heading")."""

from __future__ import annotations

import dataclasses
import re
from functools import cache

import nbformat
import pytest

from alliance_course import paths, quiz
from alliance_course.quiz import load_bank

PREFIX = re.compile(r"^(\d{2}): (.+)$")


@cache
def notebook(number: str) -> list[nbformat.NotebookNode]:
    matches = sorted(paths.notebooks_dir().glob(f"{number}-*.ipynb"))
    assert len(matches) == 1, f"notebook {number}: {matches}"
    return nbformat.read(matches[0], as_version=4).cells


def headings(number: str) -> dict[str, int]:
    """Heading text -> index of the first cell that holds it."""
    found: dict[str, int] = {}
    for index, cell in enumerate(notebook(number)):
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                match = re.match(r"^#{1,6}\s+(.*\S)\s*$", line)
                if match:
                    found.setdefault(match.group(1), index)
    return found


def shown_at(number: str, question) -> int | None:
    """The index of the code cell that shows ``question`` to a learner."""
    calls = {"quiz": f'quiz.show("{number}")', "warmup": f'quiz.warmup("{number}")'}
    call = calls.get(question.section, f'quiz.ask("{number}", "{question.id}")')
    for index, cell in enumerate(notebook(number)):
        if cell.cell_type == "code" and call in cell.source:
            return index
    return None


def problems(number: str, question) -> list[str]:
    """What is wrong with ``question``'s taught_in (empty when it is taught before it is asked)."""
    if not question.taught_in:
        return [f"{number}/{question.id} has no taught_in"]
    shown = shown_at(number, question)
    if shown is None:
        return [f"{number}/{question.id} ({question.section}) is never shown in notebook {number}"]
    match = PREFIX.match(question.taught_in)
    source, heading = (match.group(1), match.group(2)) if match else (number, question.taught_in)
    available = headings(source)
    if heading not in available:
        return [f"{number}/{question.id}: no heading {heading!r} in notebook {source}; headings: {list(available)}"]
    if source == number and available[heading] >= shown:
        return [f"{number}/{question.id}: section {heading!r} (cell {available[heading]}) comes after the cell "
                f"that shows the question (cell {shown})"]
    if source > number:
        return [f"{number}/{question.id}: lesson {source} comes after lesson {number}"]
    return []


CASES = [(number, question) for number in sorted(quiz.available_banks())
         for question in load_bank(number).questions if question.scored]


@pytest.mark.parametrize(("number", "question"), CASES, ids=[f"{n}-{q.id}" for n, q in CASES])
def test_scored_question_is_taught_before_it_is_asked(number, question):
    assert problems(number, question) == []


def test_every_prediction_is_asked_in_its_notebook():
    for number in sorted(quiz.available_banks()):
        for question in load_bank(number).questions:
            if not question.scored:
                assert shown_at(number, question) is not None, f"{number}/{question.id}"


def test_the_check_catches_late_missing_and_future_sections():
    question = load_bank("00").question("cite-a-fact")
    late = dataclasses.replace(question, taught_in="How to cite")  # the section after 00's quiz
    assert "comes after the cell" in problems("00", late)[0]
    missing = dataclasses.replace(question, taught_in="A heading nobody wrote")
    assert "no heading" in problems("00", missing)[0]
    later_lesson = "03: 1. A lead nation and its partners"
    future = dataclasses.replace(load_bank("02").question("crimea-2014"), taught_in=later_lesson)
    assert "comes after lesson 02" in problems("02", future)[0]
    assert "has no taught_in" in problems("00", dataclasses.replace(question, taught_in=None))[0]
