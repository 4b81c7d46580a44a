"""Real-browser tests: the course in JupyterLab (and a quiz in Voilà), driven by Playwright in Debian's Chromium.

All browser tests live in this one module so that pytest-xdist (``--dist loadfile``) runs them on one worker
with one shared JupyterLab server. Without /usr/bin/chromium they skip with a message saying how to enable them,
except in CI, where a missing browser is a failure (``.ci/run`` installs it).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from alliance_course import data, paths, quiz
from alliance_course.course import LESSONS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from browser_driver import CHROMIUM, PANEL, dialogs, open_browser, run_all, stderr_outputs  # noqa: E402
from labserver import LabServer, copy_course, free_port  # noqa: E402

ROOT = paths.course_root()
OUTPUT = ROOT / "test-output" / "browser"
NOTEBOOKS = [lesson for lesson in LESSONS if (ROOT / "notebooks" / lesson.filename).exists()]

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail("CI: /usr/bin/chromium is missing; .ci/run should have installed it", pytrace=False)
    pytest.skip("browser tests need Debian's Chromium: `sudo apt-get install chromium` (then `make test`)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return copy_course(ROOT, tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="module")
def lab(course, tmp_path_factory):
    with LabServer(course, tmp_path_factory.mktemp("lab")) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with open_browser() as chromium:
        yield chromium


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # Nothing leaves the machine: abort any request that is not to the local servers.
    context.route(re.compile(r"^(?!http://127\.0\.0\.1).*"), lambda route: route.abort())
    tab = context.new_page()
    yield tab
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        OUTPUT.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        tab.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=True)
    context.close()


def first_choice_question(number: str):
    """The first single-choice or true/false question of notebook ``number``'s end quiz, with a wrong and the
    right answer as the labels the widget shows (options in this learner's order: the lab server and Voilà run as
    the same user with the same environment, so :func:`quiz.learner_seed` gives the same seed there)."""
    bank = quiz.load_bank(number).for_learner(quiz.learner_seed())
    for question in bank.questions:
        if question.section != "quiz":
            continue
        if question.type == "single":
            labels = [f"{chr(97 + i)}) " for i in range(len(question.options))]
            right = next(i for i, o in enumerate(question.options) if o.correct)
            wrong = next(i for i, o in enumerate(question.options) if not o.correct)
            return question, labels[wrong], labels[right], question.options[wrong].feedback
        if question.type == "truefalse":
            right, wrong = ("True", "False") if question.answer else ("False", "True")
            feedback = question.feedback_false if question.answer else question.feedback_true
            return question, wrong, right, feedback
    return None


def _plain(text: str, length: int = 40) -> str:
    words = re.sub(r"`([^`]+)`", r"\1", " ".join(text.split()))
    return words[:length]


def answer_by_clicking(scope, question, label: str):
    box = scope.locator(".quiz-question", has_text=_plain(question.prompt)).last
    box.locator("label", has_text=label).first.click()
    box.locator("button", has_text="Submit").click()
    return box.locator(".quiz-feedback")


@pytest.mark.parametrize("lesson", NOTEBOOKS, ids=[lesson.slug for lesson in NOTEBOOKS])
def test_notebook_runs_and_quiz_answers_clicks(lab, course, page, lesson):
    notebook = course / "notebooks" / lesson.filename
    errors = run_all(page, lab.url(f"notebooks/{lesson.filename}"), notebook)
    assert not errors, f"{lesson.filename}: error output after Run All:\n" + "\n---\n".join(errors)
    assert not stderr_outputs(page), f"{lesson.filename}: unexpected stderr output: {stderr_outputs(page)}"
    assert not dialogs(page), f"{lesson.filename}: a dialog is open: {dialogs(page)}"

    picked = first_choice_question(lesson.number)
    assert picked, f"notebook {lesson.number}'s quiz has no single-choice or true/false question to click"
    question, wrong, right, wrong_feedback = picked
    panel = page.locator(PANEL)
    feedback = answer_by_clicking(panel, question, wrong)
    expect_text(feedback, "✗ Not quite")
    expect_text(feedback, _plain(wrong_feedback, 30))
    feedback = answer_by_clicking(panel, question, right)
    expect_text(feedback, "✓ Correct")


def expect_text(locator, text: str, timeout_ms: int = 10_000) -> None:
    from playwright.sync_api import expect

    expect(locator).to_contain_text(text, timeout=timeout_ms)


def test_exercise_check_answers_typed_code(lab, course, page):
    notebook = course / "exercises" / "00-practice.ipynb"
    errors = run_all(page, lab.url("exercises/00-practice.ipynb"), notebook)
    assert not errors, "\n".join(errors)
    members = data.load("nato_members")
    founders = int((members["accession_date"].dt.year == 1949).sum())
    cell = page.locator(f"{PANEL} .jp-CodeCell", has_text='check("00.1"').first
    for typed, expected in ((founders + 1, "✗ Exercise 00.1 — Not yet"), (founders, "✓ Exercise 00.1 — Correct")):
        cell.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Control+a")
        page.keyboard.type(f'n_founders = {typed}\ncheck("00.1", n_founders)')
        page.keyboard.press("Shift+Enter")
        expect_text(cell.locator(".jp-OutputArea-output"), expected)


def _start_quiz_app(number: str, port: int, records: Path, log_path: Path) -> subprocess.Popen:
    """The classroom quiz page exactly as `make quiz-app` starts it (the CLI, which picks the port and runs Voilà)."""
    log = open(log_path, "w", encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-m", "alliance_course", "quiz-app", number, "--port", str(port),
                               "--records", str(records)], stdout=log, stderr=subprocess.STDOUT,
                              env=dict(os.environ, ALLIANCE_COURSE_ROOT=str(ROOT)), start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return server
        except OSError:
            assert server.poll() is None, log_path.read_text()
            time.sleep(0.3)
    raise AssertionError("the quiz page did not answer within 60 s:\n" + log_path.read_text())


def test_quiz_app_keeps_each_visitors_answers_apart(tmp_path, browser):
    """Two learners answer the Voilà quiz page from two browser contexts; each gets their own progress file."""
    import json
    import signal

    port = free_port()
    records = tmp_path / "records"
    server = _start_quiz_app("00", port, records, tmp_path / "voila.log")
    question, wrong, right, _ = first_choice_question("00")
    contexts = []
    try:
        for learner, answers in (("Ana Novak", (wrong, right)), ("Bo Chen", (right,))):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.route(re.compile(r"^(?!http://127\.0\.0\.1).*"), lambda route: route.abort())
            contexts.append(context)
            tab = context.new_page()
            tab.goto(f"http://127.0.0.1:{port}/")
            tab.get_by_placeholder("e.g. Ana Novak").fill(learner)
            tab.get_by_role("button", name="Start the quiz").click()
            tab.wait_for_selector(".quiz-question", timeout=60_000)
            body = tab.locator("body")
            expect_text(body, f"Answers are saved for {learner}")
            for label in answers:
                expect_text(answer_by_clicking(body, question, label),
                            "✓ Correct" if label == right else "✗ Not quite")
    finally:
        for context in contexts:
            context.close()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)

    files = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in records.glob("*.json")}
    assert set(files) == {"ana-novak.json", "bo-chen.json"}
    for name, learner, attempts, first_try in (("ana-novak.json", "Ana Novak", 2, False),
                                               ("bo-chen.json", "Bo Chen", 1, True)):
        assert files[name]["learner"] == learner
        [entry] = [r for r in files[name]["records"] if r["item"] == question.id]
        assert (entry["kind"], entry["notebook"]) == ("quiz", "00")
        assert (entry["attempts"], entry["first_try_correct"], entry["ever_correct"]) == (attempts, first_try, True)
