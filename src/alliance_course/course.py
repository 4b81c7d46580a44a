"""The one list of the course's notebooks.

Navigation headers and footers, the course map in ``00-start-here`` and the hygiene checks are all
generated or checked from this list (``python -m alliance_course build``); nobody edits them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    number: str  # "00" … "09"
    slug: str  # file name without .ipynb, e.g. "01-alliance-or-coalition"
    title: str
    question: str  # the core question the notebook answers
    minutes: int  # estimated time for a learner

    @property
    def filename(self) -> str:
        return f"{self.slug}.ipynb"

    @property
    def is_lesson(self) -> bool:
        """Notebook 00 is the front page; 01–09 follow the full lesson template."""
        return self.number != "00"


LESSONS: tuple[Lesson, ...] = (
    Lesson("00", "00-start-here", "Start here",
           "How does this course work, and where am I?", 15),
    Lesson("01", "01-alliance-or-coalition", "Alliance or coalition?",
           "What distinguishes a military alliance from a coalition of the willing?", 80),
    Lesson("02", "02-nato-as-an-alliance", "NATO as an alliance",
           "What does the North Atlantic Treaty oblige, and how do consensus, the command "
           "and force structures and enlargement make NATO an alliance?", 85),
    Lesson("03", "03-coalitions-of-the-willing", "Coalitions of the willing in history",
           "Why do coalitions form around a lead nation, why do junior partners join, and what makes "
           "them legitimate?", 85),
    Lesson("04", "04-out-of-area", "Out of area or out of business",
           "How did crisis-response operations bring coalition logic into NATO?", 85),
    Lesson("05", "05-force-generation", "Force generation",
           "How does NATO turn a decision into forces, and what do national caveats do to them?", 90),
    Lesson("06", "06-framework-nations", "The Framework Nation Concept",
           "How do framework nations put a coalition structure inside the alliance?", 80),
    Lesson("07", "07-burden-sharing", "Burden sharing",
           "Who pays for the common defence, and do small allies free-ride?", 85),
    Lesson("08", "08-coalition-of-the-willing-2025", "The 2025 coalition of the willing",
           "Does a European coalition of the willing for Ukraine strengthen or erode the alliance?", 80),
    Lesson("09", "09-capstone", "Capstone",
           "Alliance or coalition: which serves in a crisis, and at what cost?", 90),
)


def by_number(number: str) -> Lesson:
    number = str(number).zfill(2)
    for lesson in LESSONS:
        if lesson.number == number:
            return lesson
    valid = ", ".join(lesson.number for lesson in LESSONS)
    raise KeyError(f"No notebook numbered {number!r}; the course has {valid}.")
