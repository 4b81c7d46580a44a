"""The learner's saved progress: every quiz answer and exercise check, in one JSON file per learner.

``progress.record(...)`` saves an attempt, ``progress.summary()`` and ``progress.dashboard()`` show where you are,
``progress.export()`` writes a file to hand in. The pieces:

- :mod:`.store`: the progress file itself (where it lives, safe writes, locking, records, reset);
- :mod:`.exports`: export, read_export and merge (handing in, combining two machines' files);
- :mod:`.overview`: the per-notebook summary (reads the quiz banks; the store never imports the quiz);
- :mod:`.view`: the dashboard table, chart and display.

The quiz and the exercise checks record through :mod:`.store` only, so this package imports them without a cycle.
"""

from __future__ import annotations

from .exports import export, merge, parse_export, read_export
from .overview import SUMMARY_COLUMNS, summarize, summary
from .store import (
    APP_NAME, ENV_VAR, EXPORT_MODE, FILE_NAME, FORMAT_VERSION, HUB_USER_VAR, KINDS, LOCK_TIMEOUT, RECORD_FIELDS,
    RETRY_LOCK_TIMEOUT, SCHEMA, STALE_TEMP_AGE, ProgressError, ProgressWarning, ReadOnlyProgressFile,
    default_data_dir, default_file_name, progress_path, record, records, reset, set_learner,
)
from .view import dashboard, dashboard_figure, dashboard_table

__all__ = [
    "APP_NAME", "ENV_VAR", "EXPORT_MODE", "FILE_NAME", "FORMAT_VERSION", "HUB_USER_VAR", "KINDS", "LOCK_TIMEOUT",
    "RECORD_FIELDS", "RETRY_LOCK_TIMEOUT", "SCHEMA", "STALE_TEMP_AGE", "SUMMARY_COLUMNS", "ProgressError",
    "ProgressWarning", "ReadOnlyProgressFile", "dashboard", "dashboard_figure", "dashboard_table",
    "default_data_dir", "default_file_name", "export", "merge", "parse_export", "progress_path", "read_export",
    "record", "records", "reset", "set_learner", "summarize", "summary",
]
