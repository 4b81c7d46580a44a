"""A quiz in progress: attempts, first-try score and what may be revealed. Pure Python, no widgets.

The widget view and the text fallback both drive a :class:`QuizSession`; it grades through
:func:`.model.grade` and records every counted attempt in the learner's progress file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .. import progress
from .bank import Bank
from .model import Question, Result, grade

Recorder = Callable[[str, str, str, bool], None]


@dataclass
class QuestionState:
    """What happened to one question in this session."""

    attempts: int = 0
    first_try_correct: bool | None = None
    solved: bool = False
    revealed: bool = False

    @property
    def settled(self) -> bool:
        """Solved or revealed: later answers are still graded but no longer counted."""
        return self.solved or self.revealed


class QuizSession:
    """Grades responses for some or all of a bank's questions and keeps the score.

    Counting rules: an empty or unreadable response is not an attempt; the first graded attempt decides
    "correct on first try"; once a question is solved or its answer revealed, further answers get feedback
    but are not counted or recorded again. ``recorder`` defaults to :func:`progress.record`.
    """

    def __init__(self, bank: Bank, questions: Sequence[Question] | None = None,
                 recorder: Recorder | None = None) -> None:
        self.bank = bank
        self.questions = tuple(questions) if questions is not None else bank.questions
        self.states = {question.id: QuestionState() for question in self.questions}
        self._recorder = recorder
        self._listeners: list[Callable[[], None]] = []

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        return self.bank.question(question_id)  # raises a QuizError listing the ids

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` after every counted attempt or reveal (the view updates its score line)."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in self._listeners:
            listener()

    def submit(self, question_id: str, response: Any) -> Result:
        """Grade ``response``; count and record it if it is a real attempt on an unsettled question."""
        question = self.question(question_id)
        result = grade(question, response)
        state = self.states.setdefault(question.id, QuestionState())
        if result.graded and not state.settled:
            state.attempts += 1
            if state.attempts == 1:
                state.first_try_correct = result.correct
            state.solved = result.correct
            (self._recorder or progress.record)("quiz", self.bank.notebook, question.id, result.correct)
            self._changed()
        return result

    def can_reveal(self, question_id: str) -> bool:
        """The answer may be shown once the learner has made a real try."""
        return self.states.get(self.question(question_id).id, QuestionState()).attempts > 0

    def reveal(self, question_id: str) -> str | None:
        """The correct answer with its explanation and source, or None before a first try."""
        question = self.question(question_id)
        if not self.can_reveal(question.id):
            return None
        state = self.states[question.id]
        if not state.revealed:
            state.revealed = True
            self._changed()
        return question.solution_text()

    @property
    def attempted(self) -> int:
        return sum(1 for state in self.states.values() if state.attempts)

    @property
    def first_try_correct(self) -> int:
        return sum(1 for state in self.states.values() if state.first_try_correct)

    def score_line(self) -> str:
        """E.g. "6 of 9 correct on first try" (plus how many are answered while some are left)."""
        total = len(self.questions)
        line = f"{self.first_try_correct} of {total} correct on first try"
        if self.attempted < total:
            line += f" ({self.attempted} of {total} answered so far)"
        return line
