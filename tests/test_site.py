"""The course website (``make site``): built offline with Sphinx + MyST-NB, quizzes answered in a real browser with no
kernel and no network, launch links, and a page per data table with its sources.

Every lesson already runs three times per ``make test`` (twice in the robustness test, once in the browser), the
limit. So the test builds the site from a short notebook made of lesson 02's own title, questions and quiz cells
(its quiz is what the site must render without a kernel) rather than running a whole lesson a fourth time; ``make
site`` builds all ten lessons through the same code.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import sys
import threading
from pathlib import Path

import pytest

from alliance_course import paths, quiz, site

ROOT = paths.course_root()
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from browser_driver import CHROMIUM, open_browser  # noqa: E402

# Building the site runs a kernel (MyST-NB); the last test also drives a browser.
pytestmark = pytest.mark.notebook
LESSON = "02-nato-as-an-alliance.ipynb"


def _quiz_part_of_lesson(folder: Path) -> Path:
    """Lesson 02 cut to its Markdown cells up to the objectives and the cells that show its quizzes."""
    import nbformat

    nb = nbformat.read(ROOT / "notebooks" / LESSON, as_version=4)
    keep = [cell for cell in nb.cells[:6] if cell.cell_type == "markdown"]
    keep.append(nbformat.v4.new_code_cell("from alliance_course import quiz"))
    keep += [cell for cell in nb.cells if cell.cell_type == "code" and re.search(r"quiz\.(show|warmup)\(", cell.source)]
    nb.cells = keep
    path = folder / LESSON
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    lesson = _quiz_part_of_lesson(tmp_path_factory.mktemp("lesson"))
    status = site.build(out, [lesson], repo="https://github.com/example/alliance-course",
                        hub="https://hub.example.edu", work=tmp_path_factory.mktemp("site-src"))
    assert status == 0
    return out


def test_the_lesson_and_every_data_table_have_a_page(built):
    assert (built / "notebooks" / LESSON.replace(".ipynb", ".html")).is_file()
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        page = (built / "data" / f"{resource['name']}.html").read_text(encoding="utf-8")
        assert "course-data-table" in page and "Sources" in page, resource["name"]


def test_index_links_to_binder_and_a_hub_through_nbgitpuller(built):
    index = (built / "index.html").read_text(encoding="utf-8")
    assert ("https://mybinder.org/v2/gh/example/alliance-course/HEAD?urlpath=lab/tree/notebooks/"
            "00-start-here.ipynb") in index
    assert "https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fexample" in index


def test_order_and_sort_questions_appear_as_text_with_a_folded_answer():
    kinds = {}
    for number in quiz.available_banks():
        for question in quiz.load_bank(number).questions:
            kinds.setdefault(question.type, question)
    for kind in ("order", "categorize"):
        text = site.as_text(kinds[kind])
        assert "<details><summary>Show the answer</summary>" in text
    for kind in ("single", "multiple", "truefalse", "numeric"):
        converted = site.to_jupyterquiz(kinds[kind])
        assert converted and sum(1 for a in converted["answers"] if a.get("correct")) >= 1


@pytest.fixture(scope="module")
def served(built):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _first_single(number: str):
    for question in quiz.load_bank(number).questions:
        if question.section == "quiz" and question.type == "single":
            return question
    raise AssertionError(f"bank {number} has no single-choice quiz question")


def _plain(text: str) -> str:
    return re.sub(r"`([^`]+)`", r"\1", " ".join(text.split()))


@pytest.mark.browser
def test_a_quiz_answers_in_the_browser_without_kernel_or_network(served):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI: /usr/bin/chromium is missing; .ci/run should have installed it")
        pytest.skip("needs Debian's Chromium: `sudo apt-get install chromium`")
    from playwright.sync_api import expect

    question = _first_single("02")
    right = next(o for o in question.options if o.correct)
    wrong = next(o for o in question.options if not o.correct)
    with open_browser() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.route(re.compile(r"^(?!http://127\.0\.0\.1).*"), lambda route: route.abort())  # no network
        page = context.new_page()
        page.goto(f"{served}/notebooks/02-nato-as-an-alliance.html")
        box = page.locator(".Quiz", has_text=_plain(question.prompt)[:40]).first
        box.scroll_into_view_if_needed()
        feedback = box.locator(".Feedback")
        box.locator(".MCButton", has_text=_plain(wrong.text)[:40]).first.click()
        expect(feedback).to_contain_text("✗ Not quite", timeout=10_000)
        expect(feedback).to_contain_text(_plain(wrong.feedback)[:30])
        box.locator(".MCButton", has_text=_plain(right.text)[:40]).first.click()
        expect(feedback).to_contain_text("✓ Correct", timeout=10_000)
        context.close()
