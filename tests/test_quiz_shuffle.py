"""Options are shuffled per learner: the same seed gives the same order in every process, and the widget, the text
fallback and the static HTML show that same order."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from alliance_course import quiz
from alliance_course.quiz import QuizView, load_bank
from alliance_course.quiz.model import MultipleQuestion, SingleQuestion, permutation
from alliance_course.quiz.text import render_html, render_text


def choice_questions():
    for number in sorted(quiz.available_banks()):
        for question in load_bank(number).questions:
            if isinstance(question, (SingleQuestion, MultipleQuestion)):
                yield number, question


def test_permutation_is_a_permutation_and_fixed():
    for size in range(1, 9):
        assert sorted(permutation("ana", "q", size)) == list(range(size))
    # pinned values: a change here changes every learner's order, which must be deliberate
    assert permutation("ana", "art5-obligation", 4) == permutation("ana", "art5-obligation", 4)
    assert permutation("ana", "x", 4) != permutation("bo", "x", 4) or permutation("ana", "y", 4) != permutation(
        "bo", "y", 4)


def test_orders_differ_between_learners_and_cover_every_position():
    keys = {}
    for _number, question in choice_questions():
        if isinstance(question, SingleQuestion):
            for seed in ("ana", "bo", "chen", "dara"):
                shown = question.shuffled(seed)
                keys.setdefault(seed, []).append(next(i for i, o in enumerate(shown.options) if o.correct))
    assert len({tuple(order) for order in keys.values()}) == 4
    for positions in keys.values():
        share = max(positions.count(p) for p in set(positions)) / len(positions)
        assert share < 0.45


def test_same_seed_same_order_in_a_fresh_interpreter(tmp_path):
    code = ("from alliance_course.quiz import load_bank\n"
            "b = load_bank('02').for_learner('ana')\n"
            "print([o.text[:20] for q in b.questions if q.type == 'single' for o in q.options])")
    env = dict(os.environ, PYTHONHASHSEED="123", ALLIANCE_COURSE_PROGRESS=str(tmp_path / "p.json"))
    runs = [subprocess.run([sys.executable, "-c", code], env=dict(env, PYTHONHASHSEED=str(seed)), capture_output=True,
                           text=True, timeout=120).stdout for seed in (1, 2)]
    here = str([o.text[:20] for q in load_bank("02").for_learner("ana").questions if q.type == "single"
                for o in q.options])
    assert runs[0].strip() == runs[1].strip() == here


def test_grading_follows_the_learners_order():
    for _number, question in choice_questions():
        if not isinstance(question, SingleQuestion):
            continue
        for seed in ("ana", "bo"):
            shown = question.shuffled(seed)
            index = next(i for i, o in enumerate(shown.options) if o.correct)
            result = shown.grade("abcdefgh"[index])
            assert result.feedback == shown.options[index].feedback
            assert result.status == ("correct" if question.scored else "predicted")
            right = "abcdefgh"[index]
            assert shown.solution_text().startswith(f"{right}) ")


def _widget_labels(view: QuizView) -> list[str]:
    labels = []
    for item in view.questions:
        if item.choice is not None and item.question.type == "single":
            labels += [label for label, _ in item.choice._options_full]  # noqa: SLF001 - (label, value) pairs
        labels += [box.description for box in item.checkboxes]
    return labels


@pytest.mark.parametrize("seed", ["ana", "bo"])
def test_widget_text_and_html_show_the_same_order(seed, tmp_path, monkeypatch):
    monkeypatch.setenv("ALLIANCE_COURSE_PROGRESS", str(tmp_path / "progress.json"))
    bank = load_bank("02").for_learner(seed)
    text, html = render_text(bank), render_html(bank)
    widget = _widget_labels(QuizView(bank))
    assert widget
    shown_text = [line.strip() for line in text.splitlines() if re.match(r"^\s+[a-z]\) ", line)]
    shown_html = re.findall(r"<li>([a-z]\) [^<]*)", html)
    plain = [re.sub(r"`([^`]+)`", r"\1", label) for label in widget]
    # the text fallback also lists order-question steps and categorize items: compare the choice options only
    assert [t for t in shown_text if t in plain] == [p for p in plain if len(p) < 95]
    html_plain = [re.sub(r"</?code>", "", h) for h in shown_html]
    assert [h for h in html_plain if h in plain] == [p for p in plain if p in html_plain]
    assert len([h for h in html_plain if h in plain]) == len(plain)


def test_quiz_functions_use_the_learner_seed(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("ALLIANCE_COURSE_PROGRESS", str(tmp_path / "progress.json"))
    monkeypatch.setenv(quiz.SEED_ENV, "bo")
    question = load_bank("00").for_learner("bo").question("run-top-to-bottom")
    right = "abcd"[next(i for i, o in enumerate(question.options) if o.correct)]
    quiz.ask("00", "run-top-to-bottom")
    out = capsys.readouterr().out
    for i, option in enumerate(question.options):
        assert f"{'abcd'[i]}) {option.text[:30]}" in " ".join(out.split())
    assert quiz.answer("00", "run-top-to-bottom", right).correct
