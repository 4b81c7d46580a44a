"""Test-wide settings.

The learner's own progress file must never be touched by the test suite: every test process (and every notebook
kernel that nbval starts, since kernels inherit the environment) writes to a throw-away file instead.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ["ALLIANCE_COURSE_PROGRESS"] = os.path.join(
    tempfile.mkdtemp(prefix="alliance-course-test-"), "progress.json")
