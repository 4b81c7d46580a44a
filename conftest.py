"""Test-wide settings, at the course root so they apply to every test path, also when pytest is run on notebooks
alone (``pytest --nbval-lax notebooks/04-out-of-area.ipynb``).

- The learner's own progress file is never touched: every test process (and every kernel it starts, since kernels
  inherit the environment) writes to a throw-away file, removed at the end.
- Markers by layer, so a developer can run one: ``notebook`` (starts a Jupyter kernel: nbval cells, the exercise,
  robustness, export and build tests) and ``browser`` (JupyterLab or Voilà in a real browser). ``make check`` runs
  ``-m "not notebook and not browser"``.
- With ``ALLIANCE_COURSE_COUNT_RUNS=<file>`` every execution of a course notebook (notebooks/, solutions/,
  exercises/) is appended to that file and the session ends with a table of runs per notebook
  (``make count-runs``); see ``tools/count_runs.py``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
_SCRATCH = tempfile.mkdtemp(prefix="alliance-course-test-")
os.environ["ALLIANCE_COURSE_PROGRESS"] = os.path.join(_SCRATCH, "progress.json")
atexit.register(shutil.rmtree, _SCRATCH, ignore_errors=True)

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "tools"))

import pytest  # noqa: E402

import count_runs  # noqa: E402  (tools/count_runs.py)
from hypothesis import settings  # noqa: E402

# `make check` passes --hypothesis-profile=fast: fewer generated examples in the daily loop; `make test` uses the
# default profile (100 examples per property).
settings.register_profile("fast", max_examples=25)

# Modules whose every test starts a kernel on a course notebook or a fixture notebook.
_NOTEBOOK_MODULES = {"test_robustness.py", "test_static_export.py", "test_exercises_notebooks.py"}
_BROWSER_MODULES = {"test_browser.py"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.path))
        fixtures = getattr(item, "fixturenames", ())
        if path.suffix == ".ipynb" or path.name in _NOTEBOOK_MODULES or "mini_course" in fixtures:
            item.add_marker(pytest.mark.notebook)
        elif path.name in _BROWSER_MODULES:
            item.add_marker(pytest.mark.browser)
            # `make test` spreads single tests over two workers (--dist loadgroup); the browser tests share one
            # JupyterLab server, so they stay together on one worker.
            item.add_marker(pytest.mark.xdist_group("browser"))


def pytest_configure(config: pytest.Config) -> None:
    count_runs.install()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """nbval runs a notebook cell by cell in its own kernel: count the notebook once, at its first cell."""
    if type(item).__name__ == "IPyNbCell" and getattr(item, "cell_num", None) == 0:
        count_runs.record(Path(str(item.path)), "nbval")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not hasattr(terminalreporter.config, "workerinput"):  # the controller, after every worker finished
        table = count_runs.summary()
        if table:
            terminalreporter.write_sep("=", "notebook runs in this session (ALLIANCE_COURSE_COUNT_RUNS)")
            terminalreporter.write_line(table)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures (the browser page) can save a screenshot on failure."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
