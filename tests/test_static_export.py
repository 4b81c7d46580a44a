"""Robustness of the static-export path: a notebook exported to HTML (``python -m alliance_course export-html``)
shows its quizzes as text, and the command handles a missing notebook with a clear message.

(A separate module from test_robustness.py so that the two workers of ``make test`` can run them side by side.)
"""

from __future__ import annotations

import re

import pytest

from alliance_course import paths, quiz
from alliance_course.course import LESSONS

ROOT = paths.course_root()
NOTEBOOKS = [ROOT / "notebooks" / lesson.filename for lesson in LESSONS
             if (ROOT / "notebooks" / lesson.filename).exists()]
IDS = [path.stem for path in NOTEBOOKS]


def _first_quiz_prompt(number: str) -> str | None:
    try:
        bank = quiz.load_bank(number)
    except quiz.QuizError:
        return None
    prompts = [q.prompt for q in bank.questions if q.section == "quiz"]
    return prompts[0] if prompts else None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_static_html_export_shows_quizzes_as_text(path, tmp_path):
    from alliance_course import export

    html = export.to_html(export.execute(path, workdir=tmp_path))
    assert "Traceback" not in html
    assert "application/vnd.jupyter.widget-state+json" not in html
    number = path.name[:2]
    prompt = _first_quiz_prompt(number)
    if prompt is None:
        pytest.fail(f"{path.name}: notebook {number} has no quiz bank with end-of-notebook questions")
    words = re.sub(r"`([^`]+)`", r"\1", " ".join(prompt.split()))[:30]
    visible = re.sub(r"<[^>]+>", "", html)
    assert words in visible.replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&"), (
        f"{path.name}: the quiz's text fallback is missing from the static HTML export")


def test_export_html_command_writes_a_page(tmp_path, capsys):
    from alliance_course.__main__ import main

    source = ROOT / "notebooks" / "00-start-here.ipynb"
    out = tmp_path / "start.html"
    assert main(["export-html", str(source), "--out", str(out)]) == 0
    assert f"written: {out}" in capsys.readouterr().out
    assert "How the quizzes work" in out.read_text(encoding="utf-8")


def test_export_html_of_a_missing_notebook_is_a_clear_message(tmp_path, capsys):
    from alliance_course.__main__ import main

    assert main(["export-html", str(tmp_path / "nope.ipynb")]) == 1
    assert "Cannot export" in capsys.readouterr().out
