"""The widget view driven from Python, the session rules, and the show/ask/answer entry points."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import ipywidgets as widgets
import pytest

from alliance_course import paths, progress, quiz
from alliance_course.quiz import QuizSession, QuizView, load_bank
from alliance_course.quiz.model import LETTERS

FIXTURES = Path(__file__).parent / "fixtures" / "quizzes"
REAL_QUIZZES = paths.quizzes_dir()


@pytest.fixture
def course(tmp_path, monkeypatch) -> Path:
    """A course copy with the schema, bank 00 and the example bank as notebook 99; a fresh progress file."""
    folder = tmp_path / "course" / "data" / "quizzes"
    folder.mkdir(parents=True)
    for name in ("schema.json", "00-start-here.yaml"):
        shutil.copy(REAL_QUIZZES / name, folder)
    shutil.copy(FIXTURES / "99-example.yaml", folder)
    monkeypatch.setenv("ALLIANCE_COURSE_ROOT", str(tmp_path / "course"))
    monkeypatch.setenv(progress.ENV_VAR, str(tmp_path / "progress.json"))
    quiz._text_sessions.clear()
    return tmp_path / "progress.json"


@pytest.fixture
def view(course) -> QuizView:
    return QuizView(load_bank("99"))


def records(path: Path) -> dict[str, dict]:
    if not path.exists():
        return {}
    return {r["item"]: r for r in json.loads(path.read_text(encoding="utf-8"))["records"]}


def order_letters(question, order):
    shown = question.display_order()
    return [LETTERS[shown.index(step)] for step in order]


# --- structure and accessibility ------------------------------------------------------------------------------

def all_widgets(root: widgets.Widget):
    yield root
    for child in getattr(root, "children", ()):
        yield from all_widgets(child)


def test_every_control_is_native_labelled_and_classed(view):
    assert "quiz" in view.box._dom_classes
    for question_view in view.questions:
        assert "quiz-question" in question_view.box._dom_classes
        assert "quiz-feedback" in question_view.feedback._dom_classes
        assert question_view.submit.description == "Submit" and question_view.submit.tooltip
        assert question_view.show_answer.description == "Show answer" and question_view.show_answer.tooltip
        assert question_view.show_answer.disabled
        controls = [w for w in all_widgets(question_view.box)
                    if isinstance(w, (widgets.RadioButtons, widgets.Checkbox, widgets.Text, widgets.Dropdown))]
        assert controls, question_view.question.id
        assert all(control.description.strip() for control in controls)
    assert "quiz-score" in view.score._dom_classes


def test_nothing_is_graded_or_saved_before_submit(view, course):
    assert all(q.feedback.value == "" for q in view.questions)
    assert view.score.value.endswith("0 of 7 correct on first try (0 of 7 answered so far)</p>")
    assert not course.exists()


def test_order_slots_start_empty_and_list_steps_shuffled(view):
    question_view = view["force-generation"]
    assert [slot.value for slot in question_view.slots] == [None] * 4
    listed = [label for label, value in question_view.slots[0].options if value is not None]
    texts = [step.text for step in question_view.question.steps]
    assert sorted(label[3:] for label in listed) == sorted(texts) and [label[3:] for label in listed] != texts


# --- each type: empty, wrong, right ---------------------------------------------------------------------------

def test_single(view, course):
    q = view["art4-consult"]
    q.submit.click()
    assert "ℹ Please choose an answer first." in q.feedback.value and q.show_answer.disabled
    assert records(course) == {}
    q.choice.value = "b"
    q.submit.click()
    assert "✗ Not quite — Article 5 is the collective-defence clause" in q.feedback.value
    assert "Try again" in q.feedback.value and not q.show_answer.disabled
    assert "Explanation:" not in q.feedback.value
    q.choice.value = "a"
    q.submit.click()
    assert "✓ Correct — Right. Any ally may ask" in q.feedback.value
    assert "Explanation:</strong> Article 4 lets any ally" in q.feedback.value
    assert "Source:</strong> nato-treaty-1949" in q.feedback.value
    saved = records(course)["art4-consult"]
    assert (saved["attempts"], saved["first_try_correct"], saved["ever_correct"]) == (2, False, True)
    assert saved["notebook"] == "99" and saved["kind"] == "quiz"


def test_multiple(view, course):
    q = view["founders"]
    q.checkboxes[0].value = True
    q.checkboxes[2].value = True
    q.submit.click()
    assert "✗ Not quite — c) Greece joined in 1952" in q.feedback.value
    assert "1 correct option is not selected yet" in q.feedback.value
    q.checkboxes[2].value = False
    q.checkboxes[1].value = True
    q.submit.click()
    assert "✓ Correct" in q.feedback.value
    assert records(course)["founders"]["attempts"] == 2


def test_truefalse_right_first_time(view, course):
    q = view["art5-own-decision"]
    assert [label for label, _ in q.choice.options] == ["True", "False"]
    q.choice.value = True
    q.submit.click()
    assert "✓ Correct — Right. Each ally takes" in q.feedback.value
    assert records(course)["art5-own-decision"]["first_try_correct"] is True
    assert view.score.value.endswith("1 of 7 correct on first try (1 of 7 answered so far)</p>")


def test_numeric_accepts_commas_and_explains_bad_input(view, course):
    q = view["founding-count"]
    assert "states" in q.number.description
    q.number.value = "twelve"
    q.submit.click()
    assert "ℹ 'twelve' is not a number" in q.feedback.value
    assert records(course) == {}  # an unreadable answer is not an attempt
    q.number.value = "32"
    q.submit.click()
    assert "✗ Not quite — That is the number of allies after Sweden joined" in q.feedback.value
    q.number.value = " 12 "
    q.submit.click()
    assert "✓ Correct — Yes, twelve states signed" in q.feedback.value


def test_numeric_percent(view):
    q = view["share-estimate"]
    q.number.value = "37.5%"
    q.submit.click()
    assert "✓ Correct" in q.feedback.value


def test_order(view, course):
    q = view["force-generation"]
    q.slots[0].value = order_letters(q.question, [0])[0]
    q.submit.click()
    assert "ℹ Please fill every slot first (3 still empty)." in q.feedback.value
    for slot, value in zip(q.slots, order_letters(q.question, [1, 0, 2, 3])):
        slot.value = value
    q.submit.click()
    assert "✗ Not quite — 2 of 4 steps in the right place." in q.feedback.value
    for slot, value in zip(q.slots, order_letters(q.question, [0, 1, 2, 3])):
        slot.value = value
    q.submit.click()
    assert "✓ Correct — All 4 steps are in the right place." in q.feedback.value
    assert records(course)["force-generation"]["attempts"] == 2


def test_categorize(view, course):
    q = view["alliance-or-coalition"]
    for dropdown, group in zip(q.placements, ["Alliance", "Alliance", "Alliance", "Coalition of the willing"]):
        dropdown.value = group
    q.submit.click()
    assert "✗ Not quite — 3 of 4 items in the right group." in q.feedback.value
    assert "“Formed around one mission and dissolved after it”: A coalition is built" in q.feedback.value
    q.placements[1].value = "Coalition of the willing"
    q.submit.click()
    assert "✓ Correct — All 4 items are in the right group." in q.feedback.value
    assert records(course)["alliance-or-coalition"]["ever_correct"] is True


# --- reveal, hint, score --------------------------------------------------------------------------------------

def test_show_answer_only_after_a_try_and_then_with_explanation(view, course):
    q = view["founding-count"]
    q.show_answer.click()
    assert "Make a first try" in q.feedback.value
    q.number.value = "10"
    q.submit.click()
    q.show_answer.click()
    assert "ℹ The answer: 12 states" in q.feedback.value and "Explanation:" in q.feedback.value
    q.number.value = "12"
    q.submit.click()
    assert "✓ Correct" in q.feedback.value
    saved = records(course)["founding-count"]
    assert saved["attempts"] == 1 and saved["ever_correct"] is False  # answers after a reveal are not counted


def test_hint_button(view):
    q = view["art4-consult"]
    q.hint.click()
    assert "ℹ Hint — Consultation comes before" in q.feedback.value
    assert view["founders"].hint is None


def test_feedback_is_announced_and_escaped(view):
    q = view["art4-consult"]
    q.choice.value = "a"
    q.submit.click()
    assert q.feedback.value.startswith('<div role="alert">')  # announced by screen readers when it appears
    assert "<script" not in q.feedback.value


def test_running_score_counts_first_tries(view):
    view["art4-consult"].choice.value = "a"
    view["art4-consult"].submit.click()
    view["founding-count"].number.value = "13"
    view["founding-count"].submit.click()
    view["founding-count"].number.value = "12"
    view["founding-count"].submit.click()
    assert view.score.value.endswith("1 of 7 correct on first try (2 of 7 answered so far)</p>")
    assert view.session.score_line() == "1 of 7 correct on first try (2 of 7 answered so far)"


def test_session_score_line_when_all_answered(course):
    bank = load_bank("00")
    seen = []
    session = QuizSession(bank, recorder=lambda *args: seen.append(args))
    for question in bank:
        session.submit(question.id, None)  # empty: not counted
    assert session.attempted == 0 and seen == []
    def key(qid):  # the authored key, whatever order the options are written in
        question = bank.question(qid)
        if question.type == "truefalse":
            return question.answer
        return ", ".join("abcdefg"[i] for i, option in enumerate(question.options) if option.correct)

    answers = {"run-top-to-bottom": key("run-top-to-bottom"), "restart-kernel": {"a": 1, "b": 2, "c": 2, "d": 1},
               "wrong-answer": key("wrong-answer"), "progress-location": key("progress-location"),
               "exercise-check": key("exercise-check")}
    for qid, response in answers.items():
        assert session.submit(qid, response).correct, qid
    session.submit("cite-a-fact", "a, b, c, d")
    assert session.score_line() == "5 of 6 correct on first try"
    assert seen[0] == ("quiz", "00", "run-top-to-bottom", True)


# --- show / ask / answer --------------------------------------------------------------------------------------

def test_show_prints_text_outside_a_kernel(course, capsys):
    quiz.show("99")
    out = capsys.readouterr().out
    assert out.startswith("Example quiz: every question type (notebook 99, 7 questions)")
    assert '1. Which article of the North Atlantic Treaty' in out and "   a) Article 4" in out
    assert 'Answer with: quiz.answer("99", "art4-consult", "?")' in out
    assert "(replace ? with one option letter, a to c)" in out
    assert "Groups: 1 = Alliance, 2 = Coalition of the willing" in out
    assert "correct: true" not in out and "Right. Any ally" not in out  # no answers, no feedback


def test_ask_prints_one_question(course, capsys):
    quiz.ask("99", "founding-count")
    out = capsys.readouterr().out
    assert "How many states signed" in out and "Unit: states" in out and "Which article" not in out


@pytest.mark.parametrize("call, words", [
    (lambda: quiz.show("12"), "⚠ There is no quiz for notebook 12. Quizzes exist for: 00 (00-start-here.yaml), "
                              "99 (99-example.yaml)."),
    (lambda: quiz.ask("99", "nope"), "⚠ The quiz for notebook 99 has no question 'nope'. Its questions are: "
                                     "art4-consult, founders,"),
    (lambda: quiz.answer("99", "nope", "a"), "has no question 'nope'"),
    (lambda: quiz.reveal("7x", "a"), "two digits"),
])
def test_unknown_notebook_or_question_prints_a_friendly_message(course, capsys, call, words):
    assert call() is None
    assert words in capsys.readouterr().out


def test_a_broken_bank_is_printed_not_raised(course, capsys):
    shutil.copy(FIXTURES / "broken" / "missing-feedback.yaml", course.parent / "course/data/quizzes/02-x.yaml")
    quiz.show("02")
    assert capsys.readouterr().out.strip() == (
        "⚠ data/quizzes/02-x.yaml: question 'art5-automatic': option 3 has no feedback")


def test_answer_as_text_records_and_reveals(course, capsys):
    result = quiz.answer("99", "art4-consult", "c")
    assert result.status == "incorrect"
    out = capsys.readouterr().out
    assert out.startswith("✗ Not quite — Article 10 is about inviting new members")
    assert "Hint: Consultation comes before any decision" in out  # no Hint button in text mode
    assert 'quiz.reveal("99", "art4-consult")' in out
    quiz.reveal("99", "art4-consult")
    out = capsys.readouterr().out
    assert out.startswith("ℹ The answer: a) Article 4") and "Source: nato-treaty-1949" in out
    assert records(course)["art4-consult"]["attempts"] == 1


def test_reveal_needs_a_try_first(course, capsys):
    quiz.reveal("99", "founders")
    assert "Make a first try" in capsys.readouterr().out


def test_answer_empty_and_malformed(course, capsys):
    assert quiz.answer("99", "alliance-or-coalition", "").status == "empty"
    assert quiz.answer("99", "alliance-or-coalition", "a:1 b").status == "invalid"
    out = capsys.readouterr().out
    assert 'Answer with: quiz.answer("99", "alliance-or-coalition", {"a": ?, "b": ?, "c": ?, "d": ?})' in out
    assert records(course) == {}


def test_in_a_kernel_show_displays_widget_with_text_and_html(course, monkeypatch):
    shown = []
    monkeypatch.setattr(quiz, "_in_kernel", lambda: True)
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append(obj))
    quiz.show("99")
    bundle = shown[0]._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", quiz.WIDGET_MIMETYPE}
    assert bundle[quiz.WIDGET_MIMETYPE]["model_id"] == shown[0].widget.model_id
    assert "quiz.answer(&quot;99&quot;, &quot;art4-consult&quot;, &quot;?&quot;)" in bundle["text/html"]
    assert bundle["text/plain"].startswith("Example quiz")
    quiz.ask("99", "founders")
    assert "1 question" in shown[1]._repr_mimebundle_()["text/plain"]


# --- instant feedback (shown by the page script before the kernel answers) --------------------------------------

def _instant(question_view) -> dict[str, str] | None:
    import re

    found = re.search(r'<script type="application/json" class="quiz-instant">(.*?)</script>',
                      question_view.prompt.value, re.S)
    return json.loads(found.group(1)) if found else None


@pytest.mark.parametrize("number", sorted(quiz.bank.available_banks()))
def test_instant_feedback_is_what_the_kernel_then_says_for_every_choice(number, tmp_path, monkeypatch):
    """For every one-choice question of every shipped bank (in a learner's shuffled order), the feedback the page
    shows at once for each choice, and for no choice, is word for word what the kernel writes after grading."""
    monkeypatch.setenv(progress.ENV_VAR, str(tmp_path / "progress.json"))
    bank = load_bank(number).for_learner(7)
    one_choice = 0
    for question_view in QuizView(bank).questions:
        instant = _instant(question_view)
        if question_view.choice is None:
            assert instant is None  # other types wait for the kernel
            continue
        one_choice += 1
        values = [value for _, value in question_view.choice.options]
        assert sorted(instant) == sorted(["-1", *map(str, range(len(values)))])
        for key in ["-1", *map(str, range(len(values)))]:
            question_view.choice.value = None if key == "-1" else values[int(key)]
            question_view.submit.click()
            assert question_view.feedback.value == instant[key], (number, question_view.question.id, key)
    assert one_choice > 0


def test_instant_feedback_cannot_close_its_script_tag(course):
    from dataclasses import replace

    bank = load_bank("99")
    question = next(q for q in bank.questions if q.type == "single")
    options = (replace(question.options[0], feedback="a </script><b>trick</b>"), *question.options[1:])
    bank = replace(bank, questions=(replace(question, options=options),))
    view = QuizView(bank, [question.id])
    prompt = view.questions[0].prompt.value
    assert prompt.count("</script>") == 1 and "<\\/p>" in prompt  # every "</" inside the JSON is "<\\/"
    assert any("a &lt;/script&gt;&lt;b&gt;trick" in body for body in _instant(view.questions[0]).values())


def test_bank_emphasis_is_shown_as_emphasis_not_asterisks():
    """Banks mark emphasis as *words* (01: Rutar quotes the definition as "an *ad hoc* arrangement"): the prompt and
    feedback show it in italics and control labels, which show no mark-up, without the asterisks. Before, the
    learner read the asterisks."""
    import re

    from alliance_course.quiz.text import inline_html, plain_label

    assert inline_html("an *ad hoc* arrangement") == "an <em>ad hoc</em> arrangement"
    assert inline_html("2 * 3, 5* and x*y*z") == "2 * 3, 5* and x*y*z"  # arithmetic is not emphasis
    assert inline_html("`a*b` and *c d* <b>") == "<code>a*b</code> and <em>c d</em> &lt;b&gt;"
    assert plain_label("the *NATO-led* `ISAF`") == "the NATO-led ISAF"
    marks = re.compile(r"(?<![\w*])\*[^\s*][^*\n]*\*(?![\w*])")
    seen = 0
    for path in sorted(REAL_QUIZZES.glob("[0-9][0-9]-*.yaml")):
        bank = load_bank(path.name[:2])
        for question_view in QuizView(bank).questions:
            prompt = re.sub(r"<script.*?</script>", "", question_view.prompt.value, flags=re.S)
            labels = [label for label, _ in (question_view.choice.options if question_view.choice else ())]
            labels += [box.description for box in question_view.checkboxes]
            shown = [prompt, *labels]
            assert not any(marks.search(text) for text in shown), question_view.question.id
            seen += "<em>" in prompt
    assert seen >= 3  # 01 ad hoc, 03 coalition and invites/joins, 05 NATO-led
