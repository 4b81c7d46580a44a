"""Predictions (section: predict) are asked, compared and explained, never scored or recorded."""

from __future__ import annotations

import shutil

import pytest

from alliance_course import paths, progress, quiz
from alliance_course.quiz import QuizSession, QuizView, load_bank

BANK = """title: Predictions
questions:
  - id: guess-share
    section: predict
    type: single
    prompt: Predict the share.
    objective: O
    explanation: The data show 8 %.
    source: seed-002
    options:
      - text: About 8 %
        correct: true
        feedback: That is what the list shows.
      - text: About half
        feedback: The list shows far fewer; compare with the chart below.
  - id: scored-one
    type: truefalse
    prompt: A scored statement.
    objective: O
    taught_in: Somewhere
    answer: true
    feedback_true: Right.
    feedback_false: It is true.
    explanation: Because.
    source: seed-002
"""


@pytest.fixture
def bank(tmp_path, monkeypatch):
    quizzes = tmp_path / "data" / "quizzes"
    quizzes.mkdir(parents=True)
    shutil.copy(paths.quizzes_dir() / "schema.json", quizzes / "schema.json")
    shutil.copy(paths.data_dir() / "sources.csv", tmp_path / "data" / "sources.csv")
    (quizzes / "05-predict.yaml").write_text(BANK, encoding="utf-8")
    monkeypatch.setenv("ALLIANCE_COURSE_ROOT", str(tmp_path))
    monkeypatch.setenv("ALLIANCE_COURSE_PROGRESS", str(tmp_path / "progress.json"))
    return load_bank("05")


def test_a_prediction_is_compared_and_explained_not_scored(bank):
    records = []
    session = QuizSession(bank, recorder=lambda *args: records.append(args))
    result = session.submit("guess-share", "b")
    assert result.status == "predicted" and not result.graded and not result.correct
    assert result.message().startswith("→ Your prediction — The list shows far fewer")
    assert "Correct" not in result.message() and "Not quite" not in result.message()
    assert session.can_reveal("guess-share")
    assert records == []
    assert session.score_line() == "0 of 1 correct on first try (0 of 1 answered so far)"
    session.submit("scored-one", True)
    assert records == [("quiz", "05", "scored-one", True)]
    assert session.score_line() == "1 of 1 correct on first try"


def test_text_fallback_shows_the_explanation_after_a_prediction(bank, capsys):
    quiz.answer("05", "guess-share", "a")
    out = capsys.readouterr().out
    assert "→ Your prediction" in out and "Explanation: The data show 8 %." in out
    assert progress.records() == []


def test_widget_shows_the_explanation_after_a_prediction(bank):
    view = QuizView(bank, ["guess-share"], show_score=False)
    item = view["guess-share"]
    item.choice.value = item.choice.options[0][1]
    item.submit.click()
    assert "Your prediction" in item.feedback.value and "The data show 8 %." in item.feedback.value
    assert progress.records() == []


def test_predictions_are_not_counted_as_bank_questions(bank):
    assert [q.id for q in bank.scored] == ["scored-one"]


def test_course_predictions_are_marked():
    predictions = {(n, q.id) for n in quiz.available_banks() for q in load_bank(n).questions if not q.scored}
    assert {("03", "predict-iraq-share"), ("03", "costa-rica-leaves"), ("05", "predict-binding-line"),
            ("06", "c-predict-path"), ("09", "c-predict-tracks")} <= predictions
    for number in quiz.available_banks():
        for question in load_bank(number).questions:
            if question.scored:
                assert not question.prompt.lower().startswith("predict"), (number, question.id)


def test_a_failing_progress_store_does_not_stop_grading(bank, capsys):
    def broken(*args):
        raise RecursionError("a deeply nested progress file")

    session = QuizSession(bank, recorder=broken)
    assert session.submit("scored-one", True).correct
    assert session.submit("scored-one", False).status == "incorrect"
    out = capsys.readouterr().out
    assert out.count("could not be saved") == 1 and "RecursionError" in out
    assert session.first_try_correct == 1
