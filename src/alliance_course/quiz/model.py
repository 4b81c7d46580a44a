"""Question model and grading: plain Python, no widgets.

A question is one of six frozen dataclasses (``single``, ``multiple``, ``truefalse``, ``numeric``, ``order``,
``categorize``). ``grade(question, response)`` turns *any* response — a widget value, text typed by a learner,
``None``, a wrong type — into a :class:`Result`. It never raises for a bad response: an empty answer gets a
gentle prompt, a malformed one a message saying what form is expected; neither counts as an attempt.

How responses are written (the same forms the text fallback prints):

============  =============================================================================================
single        an option letter, ``"b"`` (or the option's exact text)
multiple      letters, ``"a, c"`` or ``["a", "c"]``
truefalse     ``True`` or ``False`` (or the strings ``"true"`` / ``"false"``)
numeric       a number, ``12.5``; text such as ``"1,000"`` or ``"3.5%"`` is accepted
order         the step letters as listed, in your order: ``"c, a, b"`` or ``["c", "a", "b"]``
categorize    item letter to group number or name: ``{"a": 1, "b": "Coalition"}`` or ``"a=1, b=2"``
============  =============================================================================================
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Real
from typing import Any, ClassVar, Literal

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


def _describe(raw: Any) -> str:
    """A short, safe description of any value: its repr cut to 40 characters, or its type when the repr
    cannot be made (a huge int, an object whose ``__repr__`` raises, deep nesting)."""
    if isinstance(raw, int) and not isinstance(raw, bool) and raw.bit_length() > 128:
        return f"a number with about {int(raw.bit_length() * 0.30103) + 1} digits"
    if isinstance(raw, str):
        return repr(excerpt(raw))
    try:
        text = repr(raw)
    except Exception:  # noqa: BLE001 - hostile __repr__, recursion, int-to-str limits: describe by type
        return f"a {_type_name(raw)} object"
    if not isinstance(text, str):
        return f"a {_type_name(raw)} object"
    return excerpt(text)


def _type_name(raw: Any) -> str:
    try:
        name = type(raw).__name__
    except Exception:  # noqa: BLE001
        return "Python"
    return excerpt(name, 30) if isinstance(name, str) else "Python"


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


@dataclass(frozen=True, kw_only=True)
class SingleQuestion(Question):
    """Exactly one correct option."""

    options: tuple[Option, ...]
    type: ClassVar[str] = "single"

    def shuffled(self, seed: str) -> Question:
        order = permutation(seed, self.id, len(self.options))
        return dataclasses.replace(self, options=tuple(self.options[i] for i in order))

    def _grade(self, response: Any) -> Result:
        if _is_blank(response):
            raise _empty()
        if isinstance(response, (list, tuple)) and len(response) == 1:
            response = response[0]
        if isinstance(response, (list, tuple, set, frozenset)):
            raise _invalid("Choose just one option: give a single letter.")
        chosen = self.options[_option_index(response, self.options)]
        return Result("correct" if chosen.correct else "incorrect", chosen.feedback, can_reveal=True)

    def solution_text(self) -> str:
        index = next(i for i, option in enumerate(self.options) if option.correct)
        return f"{letter(index)}) {self.options[index].text}"

    def answer_template(self) -> str:
        return '"?"'

    def answer_help(self) -> str:
        return f"one option letter, a to {letter(len(self.options) - 1)}"


@dataclass(frozen=True, kw_only=True)
class MultipleQuestion(Question):
    """One or more correct options; the answer is right when exactly those are chosen."""

    options: tuple[Option, ...]
    type: ClassVar[str] = "multiple"

    def shuffled(self, seed: str) -> Question:
        order = permutation(seed, self.id, len(self.options))
        return dataclasses.replace(self, options=tuple(self.options[i] for i in order))

    def _chosen(self, response: Any) -> set[int]:
        if _is_blank(response):
            raise _empty()
        if isinstance(response, str):
            if response.strip().lower() in {option.text.strip().lower() for option in self.options}:
                tokens = [response]
            else:
                tokens = [t for t in _SEPARATORS.split(response.strip()) if t]
                if len(tokens) == 1 and set(tokens[0].lower()) <= set(LETTERS[: len(self.options)]):
                    tokens = list(tokens[0])  # "ac" means a and c
        elif isinstance(response, (list, tuple, set, frozenset)):
            tokens = list(response)
        else:
            raise _invalid(f"Answer with option letters separated by commas, not {_describe(response)}.")
        if len(tokens) > MAX_TOKENS:
            raise _invalid(f"Choose each option at most once: give some of the letters a to "
                           f"{letter(len(self.options) - 1)}, not {len(tokens):,} of them.")
        chosen = {_option_index(token, self.options) for token in tokens}
        if not chosen:
            raise _empty()
        return chosen

    def _grade(self, response: Any) -> Result:
        chosen = self._chosen(response)
        right = {i for i, option in enumerate(self.options) if option.correct}
        if chosen == right:
            feedback = " ".join(self.options[i].feedback for i in sorted(chosen))
            return Result("correct", feedback, can_reveal=True)
        parts = [f"{letter(i)}) {self.options[i].feedback}" for i in sorted(chosen - right)]
        missed = len(right - chosen)
        if missed:
            parts.append(f"{missed} correct option{'s are' if missed > 1 else ' is'} not selected yet.")
        kept = len(chosen & right)
        if kept:
            parts.append(f"{kept} of your choices {'are' if kept > 1 else 'is'} right.")
        return Result("incorrect", " ".join(parts), can_reveal=True)

    def solution_text(self) -> str:
        return "; ".join(f"{letter(i)}) {o.text}" for i, o in enumerate(self.options) if o.correct)

    def answer_template(self) -> str:
        return '"?, ?"'

    def answer_help(self) -> str:
        return f"the letters of every correct option (a to {letter(len(self.options) - 1)}), separated by commas"


_TRUE_WORDS = {"true", "t", "yes", "y"}
_FALSE_WORDS = {"false", "f", "no", "n"}


@dataclass(frozen=True, kw_only=True)
class TrueFalseQuestion(Question):
    """A statement (the prompt) that is true or false."""

    answer: bool
    feedback_true: str
    feedback_false: str
    type: ClassVar[str] = "truefalse"

    def _grade(self, response: Any) -> Result:
        if _is_blank(response):
            raise _empty()
        if isinstance(response, str) and response.strip().lower() in _TRUE_WORDS | _FALSE_WORDS:
            value = response.strip().lower() in _TRUE_WORDS
        elif isinstance(response, bool):
            value = response
        else:
            raise _invalid(f"Answer True or False, not {_describe(response)}.")
        feedback = self.feedback_true if value else self.feedback_false
        return Result("correct" if value == self.answer else "incorrect", feedback, can_reveal=True)

    def solution_text(self) -> str:
        return "True." if self.answer else "False."

    def answer_template(self) -> str:
        return "?"

    def answer_help(self) -> str:
        return "True or False"


@dataclass(frozen=True)
class NumericRange:
    min: float
    max: float
    feedback: str
    correct: bool = False

    def __contains__(self, value: float) -> bool:
        slack = _EPSILON * max(1.0, abs(self.min), abs(self.max))
        return self.min - slack <= value <= self.max + slack


@dataclass(frozen=True)
class WrongValue:
    value: float
    feedback: str
    tolerance: float = 0.0

    def matches(self, value: float) -> bool:
        return _close(value, self.value, self.tolerance)


def _close(value: float, target: float, tolerance: float) -> bool:
    return abs(value - target) <= tolerance + _EPSILON * max(1.0, abs(target))


def _format_number(value: float) -> str:
    return f"{value:,.10g}" if abs(value) >= 10_000 else f"{value:.10g}"


def parse_number(raw: Any, unit: str | None = None) -> float:
    """Read a number typed by a learner: ``12``, ``"1,000"``, ``"3.5%"`` (when the unit is %), ``" 7 "``."""
    if _is_blank(raw):
        raise _empty("Please type a number first.")
    if isinstance(raw, bool) or not isinstance(raw, (Real, str)):
        raise _invalid(f"Type a number such as 12 or 3.5, not {_describe(raw)}.")
    if isinstance(raw, str):
        text = raw.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        if text.endswith("%"):
            if unit != "%":
                what = f"in {unit}" if unit else "as a plain number"
                raise _invalid(f"This answer is not a percentage: type it {what}, without the % sign.")
            text = text[:-1]
        elif unit and unit != "%" and text.lower().endswith(unit.lower()):
            text = text[: -len(unit)]
        if "," in text:
            if not _THOUSANDS.match(text):
                raise _invalid(
                    f"{_quoted(raw)} is not a number this quiz can read: use a point for decimals (3.5) "
                    "and commas only between thousands (1,000).")
            text = text.replace(",", "")
        try:
            value = float(text)
        except ValueError:
            raise _invalid(f"{_quoted(raw)} is not a number: type digits such as 12 or 3.5.") from None
    else:
        try:
            value = float(raw)
        except OverflowError:
            raise _invalid("That number is too large to check.") from None
        except Exception:  # noqa: BLE001 - a Real whose __float__ raises
            raise _invalid(f"Type a number such as 12 or 3.5, not {_describe(raw)}.") from None
    if not math.isfinite(value):
        raise _invalid("Type an ordinary number (not infinity or 'nan').")
    return value


@dataclass(frozen=True, kw_only=True)
class NumericQuestion(Question):
    """A number: ``value`` ± ``tolerance``, or ``ranges`` each with feedback; ``wrong_values`` are targeted."""

    other_feedback: str
    value: float | None = None
    tolerance: float = 0.0
    correct_feedback: str | None = None
    ranges: tuple[NumericRange, ...] = ()
    wrong_values: tuple[WrongValue, ...] = ()
    unit: str | None = None
    type: ClassVar[str] = "numeric"

    def _grade(self, response: Any) -> Result:
        number = parse_number(response, self.unit)
        if self.value is not None and _close(number, self.value, self.tolerance):
            return Result("correct", self.correct_feedback or "", can_reveal=True)
        for numeric_range in self.ranges:
            if numeric_range.correct and number in numeric_range:
                return Result("correct", numeric_range.feedback, can_reveal=True)
        for wrong in self.wrong_values:
            if wrong.matches(number):
                return Result("incorrect", wrong.feedback, can_reveal=True)
        for numeric_range in self.ranges:
            if number in numeric_range:
                return Result("incorrect", numeric_range.feedback, can_reveal=True)
        return Result("incorrect", self.other_feedback, can_reveal=True)

    def solution_text(self) -> str:
        unit = f" {self.unit}" if self.unit and self.unit != "%" else (self.unit or "")
        if self.value is not None:
            text = f"{_format_number(self.value)}{unit}"
            if self.tolerance:
                text += f" (anything within ± {_format_number(self.tolerance)} counts)"
            return text
        spans = [f"from {_format_number(r.min)} to {_format_number(r.max)}{unit}"
                 for r in self.ranges if r.correct]
        return "Any value " + " or ".join(spans) + "."

    def answer_template(self) -> str:
        return "?"

    def answer_help(self) -> str:
        return f"a number in {self.unit}" if self.unit else "a number, e.g. 1200 or 3.5"


MAX_TOKENS = 100  # more parts than any answer needs: refused at once instead of being read one by one


def _slot_tokens(response: Any, kind: str) -> list[Any]:
    if isinstance(response, str):
        return [t for t in _SEPARATORS.split(response.strip()) if t]
    if isinstance(response, (list, tuple)):
        return list(response)
    raise _invalid(f"Answer with the {kind} letters in your order, separated by commas, not {_describe(response)}.")


@dataclass(frozen=True)
class Step:
    text: str
    feedback: str


@dataclass(frozen=True, kw_only=True)
class OrderQuestion(Question):
    """Arrange ``steps`` (given here in the correct order)."""

    steps: tuple[Step, ...]
    type: ClassVar[str] = "order"

    def display_order(self) -> tuple[int, ...]:
        """Step indices in the order they are listed to learners: shuffled, seeded by the question id,
        and never the correct order itself."""
        order = list(range(len(self.steps)))
        random.Random(self.id).shuffle(order)
        if order == sorted(order):
            order = order[1:] + order[:1]
        return tuple(order)

    def _step_index(self, token: Any) -> int:
        token = plain(token)
        shown = self.display_order()
        if not isinstance(token, str):
            raise _invalid(f"Use the step letters as listed, not {_describe(token)}.")
        key = token.strip().lower()
        if len(key) == 1 and key in LETTERS[: len(shown)]:
            return shown[LETTERS.index(key)]
        for index, step in enumerate(self.steps):
            if key == step.text.strip().lower():
                return index
        raise _invalid(f"There is no step {_quoted(token)}: the steps are a to {letter(len(shown) - 1)}.")

    def _grade(self, response: Any) -> Result:
        if _is_blank(response):
            raise _empty("Please put the steps in order first.")
        tokens = _slot_tokens(response, "step")
        total = len(self.steps)
        if (len(tokens) == 1 and isinstance(tokens[0], str) and len(tokens[0]) == total
                and set(tokens[0].lower()) <= set(LETTERS[:total])):
            tokens = list(tokens[0])  # "bcade" means b, c, a, d, e
        empty_slots = sum(1 for token in tokens if _is_blank(token)) + max(0, total - len(tokens))
        if len(tokens) > total:
            raise _invalid(f"There are {total} steps, but your answer has {len(tokens)}.")
        if empty_slots:
            raise _empty(f"Please fill every slot first ({empty_slots} still empty).")
        placed = [self._step_index(token) for token in tokens]
        for index in set(placed):
            if placed.count(index) > 1:
                raise _invalid(f"“{self.steps[index].text}” is in more than one slot: use each step once.")
        right = sum(1 for slot, index in enumerate(placed) if slot == index)
        if right == total:
            return Result("correct", f"All {total} steps are in the right place.", True, (right, total))
        first_wrong = next(index for slot, index in enumerate(placed) if slot != index)
        feedback = (f"{right} of {total} steps in the right place. "
                    f"Look again at “{self.steps[first_wrong].text}”: {self.steps[first_wrong].feedback}")
        return Result("incorrect", feedback, True, (right, total))

    def solution_text(self) -> str:
        return " → ".join(f"{n}. {step.text}" for n, step in enumerate(self.steps, start=1))

    def answer_template(self) -> str:
        return '"' + ", ".join("?" for _ in self.steps) + '"'

    def answer_help(self) -> str:
        return f"the step letters a to {letter(len(self.steps) - 1)}, in the order you choose"


@dataclass(frozen=True)
class Item:
    text: str
    group: str
    feedback: str


@dataclass(frozen=True, kw_only=True)
class CategorizeQuestion(Question):
    """Sort ``items`` into named ``groups``."""

    groups: tuple[str, ...]
    items: tuple[Item, ...]
    type: ClassVar[str] = "categorize"

    def _item_index(self, key: Any) -> int:
        key = plain(key)
        if isinstance(key, str):
            text = key.strip().lower()
            if len(text) == 1 and text in LETTERS[: len(self.items)]:
                return LETTERS.index(text)
            for index, item in enumerate(self.items):
                if text == item.text.strip().lower():
                    return index
        raise _invalid(f"There is no item {_describe(key)}: the items are a to {letter(len(self.items) - 1)}.")

    def _group(self, value: Any) -> str | None:
        value = plain(value)
        if _is_blank(value):
            return None
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= len(self.groups):
            return self.groups[value - 1]
        if isinstance(value, str):
            text = value.strip()
            if _ASCII_DIGITS.fullmatch(text) and 1 <= int(text) <= len(self.groups):
                return self.groups[int(text) - 1]
            for group in self.groups:
                if text.lower() == group.lower():
                    return group
        names = ", ".join(f"{n} = {g}" for n, g in enumerate(self.groups, start=1))
        raise _invalid(f"{_describe(value)} is not a group here; the groups are {names}.")

    def _placement(self, response: Any) -> dict[int, str | None]:
        if isinstance(response, str):
            pairs: list[tuple[str, str]] = []
            chunks = [c for c in re.split(r"[,;\n]+", response) if c.strip()]
            if len(chunks) > MAX_TOKENS:
                raise _invalid(f"There are {len(self.items)} items; write one letter=group pair for each.")
            for chunk in chunks:
                key, sep, value = re.sub(r"[:=]", "=", chunk).partition("=")
                if not sep:
                    raise _invalid('Write each item as letter=group number, separated by commas.')
                pairs.append((key, value))
            mapping: Mapping[Any, Any] = dict(pairs)
        elif isinstance(response, Mapping):
            mapping = response
        else:
            raise _invalid(f'Answer with a mapping of item letters to group numbers, '
                           f"not {_describe(response)}.")
        placement: dict[int, str | None] = {}
        for key, value in mapping.items():
            placement[self._item_index(key)] = self._group(value)
        return placement

    def _grade(self, response: Any) -> Result:
        if _is_blank(response):
            raise _empty("Please choose a group for each item first.")
        placement = self._placement(response)
        missing = sum(1 for index in range(len(self.items)) if placement.get(index) is None)
        if missing:
            raise _empty(f"Please choose a group for every item first ({missing} still without one).")
        total = len(self.items)
        wrong = [i for i, item in enumerate(self.items) if placement[i] != item.group]
        right = total - len(wrong)
        if not wrong:
            return Result("correct", f"All {total} items are in the right group.", True, (right, total))
        details = " ".join(f"“{self.items[i].text}”: {self.items[i].feedback}" for i in wrong)
        return Result("incorrect", f"{right} of {total} items in the right group. {details}", True, (right, total))

    def solution_text(self) -> str:
        parts = []
        for group in self.groups:
            members = [item.text for item in self.items if item.group == group]
            parts.append(f"{group}: {', '.join(members) if members else '(none)'}")
        return "; ".join(parts)

    def answer_template(self) -> str:
        return "{" + ", ".join(f'"{letter(i)}": ?' for i in range(len(self.items))) + "}"

    def answer_help(self) -> str:
        return f"a group number (1 to {len(self.groups)}) for each item letter"


QUESTION_TYPES: dict[str, type[Question]] = {
    cls.type: cls for cls in (SingleQuestion, MultipleQuestion, TrueFalseQuestion, NumericQuestion,
                              OrderQuestion, CategorizeQuestion)
}


def grade(question: Question, response: Any) -> Result:
    """Grade ``response`` to ``question``: correctness, the feedback to show, and whether the answer may
    now be revealed. Any response is accepted; bad ones give an ``empty`` or ``invalid`` Result."""
    return question.grade(response)
