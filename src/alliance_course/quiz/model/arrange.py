"""Questions answered by arranging: steps in order (``order``) and items into groups (``categorize``)."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from .base import (
    LETTERS, MAX_TOKENS, Question, Result, _ASCII_DIGITS, _describe, _empty, _invalid, _is_blank, _quoted,
    _slot_tokens, letter, plain,
)


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
