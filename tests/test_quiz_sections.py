"""Warm-up, end-of-notebook and in-text questions share one bank, told apart by their `section`."""

from __future__ import annotations

import shutil

import pytest

from alliance_course import paths, quiz

QUESTION = """
  - id: {id}
    type: truefalse
    prompt: Statement {id}.
    objective: Tell sections apart.
    answer: true
    feedback_true: Right, {id} is true.
    feedback_false: No, {id} is true.
    explanation: Because {id}.
    source: seed-002
"""


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A course folder whose bank 05 has two warm-ups, two quiz questions and one in-text check."""
    quizzes = tmp_path / "data" / "quizzes"
    quizzes.mkdir(parents=True)
    shutil.copy(paths.quizzes_dir() / "schema.json", quizzes / "schema.json")
    shutil.copy(paths.data_dir() / "sources.csv", tmp_path / "data" / "sources.csv")
    body = "title: Sections\nquestions:\n"
    for qid, section in [("w-one", "warmup"), ("q-one", None), ("w-two", "warmup"), ("q-two", "quiz"),
                         ("c-one", "check")]:
        body += QUESTION.format(id=qid)
        if section:
            body += f"    section: {section}\n"
    (quizzes / "05-sections.yaml").write_text(body, encoding="utf-8")
    monkeypatch.setenv("ALLIANCE_COURSE_ROOT", str(tmp_path))
    return tmp_path


def test_show_presents_only_quiz_questions(course, capsys):
    quiz.show("05")
    out = capsys.readouterr().out
    assert "Statement q-one." in out and "Statement q-two." in out
    assert "w-one" not in out and "w-two" not in out and "c-one" not in out


def test_warmup_presents_only_warmup_questions(course, capsys):
    quiz.warmup("05")
    out = capsys.readouterr().out
    assert "Statement w-one." in out and "Statement w-two." in out
    assert "q-one" not in out and "c-one" not in out


def test_ask_reaches_any_section(course, capsys):
    quiz.ask("05", "c-one")
    assert "Statement c-one." in capsys.readouterr().out


def test_missing_section_is_a_friendly_message(course, capsys):
    bank = course / "data" / "quizzes" / "05-sections.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("section: warmup", "section: check"), encoding="utf-8")
    quiz.warmup("05")
    out = capsys.readouterr().out
    assert "has no warmup questions" in out and "Traceback" not in out


def test_unknown_section_value_is_reported_with_file_and_id(course, capsys):
    bank = course / "data" / "quizzes" / "05-sections.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("section: check", "section: intro"), encoding="utf-8")
    with pytest.raises(quiz.BankError) as caught:
        quiz.load_bank("05")
    message = str(caught.value)
    assert "data/quizzes/05-sections.yaml" in message and "'c-one'" in message and "section" in message
