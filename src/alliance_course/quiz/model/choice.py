"""Questions answered by choosing: one option (``single``), several (``multiple``), true or false."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

from .base import (
    LETTERS, MAX_TOKENS, Option, Question, Result, _SEPARATORS, _describe, _empty, _invalid, _is_blank,
    _option_index, letter, permutation,
)


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
