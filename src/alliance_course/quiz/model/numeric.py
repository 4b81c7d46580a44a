"""Numeric questions: a number (text such as "1,000" or "3.5%" accepted) within a range or tolerance."""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real
from typing import Any, ClassVar

from .base import Question, Result, _EPSILON, _THOUSANDS, _describe, _empty, _invalid, _is_blank, _quoted


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
