"""Quizzes: question banks as data, pure grading, an ipywidgets view and a text fallback.

In a notebook::

    from alliance_course import quiz
    quiz.warmup("02")                    # the opening retrieval questions (section: warmup)
    quiz.show("02")                      # the end-of-notebook quiz (section: quiz, the default)
    quiz.ask("02", "art5-automatic")     # one question (warm-ups, in-text checks)
    quiz.answer("02", "art5-automatic", "b")   # answer as text (works anywhere)

``show`` and ``ask`` display widgets in Jupyter, with a text/HTML copy of the questions for places where widgets
cannot run (a static HTML export); in a plain ``python`` shell they print the text. A problem (unknown notebook
or question id, a broken bank) is printed as a friendly message rather than raised.

Options of single- and multiple-choice questions are shuffled for each learner (:func:`learner_seed`): the same
learner sees the same order in every kernel, and the widget, the text and the HTML copy always agree.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from .._common import in_kernel
from .bank import Bank, BankError, QuizError, available_banks, bank_path, display_path, load_bank
from .model import Question, Result, excerpt, grade, plain
from .session import QuizSession
from .text import render_html, render_text, result_text, reveal_text
from .view import QuestionView, QuizView
from alliance_course._display import WIDGET_MIMETYPE, widget_bundle  # noqa: F401 - WIDGET_MIMETYPE: quiz.WIDGET_MIMETYPE

__all__ = ["show", "warmup", "ask", "answer", "reveal", "load_bank", "grade", "QuizError", "BankError", "Bank", "Question",
           "Result", "QuizSession", "QuizView", "QuestionView", "available_banks", "bank_path", "learner_seed"]

SEED_ENV = "ALLIANCE_QUIZ_SEED"

# Text sessions for quiz.answer(): one per notebook for this kernel.
_text_sessions: dict[str, QuizSession] = {}


class _Display:
    """A widget plus plain-text and HTML copies: Jupyter front ends show the widget, static exports
    without widget state fall back to the HTML, terminals to the text."""

    def __init__(self, widget: Any, text: str, html: str) -> None:
        self.widget, self.text, self.html = widget, text, html

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {**widget_bundle(self.widget, self.text), "text/html": self.html}

    def __repr__(self) -> str:
        return self.text


def _in_kernel() -> bool:
    return in_kernel() is not None


def learner_seed() -> str:
    """Whose option order to use: ``$ALLIANCE_QUIZ_SEED`` if set (tests, exports for a class), else the JupyterHub
    user, else the operating-system account; the same learner gets the same order in every kernel."""
    for name in (SEED_ENV, "JUPYTERHUB_USER"):
        value = os.environ.get(name, "").strip()
        if value:
            return value
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in this environment (some containers)
        return "learner"


def _learner_bank(notebook: Any) -> Bank:
    return load_bank(plain(notebook)).for_learner(learner_seed())


def _problem(error: QuizError) -> None:
    print(f"⚠ {excerpt(str(error), 2000)}")


def _internal(what: str, error: BaseException) -> None:
    print(f"⚠ The quiz itself failed while {what} ({type(error).__name__}); your work is safe. "
          "Please report this to your teacher.")


def _present(bank: Bank, question_ids: list[str] | None, show_score: bool) -> None:
    questions = [bank.question(qid) for qid in question_ids] if question_ids else list(bank.questions)
    text, html = render_text(bank, questions), render_html(bank, questions)
    if not _in_kernel():
        print(text)
        return
    from IPython.display import display

    from alliance_course._display import name_controls_in_browser

    name_controls_in_browser()  # keyboard and screen-reader fixes for widget controls (once per kernel)
    view = QuizView(bank, question_ids, show_score=show_score)
    display(_Display(view.box, text, html))


def _section(bank: Bank, section: str) -> list[str]:
    ids = [question.id for question in bank.questions if question.section == section]
    if not ids:
        raise QuizError(f"The quiz for notebook {bank.notebook} has no {section} questions "
                        f"(questions with 'section: {section}' in {display_path(bank.path)}).")
    return ids


def show(notebook: str) -> None:
    """Show notebook ``notebook``'s end-of-notebook quiz, e.g. ``quiz.show("02")`` (its ``section: quiz``
    questions, which is every question without a ``section``)."""
    try:
        bank = _learner_bank(notebook)
        _present(bank, _section(bank, "quiz"), show_score=True)
    except QuizError as error:
        _problem(error)
    except Exception as error:  # noqa: BLE001 - never a traceback for a learner
        _internal("showing the quiz", error)


def warmup(notebook: str) -> None:
    """Show notebook ``notebook``'s warm-up: the retrieval questions on earlier lessons it opens with."""
    try:
        bank = _learner_bank(notebook)
        _present(bank, _section(bank, "warmup"), show_score=True)
    except QuizError as error:
        _problem(error)
    except Exception as error:  # noqa: BLE001
        _internal("showing the warm-up", error)


def ask(notebook: str, question_id: str) -> None:
    """Show one question of a notebook's quiz, e.g. ``quiz.ask("02", "art5-automatic")``."""
    try:
        bank = _learner_bank(notebook)
        _present(bank, [bank.question(plain(question_id)).id], show_score=False)
    except QuizError as error:
        _problem(error)
    except Exception as error:  # noqa: BLE001
        _internal("showing the question", error)


def _text_session(bank: Bank) -> QuizSession:
    session = _text_sessions.get(bank.notebook)
    if session is None or session.bank is not bank:
        session = _text_sessions[bank.notebook] = QuizSession(bank)
    return session


def answer(notebook: str, question_id: str, response: Any) -> Result | None:
    """Answer a question as text: prints the feedback (and the explanation once correct) and returns the
    :class:`Result`; prints a friendly message and returns None for an unknown notebook or question."""
    try:
        bank = _learner_bank(notebook)
        question = bank.question(plain(question_id))
    except QuizError as error:
        _problem(error)
        return None
    except Exception as error:  # noqa: BLE001
        _internal("finding the question", error)
        return None
    try:
        result = _text_session(bank).submit(question.id, response)
        print(result_text(question, result, bank.notebook))
    except Exception as error:  # noqa: BLE001
        _internal("checking your answer", error)
        return None
    return result


def reveal(notebook: str, question_id: str) -> None:
    """Print the answer, explanation and source of a question you have tried with ``quiz.answer``."""
    try:
        bank = _learner_bank(notebook)
        question = bank.question(plain(question_id))
    except QuizError as error:
        _problem(error)
        return
    except Exception as error:  # noqa: BLE001
        _internal("finding the question", error)
        return
    if _text_session(bank).reveal(question.id) is None:
        print(f'ℹ Make a first try with quiz.answer("{bank.notebook}", "{question.id}", ...); '
              "then you can see the answer.")
        return
    print(reveal_text(question))
