"""Test-wide settings, at the course root so they apply to every test path (tests/, notebooks/, solutions/,
exercises/), also when pytest is run on notebooks alone.

The learner's own progress file must never be touched by the test suite: every test process (and every notebook
kernel that nbval starts, since kernels inherit the environment) writes to a throw-away file instead.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ["ALLIANCE_COURSE_PROGRESS"] = os.path.join(
    tempfile.mkdtemp(prefix="alliance-course-test-"), "progress.json")


import pytest  # noqa: E402


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures (the browser page) can save a screenshot on failure."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)

