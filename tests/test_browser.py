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
from browser_driver import (  # noqa: E402
    CHROMIUM, PANEL, axe_violations, dialogs, open_browser, run_all, stderr_outputs, widget_errors)
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


def first_choice_question(number: str, seed: str | None = None):
    """The first single-choice or true/false question of notebook ``number``'s end quiz, with a wrong and the
    right answer as the labels the widget shows, in the options' order for learner ``seed`` (default: this
    process's :func:`quiz.learner_seed`, which the lab server shares: same user, same environment)."""
    bank = quiz.load_bank(number).for_learner(quiz.learner_seed() if seed is None else seed)
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


def instant_feedback(scope, question, label: str) -> str:
    """Choose ``label``, click Submit and read the feedback in the same JavaScript task: what the page shows before
    any message from the kernel can have arrived (those are handled in later tasks)."""
    box = scope.locator(".quiz-question", has_text=_plain(question.prompt)).last
    box.locator("label", has_text=label).first.click()
    return box.evaluate("""box => {
      const submit = Array.from(box.querySelectorAll('button')).find(b => b.textContent.trim() === 'Submit');
      submit.click();
      return box.querySelector('.quiz-feedback').textContent.trim();
    }""")


@pytest.mark.parametrize("lesson", NOTEBOOKS, ids=[lesson.slug for lesson in NOTEBOOKS])
def test_notebook_runs_and_quiz_answers_clicks(lab, course, page, lesson):
    notebook = course / "notebooks" / lesson.filename
    errors = run_all(page, lab.url(f"notebooks/{lesson.filename}"), notebook)
    assert not errors, f"{lesson.filename}: error output after Run All:\n" + "\n---\n".join(errors)
    assert not stderr_outputs(page), f"{lesson.filename}: unexpected stderr output: {stderr_outputs(page)}"
    assert not dialogs(page), f"{lesson.filename}: a dialog is open: {dialogs(page)}"
    assert not widget_errors(page), f"{lesson.filename}: widgets failed to display: {widget_errors(page)}"
    assert_accessible(page, lesson.filename)

    picked = first_choice_question(lesson.number)
    assert picked, f"notebook {lesson.number}'s quiz has no single-choice or true/false question to click"
    question, wrong, right, wrong_feedback = picked
    panel = page.locator(PANEL)
    feedback = answer_by_clicking(panel, question, wrong)
    expect_text(feedback, "✗ Not quite")
    expect_text(feedback, _plain(wrong_feedback, 30))
    feedback = answer_by_clicking(panel, question, right)
    expect_text(feedback, "✓ Correct")
    assert instant_feedback(panel, question, wrong).startswith("✗ Not quite"), "no feedback before the kernel's"
    if lesson.number == "02":
        keyboard_only(page, question, right)


def keyboard_only(page, question, right: str) -> None:
    """Answer a quiz question and move the membership Year slider with the keyboard alone (Tab, arrows, Space,
    Enter); JupyterLab's own shortcuts are kept out of it by starting from a control inside the output."""
    box = page.locator(f"{PANEL} .quiz-question", has_text=_plain(question.prompt)).last
    radios = box.locator("input[type=radio]")
    labels = [radios.nth(i).evaluate("r => r.parentElement.innerText") for i in range(radios.count())]
    target = next(i for i, text in enumerate(labels) if text.strip().startswith(right.strip()))
    radios.nth(0).focus()
    page.keyboard.press("Space")  # select the first option, then arrow down to the right one
    for _ in range(target):
        page.keyboard.press("ArrowDown")
    assert radios.nth(target).is_checked(), f"arrow keys did not select option {target}: {labels}"
    for _ in range(12):  # Tab along to the Submit button
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.innerText.trim()") == "Submit":
            break
    else:
        raise AssertionError("Tab never reached the quiz's Submit button")
    page.keyboard.press("Enter")
    expect_text(box.locator(".quiz-feedback"), "✓ Correct")

    slider = page.locator(f"{PANEL} .widget-slider", has_text="Year").last
    handle = slider.locator("[role=slider]")
    before = int(float(handle.get_attribute("aria-valuenow")))
    image = page.locator(f"{PANEL} .widget-html img.course-chart").last  # the simulator's chart, not a static one
    source = image.get_attribute("src")
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    from playwright.sync_api import expect

    expect(handle).to_have_attribute("aria-valuenow", re.compile(rf"^{before + 3}(\.0)?$"), timeout=10_000)
    # the kernel redraws for the new year: the summary names it and the chart is a new image
    expect_text(slider.locator("xpath=..").locator(".widget-html").first, str(before + 3))
    expect(image).not_to_have_attribute("src", source, timeout=10_000)


def assert_accessible(page, what: str) -> None:
    """No serious or critical axe-core violation in the outputs (charts need alt text, controls need names)."""
    violations = axe_violations(page)
    report = "\n".join(f"  {v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']}; e.g. {v['nodes'][0]}"
                       for v in violations)
    assert not violations, f"{what}: axe-core finds serious or critical violations in the outputs:\n{report}"


def expect_text(locator, text: str, timeout_ms: int = 10_000) -> None:
    from playwright.sync_api import expect

    expect(locator).to_contain_text(text, timeout=timeout_ms)


def test_exercise_check_answers_typed_code(lab, course, page):
    notebook = course / "exercises" / "00-practice.ipynb"
    errors = run_all(page, lab.url("exercises/00-practice.ipynb"), notebook)
    assert not errors, "\n".join(errors)
    assert_accessible(page, "exercises/00-practice.ipynb")
    members = data.load("nato_members")
    founders = int((members["accession_date"].dt.year == 1949).sum())
    cell = page.locator(f"{PANEL} .jp-CodeCell", has_text='check("00.1"').first
    for typed, expected in ((founders + 1, "✗ Exercise 00.1 — Not yet"), (founders, "✓ Exercise 00.1 — Correct")):
        cell.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Control+a")
        page.keyboard.type(f'n_founders = {typed}\ncheck("00.1", n_founders)')
        page.keyboard.press("Shift+Enter")
        expect_text(cell.locator(".jp-OutputArea-output"), expected)


def test_exercise_set_outputs_are_accessible(page):
    """The exercise sets 01-09 are not run in the browser (each notebook runs at most three times per `make test`);
    what they show is check()'s feedback, the course tables and charts (the charts' alt text is tested in
    test_a11y.py). Here every exercise's feedback to a wrong answer (with its hint) and the head of every course
    table, as pandas shows them, are put in output areas the way JupyterLab renders Markdown and HTML, and audited
    with axe-core."""
    import html as html_lib
    import json

    import mistune

    from alliance_course import exercises

    ids = sorted(json.loads((ROOT / "data" / "answers.json").read_text(encoding="utf-8"))["exercises"])
    outputs = []
    for exercise_id in ids:
        result = exercises.check(exercise_id, "not the answer")
        outputs.append(mistune.html(result._repr_markdown_()))
    for name in data.tables():
        outputs.append(data.load(name).head(3).to_html())
    body = "".join(f'<div class="jp-OutputArea-output jp-RenderedHTMLCommon">{o}</div>' for o in outputs)
    page.set_content(f'<!doctype html><html lang="en"><head><title>{html_lib.escape("exercise outputs")}</title>'
                     f"</head><body><main>{body}</main></body></html>")
    assert len(ids) > 20 and page.locator(".jp-OutputArea-output").count() == len(outputs)
    violations = axe_violations(page, scope=".jp-OutputArea-output")
    report = "\n".join(f"  {v['id']} ({v['impact']}): {v['help']}; e.g. {v['nodes'][0]}" for v in violations)
    assert not violations, f"exercise outputs: axe-core finds serious or critical violations:\n{report}"


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
    contexts = []
    try:
        for learner, first_try_right in (("Ana Novak", False), ("Bo Chen", True)):
            # each visitor sees the options in their own order (seeded by the name they type)
            question, wrong, right, _ = first_choice_question("00", seed=learner)
            answers = (right,) if first_try_right else (wrong, right)
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
