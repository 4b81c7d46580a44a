"""Where widgets cannot run, the quiz falls back to text: nbconvert's HTML export and a plain ``python`` shell."""

from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pytest
from nbconvert import HTMLExporter

from alliance_course import quiz
from alliance_course.quiz import QuizView, load_bank
from alliance_course.quiz.text import render_html, render_text


@pytest.fixture
def bundle(tmp_path, monkeypatch):
    monkeypatch.setenv("ALLIANCE_COURSE_PROGRESS", str(tmp_path / "progress.json"))
    bank = load_bank("00")
    view = QuizView(bank)
    display = quiz._Display(view.box, render_text(bank), render_html(bank))
    return display._repr_mimebundle_()


def export(bundle: dict, widget_state: dict | None) -> str:
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('quiz.show("00")')
    cell.outputs = [nbformat.v4.new_output("display_data", data=bundle)]
    notebook.cells = [cell]
    if widget_state is not None:
        notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
            "version_major": 2, "version_minor": 0, "state": widget_state}}
    body, _ = HTMLExporter().from_notebook_node(notebook)
    return body


def test_html_export_without_widget_state_shows_the_text_version(bundle):
    body = export(bundle, None)
    assert '<div class="quiz-static">' in body
    assert 'quiz.answer("00", "run-top-to-bottom", "?")' in body
    question = load_bank("00").question("run-top-to-bottom")
    right = "abcd"[next(i for i, option in enumerate(question.options) if option.correct)]
    assert f"{right}) An earlier cell that creates <code>members</code> has not been run" in body
    assert 'type="application/vnd.jupyter.widget-view+json"' not in body


def test_html_export_with_saved_widget_state_uses_the_widget(bundle):
    # The known limit, documented in the guide: `nbconvert --execute` saves widget state unless
    # --ExecutePreprocessor.store_widget_state=False, and then the export embeds the widget instead.
    model_id = bundle[quiz.WIDGET_MIMETYPE]["model_id"]
    body = export(bundle, {model_id: {"model_name": "VBoxModel", "model_module": "@jupyter-widgets/controls",
                                      "model_module_version": "2.0.0", "state": {}}})
    assert 'type="application/vnd.jupyter.widget-view+json"' in body
    assert '<div class="quiz-static">' not in body


def test_plain_python_prints_the_questions(tmp_path):
    env = dict(os.environ, ALLIANCE_COURSE_PROGRESS=str(tmp_path / "progress.json"), ALLIANCE_QUIZ_SEED="ana")
    shown = load_bank("00").for_learner("ana").question("exercise-check")
    right = "abcd"[next(i for i, option in enumerate(shown.options) if option.correct)]
    code = (f"from alliance_course import quiz\nquiz.show('00')\nr = quiz.answer('00', 'exercise-check', '{right}')\n"
            "assert r.correct")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "1. You open a lesson" in done.stdout and 'quiz.answer("00", "cite-a-fact", "?, ?, ?, ?")' in done.stdout
    assert "✓ Correct — Yes. A fingerprint (a hash)" in done.stdout
