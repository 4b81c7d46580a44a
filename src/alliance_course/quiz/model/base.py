"""What every question shares: the Result of grading, the Question base class, options, and the helpers that read
and describe a learner's response."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from ..._common import describe_value as _describe  # a short, safe description of any value, for messages


LETTERS = "abcdefghijklmnopqrstuvwxyz"
Status = Literal["correct", "incorrect", "predicted", "empty", "invalid"]

SYMBOLS: dict[str, str] = {"correct": "✓", "incorrect": "✗", "predicted": "→", "empty": "ℹ", "invalid": "ℹ"}
HEADLINES: dict[str, str] = {"correct": "Correct", "incorrect": "Not quite", "predicted": "Your prediction",
                             "empty": "", "invalid": ""}
PREDICT = "predict"  # the section of predictions: asked, compared and explained, never scored
_SEPARATORS = re.compile(r"[\s,;]+")
# "1,000" or "-12,345.5": commas only as thousands separators.
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
# Relative slack so that 0.1 + 0.2 counts as 0.3 when the tolerance is 0.
_EPSILON = 1e-9


def letter(index: int) -> str:
    """The label of the option at ``index`` (0 -> "a")."""
    return LETTERS[index]


def permutation(seed: str, question_id: str, size: int) -> tuple[int, ...]:
    """A deterministic shuffle of ``range(size)`` for one learner (``seed``) and one question.

    A Fisher-Yates shuffle whose random numbers come from SHA-256 of ``seed``, the question id and the step, so
    the order is the same in every kernel, Python version and process (no dependence on ``PYTHONHASHSEED`` or
    the ``random`` module), and differs between learners and between questions.
    """
    order = list(range(size))
    for i in range(size - 1, 0, -1):
        digest = hashlib.sha256(f"{seed}\x1f{question_id}\x1f{i}".encode("utf-8", "replace")).digest()
        j = int.from_bytes(digest[:8], "big") % (i + 1)
        order[i], order[j] = order[j], order[i]
    return tuple(order)


@dataclass(frozen=True)
class Result:
    """The outcome of grading one response.

    ``status`` is ``"correct"`` or ``"incorrect"`` for a graded attempt, ``"predicted"`` for an answer to a
    prediction (compared with what happened, never scored), ``"empty"`` when nothing was answered and
    ``"invalid"`` when the answer could not be read; the last three are not scored attempts.
    ``can_reveal`` says whether the correct answer may now be shown (only after a real try).
    ``partial`` is ``(right, total)`` for order and categorize questions.
    """

    status: Status
    feedback: str
    can_reveal: bool
    partial: tuple[int, int] | None = None

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    @property
    def graded(self) -> bool:
        """True when this response counts as an attempt."""
        return self.status in ("correct", "incorrect")

    @property
    def predicted(self) -> bool:
        """True for an answer to a prediction: the explanation is shown, nothing is scored."""
        return self.status == "predicted"

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.status]

    def message(self) -> str:
        """Words plus a symbol, e.g. "✗ Not quite — …" or "ℹ Please choose an answer first."."""
        headline = HEADLINES[self.status]
        if headline:
            return f"{self.symbol} {headline} — {self.feedback}"
        return f"{self.symbol} {self.feedback}"

    def _ipython_display_(self) -> None:
        """Show nothing when a notebook cell ends with ``quiz.answer(...)``: the feedback is already printed."""


class _NoAnswer(Exception):
    """Raised inside response parsing; becomes an ``empty`` or ``invalid`` Result."""

    def __init__(self, status: Status, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _empty(message: str = "Please choose an answer first.") -> _NoAnswer:
    return _NoAnswer("empty", message)


def _invalid(message: str) -> _NoAnswer:
    return _NoAnswer("invalid", message)


def _is_blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, (list, tuple, set, frozenset, Mapping)):
        try:
            return len(raw) == 0
        except Exception:  # a container whose __len__ raises is not blank; it is read (and refused) later
            return False
    return False


EXCERPT = 40  # characters of a learner's answer echoed back in a message


def plain(value: Any) -> Any:
    """A ``str`` subclass (whose methods might do anything) as a plain ``str``; other values unchanged."""
    return str.__str__(value) if isinstance(value, str) and type(value) is not str else value


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """``text`` cut to ``limit`` characters (with "..."), so a pasted 5 MB answer is never echoed in full."""
    text = plain(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _quoted(text: str) -> str:
    """``'text'`` for a message: stripped, cut to 40 characters."""
    return repr(excerpt(plain(text).strip()))


_ASCII_DIGITS = re.compile(r"[0-9]{1,6}")
INTERNAL_PROBLEM = "The quiz could not read this answer"


@dataclass(frozen=True, kw_only=True)
class Question:
    """Fields every question has. Subclasses add their answer data and implement grading."""

    id: str
    prompt: str
    objective: str
    explanation: str
    source: str
    misconception: str | None = None
    hint: str | None = None
    # "quiz" (end-of-notebook), "warmup" (opening retrieval), "check" (in the text) or "predict" (a prediction)
    section: str = "quiz"
    taught_in: str | None = None  # the notebook heading this question relies on (scored questions)

    type: ClassVar[str] = ""

    @property
    def scored(self) -> bool:
        """False for predictions: they are compared and explained, never counted right or wrong."""
        return self.section != PREDICT

    def shuffled(self, seed: str) -> Question:
        """This question as learner ``seed`` sees it (choice questions reorder their options)."""
        return self

    def grade(self, response: Any) -> Result:
        """Grade ``response``; never raises for a bad response (anything the parsing below does not foresee,
        such as an object whose methods raise, becomes an ``invalid`` Result with a short message)."""
        try:
            result = self._grade(plain(response))
            if not self.scored and result.graded:
                return Result("predicted", result.feedback, can_reveal=True, partial=result.partial)
            return result
        except _NoAnswer as problem:
            return Result(problem.status, problem.message, can_reveal=False)
        except Exception:  # noqa: BLE001 - the promise to learners: a message, never a traceback
            return Result("invalid", f"{INTERNAL_PROBLEM}: {self.answer_help_safe()}.", can_reveal=False)

    def answer_help_safe(self) -> str:
        try:
            return "answer with " + self.answer_help()
        except Exception:  # noqa: BLE001
            return "please answer in the form shown with the question"

    def _grade(self, response: Any) -> Result:
        raise NotImplementedError

    def solution_text(self) -> str:
        """The correct answer in words (shown by "Show answer" after a try)."""
        raise NotImplementedError

    def answer_template(self) -> str:
        """The response part of a ``quiz.answer`` call with ``?`` placeholders, e.g. ``"?, ?"``."""
        raise NotImplementedError

    def answer_help(self) -> str:
        """What replaces the placeholders, e.g. "one letter, a to d"."""
        raise NotImplementedError


@dataclass(frozen=True)
class Option:
    text: str
    feedback: str
    correct: bool = False


def _option_index(token: Any, options: tuple[Option, ...]) -> int:
    """Map a letter (or an option's exact text) to its index."""
    token = plain(token)
    if not isinstance(token, str):
        raise _invalid(f"Answer with an option letter, not {_describe(token)}.")
    key = token.strip().lower()
    if len(key) == 1 and key in LETTERS[: len(options)]:
        return LETTERS.index(key)
    for index, option in enumerate(options):
        if key == option.text.strip().lower():
            return index
    last = letter(len(options) - 1)
    raise _invalid(f"There is no option {_quoted(token)}: the options are a to {last}.")


MAX_TOKENS = 100  # more parts than any answer needs: refused at once instead of being read one by one


def _slot_tokens(response: Any, kind: str) -> list[Any]:
    if isinstance(response, str):
        return [t for t in _SEPARATORS.split(response.strip()) if t]
    if isinstance(response, (list, tuple)):
        return list(response)
    raise _invalid(f"Answer with the {kind} letters in your order, separated by commas, not {_describe(response)}.")
