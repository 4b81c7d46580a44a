"""The instructor's class report: a folder of progress exports → a gradebook table, a CSV and a chart.

Learners hand in the file that ``progress.export()`` writes. Put them in one folder (subfolders are read too, as an
LMS bulk download makes them) and run::

    python -m alliance_course report FOLDER [--csv grades.csv] [--out class-report.png] [--min-learners 5]

Per learner and notebook it counts what a grade can rest on:

- **quiz**: end-of-notebook questions (``section: quiz`` in the bank) right on the first try, *out of the bank's
  scored questions* (not out of what the learner attempted);
- **exercises**: exercises checked correct, *out of the exercises in the set* (``data/answers.json``);
- **practice**, reported apart and never in a score: warm-ups, in-text checks, predictions and any other section.

Learners are merged by name (case, accents-as-typed and spacing ignored) with a warning, so two lab PCs or a
re-export count once. Records the course does not know (another course version, renamed ids, unknown lessons) and
impossible records (right on the first try but never right, times out of order, duplicates) are listed and not
counted. Hostile hand-ins are safe: symbolic links are never followed, only regular files are opened, a file larger
than :data:`MAX_FILE_BYTES` is skipped, control characters never reach the terminal, and the report writes only the
chart (and the CSV when asked), at the paths it prints, refusing to replace anything that is not a regular file.

This is a report of self-checks: the answers are in a public repository and the fingerprints of small numbers can be
brute-forced, so use it for feedback and participation, and grade with nbgrader or otter-grader (see
``instructors/guide.md``).
"""


from __future__ import annotations

from .items import (  # noqa: F401 - every name stays importable from alliance_course.report
    CHART_NAME, MAX_FILE_BYTES, MAX_FILES, MIN_LEARNERS, NAME_WIDTH, SCORED_SECTION, MEASURES, _COURSE_ORDER,
    _EXERCISE_HEADING, safe_text, _name_key, Catalogue, catalogue,
)
from .handins import (  # noqa: F401 - every name stays importable from alliance_course.report
    Learner, ClassData, _candidates, _read_regular, _parse, _time, _impossible, _known, _merge, read_folder,
)
from .tables import (  # noqa: F401 - every name stays importable from alliance_course.report
    _scored, summary_table, class_report, _csv_cell, to_csv, _printable, weakest_items,
)
from .chart import (  # noqa: F401 - every name stays importable from alliance_course.report
    _safe_target, _write_safely, weakest_chart,
)
from .cli import (  # noqa: F401 - every name stays importable from alliance_course.report
    main,
)

__all__ = ["Catalogue", "ClassData", "Learner", "catalogue", "class_report", "main", "read_folder", "safe_text",
           "summary_table", "to_csv", "weakest_chart", "weakest_items"]
