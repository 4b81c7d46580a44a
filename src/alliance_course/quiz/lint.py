"""Bank lint: the statistics that let a learner pass a quiz without the lesson ("test-wise cues").

Run by the tests for every bank and for the course as a whole (``python -m alliance_course.quiz.lint`` prints the
figures). Only scored questions count (predictions have no key to give away). The rules:

1. **True/false keys balanced**: between 40 % and 60 % of true/false statements are keyed True. For a bank with
   few statements where no whole number falls in that band (1 or 3 statements), the counts nearest to half.
2. **The key is not the longest option**: in single-choice questions the correct option is *strictly* the
   longest in no more than 1/k + 10 % of k-option items (summed over items with different k:
   ``count <= sum(1/k) + 0.1 * n``). In multiple-choice questions a correct option is the strictly longest one in
   no more than ``sum(c/k) + 0.1 * n`` items (c correct options of k); checked course-wide only, because most banks
   have one or two multiple-choice questions and the limit for a single item with 2 of 5 correct would be 0.
3. **No favourite position**: no answer position (a, b, c, ...) holds more than 40 % of single-choice keys in the
   authored order (or, when 40 % is less than an even spread allows, no more than an even spread). Learners see a
   shuffled order anyway (:func:`.model.permutation`); this keeps the text in the YAML honest too.
4. **Every scored question says where it is taught**: a ``taught_in`` heading (checked against the notebooks by
   ``tests/test_quiz_taught_in.py``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .bank import Bank, available_banks, display_path, load_bank
from .model import MultipleQuestion, Question, SingleQuestion, TrueFalseQuestion, letter

TRUE_SHARE = (0.40, 0.60)
LONGEST_SLACK = 0.10
POSITION_SHARE = 0.40


def strictly_longest(question: SingleQuestion | MultipleQuestion) -> bool:
    """True when a correct option is longer than every other option (ties do not count)."""
    lengths = [len(" ".join(option.text.split())) for option in question.options]
    longest = max(lengths)
    if lengths.count(longest) > 1:
        return False
    return question.options[lengths.index(longest)].correct


@dataclass
class Stats:
    """Counts for one bank or for the course."""

    name: str
    questions: int = 0
    scored: int = 0
    truefalse: int = 0
    true_keys: int = 0
    single: int = 0
    single_longest: int = 0
    single_expected: float = 0.0  # sum of 1/k
    multiple: int = 0
    multiple_longest: int = 0
    multiple_expected: float = 0.0  # sum of c/k
    positions: Counter[int] = field(default_factory=Counter)
    min_options: int = 26
    untaught: list[str] = field(default_factory=list)
    course: bool = False  # the course-wide totals (the multiple-choice rule applies only there)

    def add(self, question: Question) -> None:
        self.questions += 1
        if not question.scored:
            return
        self.scored += 1
        if not question.taught_in:
            self.untaught.append(question.id)
        if isinstance(question, TrueFalseQuestion):
            self.truefalse += 1
            self.true_keys += bool(question.answer)
        elif isinstance(question, SingleQuestion):
            k = len(question.options)
            self.single += 1
            self.single_expected += 1 / k
            self.single_longest += strictly_longest(question)
            self.positions[next(i for i, o in enumerate(question.options) if o.correct)] += 1
            self.min_options = min(self.min_options, k)
        elif isinstance(question, MultipleQuestion):
            k = len(question.options)
            self.multiple += 1
            self.multiple_expected += sum(o.correct for o in question.options) / k
            self.multiple_longest += strictly_longest(question)

    def merge(self, other: Stats) -> None:
        for name in ("questions", "scored", "truefalse", "true_keys", "single", "single_longest", "single_expected",
                     "multiple", "multiple_longest", "multiple_expected"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.positions.update(other.positions)
        self.min_options = min(self.min_options, other.min_options)
        self.untaught += other.untaught

    # --- the limits -------------------------------------------------------------------------------------------

    def true_range(self) -> tuple[int, int]:
        """The allowed number of True keys."""
        n = self.truefalse
        low, high = math.ceil(TRUE_SHARE[0] * n - 1e-9), math.floor(TRUE_SHARE[1] * n + 1e-9)
        if low > high:
            low, high = n // 2, (n + 1) // 2
        return low, high

    def single_longest_limit(self) -> int:
        return math.floor(self.single_expected + LONGEST_SLACK * self.single + 1e-9)

    def multiple_longest_limit(self) -> int:
        return math.floor(self.multiple_expected + LONGEST_SLACK * self.multiple + 1e-9)

    def position_limit(self) -> int:
        even = math.ceil(self.single / self.min_options) if self.single else 0
        return max(math.floor(POSITION_SHARE * self.single + 1e-9), even)

    def problems(self) -> list[str]:
        found = []
        low, high = self.true_range()
        if self.truefalse and not low <= self.true_keys <= high:
            found.append(f"{self.name}: {self.true_keys} of {self.truefalse} true/false statements are keyed True "
                         f"({_pct(self.true_keys, self.truefalse)}); the keys must be balanced: {low} to {high} "
                         "True. Rewrite some statements so the other answer is right (and their feedback).")
        if self.single_longest > self.single_longest_limit():
            found.append(f"{self.name}: the correct option is the longest in {self.single_longest} of {self.single} "
                         f"single-choice questions (at most {self.single_longest_limit()} allowed, "
                         f"{_pct(self.single_longest_limit(), self.single)}); make distractors as long and "
                         "specific as the key, or the key shorter.")
        if self.course and self.multiple_longest > self.multiple_longest_limit():
            found.append(f"{self.name}: a correct option is the longest in {self.multiple_longest} of "
                         f"{self.multiple} multiple-choice questions (at most {self.multiple_longest_limit()} "
                         "allowed).")
        if self.positions:
            position, count = self.positions.most_common(1)[0]
            if count > self.position_limit():
                found.append(f"{self.name}: option {letter(position)}) is the key of {count} of {self.single} "
                             f"single-choice questions (at most {self.position_limit()} allowed, 40 %); vary where "
                             "the key is written.")
        if self.untaught:
            found.append(f"{self.name}: scored questions without taught_in (the heading of the section that teaches "
                         f"them): {', '.join(self.untaught)}")
        return found

    def row(self) -> dict[str, object]:
        """Figures for the README table."""
        return {
            "bank": self.name, "questions": self.questions, "scored": self.scored,
            "true/false True": f"{self.true_keys}/{self.truefalse}",
            "single longest-correct": f"{self.single_longest}/{self.single}",
            "multiple longest-correct": f"{self.multiple_longest}/{self.multiple}",
            "key positions": " ".join(f"{letter(i)}:{self.positions[i]}" for i in sorted(self.positions)),
        }


def _pct(part: float, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "-"


def bank_stats(bank: Bank) -> Stats:
    stats = Stats(display_path(bank.path))
    for question in bank.questions:
        stats.add(question)
    return stats


def course_stats(banks: Iterable[Bank]) -> tuple[list[Stats], Stats]:
    """Stats per bank and for all banks together."""
    per_bank = [bank_stats(bank) for bank in banks]
    total = Stats("all banks", course=True)
    for stats in per_bank:
        total.merge(stats)
    return per_bank, total


def course_banks() -> list[Bank]:
    return [load_bank(path) for path in available_banks().values()]


def lint(banks: Iterable[Bank] | None = None) -> list[str]:
    """Every problem in ``banks`` (default: the course's banks), per bank and course-wide; empty when clean."""
    per_bank, total = course_stats(course_banks() if banks is None else banks)
    problems = [problem for stats in per_bank for problem in stats.problems()]
    total.untaught = []  # already reported per bank
    return problems + total.problems()


def report() -> str:
    """The figures as a Markdown table (for the README)."""
    per_bank, total = course_stats(course_banks())
    rows = [stats.row() for stats in per_bank] + [total.row()]
    rows[-1]["bank"] = "**all banks**"
    for row in rows[:-1]:
        row["bank"] = str(row["bank"]).removeprefix("data/quizzes/").split("-")[0]
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(row[key]) for key in header) + " |" for row in rows]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - a convenience for authors
    import sys

    found = lint()
    print(report())
    print("\n".join(found) if found else "\nNo lint problems.")
    sys.exit(1 if found else 0)
