"""Driving JupyterLab in Debian's Chromium with Playwright (shared by the browser tests, the benchmark and
scripts/screenshot.py). Never `playwright install`: the browser is Debian's /usr/bin/chromium."""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import count_runs  # tools/count_runs.py, beside this file

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PANEL = ".jp-NotebookPanel"
IDLE = f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']"
_ERROR_TEXT = re.compile(r"Traceback \(most recent call last\)|^\w*(Error|Exception)\b", re.MULTILINE)


@contextlib.contextmanager
def open_browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def code_cell_count(notebook: Path) -> int:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return sum(1 for cell in nb["cells"] if cell["cell_type"] == "code")


def _numbered_prompts(page) -> int:
    return page.evaluate(
        f"""() => Array.from(document.querySelectorAll("{PANEL} .jp-CodeCell .jp-InputArea-prompt"))
               .filter(e => /\\[\\d+\\]/.test(e.innerText)).length""")


def run_all(page, url: str, notebook: Path, timeout_s: float = 300) -> list[str]:
    """Open ``url``, run all cells, wait until every code cell has run; return the texts of error outputs."""
    count_runs.record(notebook, "browser")
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_selector(".jp-StatusBar-TextItem:has-text('| Idle')", timeout=60_000)
    expected = code_cell_count(notebook)
    deadline = time.monotonic() + timeout_s
    clicked_at = None
    last_count, last_change = -1, time.monotonic()
    while time.monotonic() < deadline:
        open_dialogs = dialogs(page)
        if open_dialogs:
            raise RuntimeError(f"a JupyterLab dialog is open: {open_dialogs}")
        count = _numbered_prompts(page)
        if count != last_count:
            last_count, last_change = count, time.monotonic()
        # The kernel goes idle for a moment between cells, so "idle" alone does not mean the run stopped: only
        # idle with no cell finishing for 10 s does.
        stalled = (clicked_at is not None and count < expected and time.monotonic() - last_change > 10
                   and time.monotonic() - clicked_at > 10 and page.locator(IDLE).count())
        if clicked_at is None or stalled:
            # Right after the page loads the kernel may still be connecting, and JupyterLab then runs only part
            # of the notebook: if the kernel is idle with cells left unrun, issue Run All again (notebooks must
            # run twice in a row anyway).
            page.click(".lm-MenuBar-itemLabel:text-is('Run')")
            page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
            clicked_at = time.monotonic()
        if count >= expected and page.locator(IDLE).count():
            break
        errors = error_outputs(page)
        if errors:  # Run All stops at the first error
            return errors
        page.wait_for_timeout(250)
    else:
        raise TimeoutError(f"only {_numbered_prompts(page)} of {expected} code cells ran within {timeout_s:.0f} s")
    page.wait_for_selector(IDLE, timeout=60_000)
    return error_outputs(page)


def error_outputs(page) -> list[str]:
    """Texts of outputs that show an exception (tracebacks render as stderr in JupyterLab)."""
    texts = page.evaluate(
        f"""() => Array.from(document.querySelectorAll(
                "{PANEL} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"))
              .map(e => e.innerText)""")
    return [text for text in texts if _ERROR_TEXT.search(text)]


def stderr_outputs(page) -> list[str]:
    return page.evaluate(
        f"""() => Array.from(document.querySelectorAll(
                "{PANEL} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"))
              .map(e => e.innerText)""")


def widget_errors(page) -> list[str]:
    """Texts of widgets that failed to display (ipywidgets' "Error displaying widget" box)."""
    return page.evaluate(
        f"""() => Array.from(document.querySelectorAll("{PANEL} .jupyter-widgets-error-widget"))
              .map(e => e.innerText.slice(0, 300))""")


def dialogs(page) -> list[str]:
    """Texts of any modal dialog (e.g. 'Kernel Restarting', 'Select Kernel')."""
    return page.evaluate("() => Array.from(document.querySelectorAll('.jp-Dialog')).map(e => e.innerText)")


# axe-core (npm) is installed by `python3 course.py setup test` into .venv/node; the audit is scoped to the course's
# outputs: JupyterLab's own chrome (editors, toolbars) is not the course's to fix.
AXE = Path(__file__).resolve().parents[1] / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"
OUTPUTS = f"{PANEL} .jp-OutputArea-output"


def axe_violations(page, impacts: tuple[str, ...] = ("serious", "critical"), scope: str = OUTPUTS) -> list[dict]:
    """Run axe-core on the notebook's outputs; the violations of the given impacts as
    ``{"id", "impact", "help", "nodes": [html snippet, …]}``."""
    if not AXE.exists():
        raise RuntimeError(f"axe-core is missing ({AXE}): run `python3 course.py setup test` (needs npm)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """selector => axe.run({include: [selector]}, {resultTypes: ['violations']})
             .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                nodes: v.nodes.map(n => n.html.slice(0, 200))})))""",
        scope)
    return [v for v in result if v["impact"] in impacts]
