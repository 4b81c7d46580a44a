"""Robustness of the static-export path: a notebook exported to HTML (``python -m alliance_course export-html``)
shows its quizzes as text, and the command handles a missing notebook with a clear message.

The lessons themselves are exported by test_robustness.py from the run it makes anyway (two of them, see
``EXPORTED`` there), so no lesson runs again just for this.
"""

from __future__ import annotations

import re


from alliance_course import paths, quiz

ROOT = paths.course_root()


def _first_quiz_prompt(number: str) -> str | None:
    try:
        bank = quiz.load_bank(number)
    except quiz.QuizError:
        return None
    prompts = [q.prompt for q in bank.questions if q.section == "quiz"]
    return prompts[0] if prompts else None


def quiz_text_problems(html: str, number: str) -> list[str]:
    """What is wrong with a static HTML export of a notebook with notebook ``number``'s quiz (empty: fine).

    Used here on a small notebook and in test_robustness.py on two executed lessons (no extra run)."""
    problems = []
    if "Traceback" in html:
        problems.append("a cell failed (Traceback in the page)")
    if "application/vnd.jupyter.widget-state+json" in html:
        problems.append("the page still carries the live widgets' state")
    prompt = _first_quiz_prompt(number)
    if prompt is None:
        return problems + [f"notebook {number} has no quiz bank with end-of-notebook questions"]
    words = re.sub(r"`([^`]+)`", r"\1", " ".join(prompt.split()))[:30]
    visible = re.sub(r"<[^>]+>", "", html).replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")
    if words not in visible:
        problems.append("the quiz's text fallback is missing from the static HTML export")
    return problems


def test_export_html_command_writes_a_page_with_the_quiz_as_text(tmp_path, capsys):
    """The command as shipped, on a two-cell notebook showing lesson 02's quiz (the lessons themselves are
    exported in test_robustness.py from the run that test makes anyway)."""
    import nbformat

    from alliance_course.__main__ import main

    source = tmp_path / "quiz-page.ipynb"
    cells = [nbformat.v4.new_markdown_cell("# How the quizzes work"),
             nbformat.v4.new_code_cell('from alliance_course import quiz\nquiz.show("02")')]
    nb = nbformat.v4.new_notebook(cells=cells)
    nbformat.write(nb, source)
    out = tmp_path / "start.html"
    assert main(["export-html", str(source), "--out", str(out)]) == 0
    assert f"written: {out}" in capsys.readouterr().out
    html = out.read_text(encoding="utf-8")
    assert "How the quizzes work" in html
    assert quiz_text_problems(html, "02") == []


def test_export_html_of_a_missing_notebook_is_a_clear_message(tmp_path, capsys):
    from alliance_course.__main__ import main

    assert main(["export-html", str(tmp_path / "nope.ipynb")]) == 1
    assert "Cannot export" in capsys.readouterr().out
