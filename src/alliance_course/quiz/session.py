"""A quiz in progress: attempts, first-try score and what may be revealed. Pure Python, no widgets.

The widget view and the text fallback both drive a :class:`QuizSession`; it grades through
:func:`.model.grade` and records every counted attempt in the learner's progress file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
import re
from dataclasses import dataclass
from typing import Any

from ..progress import store as progress  # the store only: the summary reads quiz banks
from .bank import Bank
from .model import Question, Result, grade

Recorder = Callable[[str, str, str, bool], None]
_NUMBERED = re.compile(r"[0-9]{2}")


@dataclass
class QuestionState:
    """What happened to one question in this session."""

    attempts: int = 0
    first_try_correct: bool | None = None
    solved: bool = False
    revealed: bool = False
    predictions: int = 0  # answers to a prediction (never scored)

    @property
    def settled(self) -> bool:
        """Solved or revealed: later answers are still graded but no longer counted."""
        return self.solved or self.revealed


class QuizSession:
    """Grades responses for some or all of a bank's questions and keeps the score.

    Counting rules: an empty or unreadable response is not an attempt; the first graded attempt decides
    "correct on first try"; once a question is solved or its answer revealed, further answers get feedback
    but are not counted or recorded again. Predictions (``section: predict``) are compared and explained but
    never scored: they are not counted, not in the score line and not recorded in the progress file (so never
    among the weakest items of a class report). ``recorder`` defaults to :func:`progress.record`.
    """

    def __init__(self, bank: Bank, questions: Sequence[Question] | None = None,
                 recorder: Recorder | None = None) -> None:
        self.bank = bank
        self.questions = tuple(questions) if questions is not None else bank.questions
        self.states = {question.id: QuestionState() for question in self.questions}
        self._recorder = recorder
        self._listeners: list[Callable[[], None]] = []
        self._save_warned = False

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
        if result.predicted:
            state.predictions += 1
            return result
        if result.graded and not state.settled:
            state.attempts += 1
            if state.attempts == 1:
                state.first_try_correct = result.correct
            state.solved = result.correct
            try:
                if self._recorder is not None:
                    self._recorder("quiz", self.bank.notebook, question.id, result.correct)
                elif _NUMBERED.fullmatch(self.bank.notebook):  # a draft bank loaded by path: no lesson to record under
                    progress.record("quiz", self.bank.notebook, question.id, result.correct)
            except Exception as error:  # noqa: BLE001 - the answer is still graded; saving is reported once
                if not self._save_warned:
                    self._save_warned = True
                    print(f"⚠ Your answer was checked but could not be saved to your progress file "
                          f"({type(error).__name__}); later answers in this quiz may not be saved either.")
            self._changed()
        return result

    def can_reveal(self, question_id: str) -> bool:
        """The answer may be shown once the learner has made a real try."""
        state = self.states.get(self.question(question_id).id, QuestionState())
        return state.attempts > 0 or state.predictions > 0

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
    def scored(self) -> tuple[Question, ...]:
        """The questions that count toward the score (not the predictions)."""
        return tuple(question for question in self.questions if question.scored)

    @property
    def attempted(self) -> int:
        return sum(1 for question in self.scored if self.states[question.id].attempts)

    @property
    def first_try_correct(self) -> int:
        return sum(1 for question in self.scored if self.states[question.id].first_try_correct)

    def score_line(self) -> str:
        """E.g. "6 of 9 correct on first try" (plus how many are answered while some are left)."""
        total = len(self.scored)
        if not total:
            return "Predictions are not scored: compare yours with the explanation."
        line = f"{self.first_try_correct} of {total} correct on first try"
        if self.attempted < total:
            line += f" ({self.attempted} of {total} answered so far)"
        return line
