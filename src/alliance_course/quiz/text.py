"""The quiz as text: for a plain ``python`` shell, a terminal, and static exports (HTML) without widgets.

``render_text`` / ``render_html`` print the questions with their options and the exact
``quiz.answer("NN", "id", ...)`` call that answers each one. They never contain the answers.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from .bank import Bank
from .model import (
    CategorizeQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderQuestion,
    Question,
    Result,
    SingleQuestion,
    TrueFalseQuestion,
    letter,
)

INSTRUCTIONS = {
    "single": "choose one",
    "multiple": "choose all that apply",
    "truefalse": "true or false",
    "numeric": "type a number",
    "order": "put the steps in order",
    "categorize": "sort each item into a group",
}
WIDTH = 100


def answer_call(notebook: str, question: Question) -> str:
    """The call that answers ``question``, with ``?`` placeholders: ``quiz.answer("02", "art5-automatic", "?")``."""
    return f'quiz.answer("{notebook}", "{question.id}", {question.answer_template()})'


def placeholder_help(question: Question) -> str:
    return f"(replace ? with {question.answer_help()})"


def choices(question: Question) -> list[str]:
    """The lines listing what a learner chooses from (options, steps, items and groups)."""
    if isinstance(question, (SingleQuestion, MultipleQuestion)):
        return [f"{letter(i)}) {option.text}" for i, option in enumerate(question.options)]
    if isinstance(question, TrueFalseQuestion):
        return ["True", "False"]
    if isinstance(question, NumericQuestion):
        return [f"Unit: {question.unit}"] if question.unit else []
    if isinstance(question, OrderQuestion):
        return [f"{letter(n)}) {question.steps[i].text}" for n, i in enumerate(question.display_order())]
    if isinstance(question, CategorizeQuestion):
        groups = "Groups: " + ", ".join(f"{n} = {g}" for n, g in enumerate(question.groups, start=1))
        return [groups] + [f"{letter(i)}) {item.text}" for i, item in enumerate(question.items)]
    return []


def wrap(text: str, indent: str = "", width: int = WIDTH) -> str:
    """Fill ``text`` to ``width`` columns: first line indented by ``indent``, the rest by ``indent`` plus three
    spaces; words longer than a line are cut into pieces.

    Linear in the length of ``text`` (``textwrap.fill`` is quadratic on very long input: a pasted 5 MB prompt or
    answer took seconds to minutes), so anything a learner or an author types is wrapped quickly.
    """
    words = text.split()
    follow = indent + "   "
    lines: list[str] = []
    i, offset = 0, 0  # the next word, and how much of it earlier lines already used
    while i < len(words):
        prefix = follow if lines else indent
        room = max(1, width - len(prefix))
        parts: list[str] = []
        used = 0
        while i < len(words):
            needed = len(words[i]) - offset + (1 if parts else 0)
            if used + needed > room:
                break
            parts.append(words[i][offset:] if offset else words[i])
            used += needed
            i, offset = i + 1, 0
        if i < len(words) and len(words[i]) - offset > room:  # a word longer than a line: fill this line
            space = room - used - (1 if parts else 0)
            if space > 0:
                parts.append(words[i][offset:offset + space])
                offset += space
        lines.append(prefix + " ".join(parts))
    return "\n".join(lines)


def _wrap(text: str, indent: str) -> str:
    return wrap(text, indent)


def question_text(notebook: str, question: Question, number: int | None = None) -> str:
    """One question as plain text, with how to answer it."""
    head = f"{number}. " if number is not None else ""
    lines = [_wrap(f"{head}{question.prompt} [{INSTRUCTIONS[question.type]}]", "")]
    lines += [_wrap(line, "   ") for line in choices(question)]
    lines.append(f"   Answer with: {answer_call(notebook, question)}")
    lines.append(f"   {placeholder_help(question)}")
    return "\n".join(lines)


def render_text(bank: Bank, questions: Sequence[Question] | None = None) -> str:
    """The whole quiz (or some questions) as plain text."""
    chosen = list(questions) if questions is not None else list(bank.questions)
    count = f"{len(chosen)} question{'s' if len(chosen) != 1 else ''}"
    parts = [f"{bank.title} (notebook {bank.notebook}, {count})",
             "Answer each question in a code cell with quiz.answer(...) as shown; you may try again."]
    parts += [question_text(bank.notebook, q, n if len(chosen) > 1 else None)
              for n, q in enumerate(chosen, start=1)]
    return "\n\n".join(parts)


_CODE = re.compile(r"`([^`]+)`")
# *word* or *a few words*: the asterisks hug the words, so "2 * 3" and "5*" stay as they are
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=\S)\*(?![\w*])")


def inline_html(text: str) -> str:
    """Bank text as safe HTML: `code` spans become ``<code>``, *emphasis* ``<em>``; the rest is escaped. The banks'
    only mark-up (the widget view, the static HTML and the website all show it this way)."""
    out = []
    for index, part in enumerate(_CODE.split(text)):  # prose, code, prose, code, ...
        escaped = html.escape(part, quote=False)
        out.append(f"<code>{escaped}</code>" if index % 2 else _EMPHASIS.sub(r"<em>\1</em>", escaped))
    return "".join(out)


def plain_label(text: str) -> str:
    """Bank text for a control's label, which shows no mark-up: `code` and *emphasis* lose their marks."""
    return _EMPHASIS.sub(r"\1", _CODE.sub(r"\1", text))



def render_html(bank: Bank, questions: Sequence[Question] | None = None) -> str:
    """The quiz as static HTML (what an HTML export shows where widgets cannot run)."""
    chosen = list(questions) if questions is not None else list(bank.questions)
    out = ['<div class="quiz-static">',
           f"<p><strong>{inline_html(bank.title)}</strong> (notebook {bank.notebook}). "
           "This is a static copy of the quiz: run the notebook to answer it interactively, "
           "or answer in a code cell with the <code>quiz.answer(...)</code> call shown.</p>"]
    for number, question in enumerate(chosen, start=1):
        out.append('<div class="quiz-static-question">')
        head = f"{number}. " if len(chosen) > 1 else ""
        out.append(f"<p>{head}{inline_html(question.prompt)} <em>({INSTRUCTIONS[question.type]})</em></p>")
        lines = choices(question)
        if lines:
            out.append("<ul>" + "".join(f"<li>{inline_html(line)}</li>" for line in lines) + "</ul>")
        out.append(f"<p>Answer with: <code>{html.escape(answer_call(bank.notebook, question))}</code> "
                   f"{html.escape(placeholder_help(question), quote=False)}</p>")
        out.append("</div>")
    out.append("</div>")
    return "\n".join(out)


def result_text(question: Question, result: Result, notebook: str) -> str:
    """What ``quiz.answer`` prints for a graded response."""
    lines = [result.message()]
    if result.correct or result.predicted:
        lines += [f"Explanation: {question.explanation}", f"Source: {question.source}"]
    elif result.graded:
        if question.hint:
            lines.append(f"Hint: {question.hint}")
        lines.append(f'Try again, or see the answer with quiz.reveal("{notebook}", "{question.id}").')
    else:
        lines.append(f"Answer with: {answer_call(notebook, question)} {placeholder_help(question)}")
    return "\n".join(_wrap(line, "") for line in lines)


def reveal_text(question: Question) -> str:
    """The answer with its explanation and source."""
    lines = [f"ℹ The answer: {question.solution_text()}", f"Explanation: {question.explanation}",
             f"Source: {question.source}"]
    return "\n".join(_wrap(line, "") for line in lines)
