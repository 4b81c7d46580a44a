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

from typing import Any

from .base import (  # noqa: F401 - every name stays importable from quiz.model
    LETTERS, Status, SYMBOLS, HEADLINES, PREDICT, _SEPARATORS, _THOUSANDS, _EPSILON, letter, permutation, Result,
    _NoAnswer, _empty, _invalid, _is_blank, EXCERPT, plain, excerpt, _describe, _quoted, _ASCII_DIGITS,
    INTERNAL_PROBLEM, Question, Option, _option_index, MAX_TOKENS, _slot_tokens,
)
from .choice import (  # noqa: F401 - every name stays importable from quiz.model
    SingleQuestion, MultipleQuestion, _TRUE_WORDS, _FALSE_WORDS, TrueFalseQuestion,
)
from .numeric import (  # noqa: F401 - every name stays importable from quiz.model
    NumericRange, WrongValue, _close, _format_number, parse_number, NumericQuestion,
)
from .arrange import (  # noqa: F401 - every name stays importable from quiz.model
    Step, OrderQuestion, Item, CategorizeQuestion,
)

QUESTION_TYPES: dict[str, type[Question]] = {
    cls.type: cls for cls in (SingleQuestion, MultipleQuestion, TrueFalseQuestion, NumericQuestion,
                              OrderQuestion, CategorizeQuestion)
}


def grade(question: Question, response: Any) -> Result:
    """Grade ``response`` to ``question``: correctness, the feedback to show, and whether the answer may
    now be revealed. Any response is accepted; bad ones give an ``empty`` or ``invalid`` Result."""
    return question.grade(response)
