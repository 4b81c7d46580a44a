"""The ipywidgets view: a thin layer over :class:`.session.QuizSession`.

Each :class:`QuestionView` holds native, keyboard-operable controls (radio buttons, checkboxes, a text box,
dropdowns), a **Submit** button, a **Show answer** button (enabled after a first try), an optional **Hint**
button and a feedback area (CSS class ``quiz-feedback``) that always says in words and a symbol what happened.
Tests drive it from Python: set ``view.choice.value = "b"`` and call ``view.submit.click()``.
"""

from __future__ import annotations

import html
import json
from typing import Any

import ipywidgets as widgets
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, LabelStyle, TextStyle

from alliance_course._display import shared

from .bank import Bank
from .model import (
    CategorizeQuestion,
    grade,
    MultipleQuestion,
    NumericQuestion,
    OrderQuestion,
    Question,
    Result,
    SingleQuestion,
    TrueFalseQuestion,
    letter,
)
from .session import QuizSession
from .text import inline_html, plain_label

# Long option texts wrap instead of being cut off; labels keep their full text.
STYLE = """<style>
.quiz-question .widget-radio-box label { display: flex; align-items: baseline; gap: 0.4em; white-space: normal;
  height: auto; line-height: 1.4; }
.quiz-question .widget-radio-box label input { order: -1; flex: none; }
.quiz-question .widget-checkbox label, .quiz-question .widget-label { white-space: normal; height: auto;
  line-height: 1.4; }
.quiz-question .widget-radio-box { width: auto; }
.quiz-feedback p { margin: 0.25em 0; }
</style>"""
_PLACEHOLDER_STEP = "— choose a step —"
_PLACEHOLDER_GROUP = "— choose a group —"
_LOOKS: dict[str, tuple[type[widgets.Widget], dict[str, Any]]] = {
    "layout": (widgets.Layout, {}),
    "wide": (widgets.Layout, {"width": "auto", "max_width": "100%"}),
    "row": (widgets.Layout, {"align_items": "center", "width": "100%"}),
    "item": (widgets.Layout, {"flex": "1 1 auto", "width": "auto"}),
    "group": (widgets.Layout, {"width": "auto", "min_width": "16em", "flex": "none"}),
    "html": (HTMLStyle, {}),
    "label": (LabelStyle, {}),
    "button": (widgets.ButtonStyle, {}),
    "checkbox": (CheckboxStyle, {}),
    "initial": (DescriptionStyle, {"description_width": "initial"}),
    "text": (TextStyle, {"description_width": "initial"}),
}


def _shared(name: str) -> widgets.Widget:
    """The one Layout or Style model of this look (see :func:`alliance_course._display.shared`)."""
    kind, traits = _LOOKS[name]
    return shared(kind, **traits)


def _html(value: str = "", classes: tuple[str, ...] = ()) -> widgets.HTML:
    # CSS classes given at construction travel in the widget's opening message; ``add_class`` afterwards would
    # send one more message per class (a quiz shows hundreds of models: each message counts)
    return widgets.HTML(value, layout=_shared("layout"), style=_shared("html"), _dom_classes=classes)


def _button(description: str, tooltip: str, disabled: bool = False) -> widgets.Button:
    return widgets.Button(description=description, tooltip=tooltip, disabled=disabled,
                          layout=_shared("layout"), style=_shared("button"))


def _plain_label(text: str) -> widgets.Label:
    return widgets.Label(text, layout=_shared("layout"), style=_shared("label"))


def _paragraph(text: str, label: str | None = None) -> str:
    lead = f"<strong>{html.escape(label, quote=False)}</strong> " if label else ""
    return f"<p>{lead}{inline_html(text)}</p>"


class QuestionView:
    """The widgets for one question, bound to a session.

    Controls by type: ``choice`` (RadioButtons: single, truefalse), ``checkboxes`` (multiple),
    ``number`` (Text: numeric), ``slots`` (one Dropdown per position: order), ``placements``
    (one Dropdown per item: categorize).
    """

    def __init__(self, question: Question, session: QuizSession, number: int | None = None) -> None:
        self.question = question
        self.session = session
        head = f"{number}. " if number is not None else ""
        self.prompt = _html(f"<p><strong>{head}</strong>{inline_html(question.prompt)}</p>" + self._instant_feedback())
        self.choice: widgets.RadioButtons | None = None
        self.checkboxes: list[widgets.Checkbox] = []
        self.number: widgets.Text | None = None
        self.slots: list[widgets.Dropdown] = []
        self.placements: list[widgets.Dropdown] = []
        controls = self._build_controls()
        self.submit = _button("Submit", "Check your answer")
        self.show_answer = _button("Show answer", "Shows the answer and its explanation (after a first try)",
                                   disabled=True)
        self.hint: widgets.Button | None = None
        buttons: list[widgets.Widget] = [self.submit, self.show_answer]
        if question.hint:
            self.hint = _button("Hint", "A clue that does not give the answer away")
            self.hint.on_click(self._on_hint)
            buttons.append(self.hint)
        self.feedback = _html("", ("quiz-feedback",))
        self.submit.on_click(self._on_submit)
        self.show_answer.on_click(self._on_show_answer)
        row = widgets.HBox(buttons, layout=_shared("layout"))
        self.box = widgets.VBox([self.prompt, *controls, row, self.feedback], layout=_shared("layout"),
                                _dom_classes=("quiz-question", f"quiz-{question.type}"))

    def _build_controls(self) -> list[widgets.Widget]:
        question = self.question
        if isinstance(question, (SingleQuestion, TrueFalseQuestion)):
            options: list[tuple[str, Any]]
            if isinstance(question, SingleQuestion):
                options = [(f"{letter(i)}) {plain_label(o.text)}", letter(i)) for i, o in enumerate(question.options)]
            else:
                options = [("True", True), ("False", False)]
            self.choice = widgets.RadioButtons(options=options, value=None, description="Your answer:",
                                               style=_shared("initial"), layout=_shared("wide"))
            return [self.choice]
        if isinstance(question, MultipleQuestion):
            self.checkboxes = [widgets.Checkbox(value=False, description=f"{letter(i)}) {plain_label(o.text)}",
                                                indent=False, layout=_shared("wide"), style=_shared("checkbox"))
                               for i, o in enumerate(question.options)]
            return [_plain_label("Choose all that apply:"), *self.checkboxes]
        if isinstance(question, NumericQuestion):
            unit = f" (in {question.unit})" if question.unit else ""
            self.number = widgets.Text(value="", description=f"Your answer{unit}:",
                                       placeholder="a number, e.g. 12.5", style=_shared("text"),
                                       layout=_shared("layout"))
            return [self.number]
        if isinstance(question, OrderQuestion):
            shown = [(f"{letter(n)}) {plain_label(question.steps[i].text)}", letter(n))
                     for n, i in enumerate(question.display_order())]
            self.slots = [widgets.Dropdown(options=[(_PLACEHOLDER_STEP, None), *shown], index=0,
                                           description=f"Step {n}:", layout=_shared("wide"), style=_shared("initial"))
                          for n in range(1, len(question.steps) + 1)]
            return [_plain_label("Put the steps in order: choose the step for each position."), *self.slots]
        if isinstance(question, CategorizeQuestion):
            groups = [(_PLACEHOLDER_GROUP, None), *[(group, group) for group in question.groups]]
            # The item's text wraps in its own label; the dropdown keeps a fixed width beside it, so long items
            # never push the control off screen.
            self.placements = [widgets.Dropdown(options=groups, index=0, description=f"Group for {letter(i)})",
                                                style=_shared("initial"), layout=_shared("group"))
                               for i, _ in enumerate(question.items)]
            rows = [widgets.HBox([widgets.HTML(_paragraph(f"{letter(i)}) {item.text}"), layout=_shared("item"),
                                               style=_shared("html")), dropdown], layout=_shared("row"))
                    for i, (item, dropdown) in enumerate(zip(question.items, self.placements))]
            return [_plain_label("Choose a group for each item."), *rows]
        raise TypeError(f"No view for question type {question.type!r}")

    def response(self) -> Any:
        """The learner's current answer, in the form :func:`.model.grade` reads."""
        if self.choice is not None:
            return self.choice.value
        if self.checkboxes:
            return [letter(i) for i, box in enumerate(self.checkboxes) if box.value]
        if self.number is not None:
            return self.number.value
        if self.slots:
            return [slot.value for slot in self.slots]
        if self.placements:
            return {letter(i): dropdown.value for i, dropdown in enumerate(self.placements)}
        return None

    def _instant_feedback(self) -> str:
        """For a question answered by one choice (single, true/false), the feedback to every choice, as inert JSON
        in the page: the page script (:data:`alliance_course._display.ARIA_SCRIPT`) shows it the moment Submit is
        clicked, and the kernel, which grades, counts and saves the answer, then sends the same words. Feedback
        no longer waits for a round trip to the kernel (or for a busy kernel). Key ``-1``: nothing chosen."""
        question = self.question
        if isinstance(question, SingleQuestion):
            values: list[Any] = [letter(i) for i in range(len(question.options))]
        elif isinstance(question, TrueFalseQuestion):
            values = [True, False]
        else:
            return ""
        bodies = {str(i): self._wrap(self._body(grade(question, value))) for i, value in enumerate(values)}
        bodies["-1"] = self._wrap(self._body(grade(question, None)))
        data = json.dumps(bodies, ensure_ascii=False).replace("</", "<\\/")
        return f'<script type="application/json" class="quiz-instant">{data}</script>'

    def _body(self, result: Result) -> str:
        """What the feedback area says after a Submit that graded ``result``."""
        body = _paragraph(result.message())
        if result.correct or result.predicted:
            body += self._explanation()
        elif result.graded:
            body += _paragraph("Try again, or press “Show answer”.")
        return body

    @staticmethod
    def _wrap(body: str) -> str:
        return f'<div role="alert">{body}</div>'

    def _show(self, body: str) -> None:
        self.feedback.value = self._wrap(body)

    def _explanation(self) -> str:
        return (_paragraph(self.question.explanation, "Explanation:")
                + _paragraph(self.question.source, "Source:"))

    def _on_submit(self, _button: widgets.Button | None = None) -> None:
        result: Result = self.session.submit(self.question.id, self.response())
        self.show_answer.disabled = not self.session.can_reveal(self.question.id)
        self._show(self._body(result))

    def _on_show_answer(self, _button: widgets.Button | None = None) -> None:
        answer = self.session.reveal(self.question.id)
        if answer is None:
            self._show(_paragraph("ℹ Make a first try, then you can see the answer."))
            return
        self._show(_paragraph(f"ℹ The answer: {answer}") + self._explanation())

    def _on_hint(self, _button: widgets.Button | None = None) -> None:
        self._show(_paragraph(f"ℹ Hint — {self.question.hint}"))


class QuizView:
    """A notebook's whole quiz (or a chosen set of questions) with a running score line."""

    def __init__(self, bank: Bank, question_ids: list[str] | None = None, *, show_score: bool = True,
                 session: QuizSession | None = None) -> None:
        questions = [bank.question(qid) for qid in question_ids] if question_ids else list(bank.questions)
        self.session = session or QuizSession(bank, questions)
        numbered = len(questions) > 1
        self.questions = [QuestionView(q, self.session, n if numbered else None)
                          for n, q in enumerate(questions, start=1)]
        children: list[widgets.Widget] = [_html(STYLE)]
        if numbered:
            children.append(_html(f"<h3>{inline_html(bank.title)}</h3>"))
        children += [view.box for view in self.questions]
        self.score = _html(self._score_html() if show_score else "", ("quiz-score",))
        if show_score:
            children.append(self.score)
            self.session.on_change(self._update_score)
        self.box = widgets.VBox(children, layout=_shared("layout"), _dom_classes=("quiz",))

    def __getitem__(self, question_id: str) -> QuestionView:
        for view in self.questions:
            if view.question.id == question_id:
                return view
        raise KeyError(question_id)

    def _score_html(self) -> str:
        return f"<p><strong>Score:</strong> {self.session.score_line()}</p>"

    def _update_score(self) -> None:
        self.score.value = self._score_html()
