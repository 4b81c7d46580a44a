"""Count how often each course notebook is executed during a test session.

The project's rule: a notebook runs at most three times per ``make test``. To measure it, run the suite with
``ALLIANCE_COURSE_COUNT_RUNS=<log file>`` (``make count-runs`` does this). The root ``conftest.py`` then calls
:func:`install`, which wraps nbclient's cell execution: whenever the first code cell of a course notebook (one of
``notebooks/``, ``solutions/``, ``exercises/``, recognised by its code cells) runs, one line ``<folder>/<name>\\t<how>``
is appended to the log. nbval runs and browser runs (``tools/browser_driver.run_all``) call :func:`record`
directly. Every pytest-xdist worker appends to the same file; the session ends with :func:`summary`.

    python tools/count_runs.py LOG     # print the table; exit status 1 if a notebook ran more than 3 times
"""

from __future__ import annotations

import collections
import os
import sys
from pathlib import Path
from typing import Any

ENV = "ALLIANCE_COURSE_COUNT_RUNS"
LIMIT = 3
ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("notebooks", "solutions", "exercises")


def _known() -> dict[str, list[tuple[str, frozenset[str]]]]:
    """first code cell's source → [(notebook name, the set of its code cells' sources)]."""
    import nbformat

    known: dict[str, list[tuple[str, frozenset[str]]]] = collections.defaultdict(list)
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            code = [c.source for c in nb.cells if c.cell_type == "code"]
            if code:
                known[code[0]].append((f"{folder}/{path.name}", frozenset(code)))
    return dict(known)


def _which(known: dict[str, list[tuple[str, frozenset[str]]]], nb: Any, cell: Any) -> str | None:
    """The course notebook whose first code cell ``cell`` is, when ``nb`` holds all of its code (a test may add
    cells of its own, e.g. a network guard)."""
    candidates = known.get(cell.get("source", "")) if cell.get("cell_type") == "code" else None
    if not candidates:
        return None
    sources = {c.source for c in nb.cells if c.cell_type == "code"}
    matches = [name for name, code in candidates if code <= sources]
    return max(matches, key=lambda name: len(dict(candidates)[name])) if matches else None


def record(path: Path | str, how: str) -> None:
    """Log one run of the notebook at ``path`` (any copy of a course notebook: named by folder and file name)."""
    log = os.environ.get(ENV)
    if not log:
        return
    path = Path(path)
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(f"{path.parent.name}/{path.name}\t{how}\n")


def install() -> None:
    """Wrap ``NotebookClient.async_execute_cell`` so that every run of a course notebook is logged."""
    if not os.environ.get(ENV):
        return
    from nbclient import NotebookClient
    from nbclient.util import run_sync

    if getattr(NotebookClient, "_counted", False):
        return
    known = _known()
    original = NotebookClient.async_execute_cell

    async def counted(self, cell, cell_index, *args, **kwargs):  # type: ignore[no-untyped-def]
        name = _which(known, self.nb, cell)
        if name is not None:
            record(ROOT / name, "nbclient")
        return await original(self, cell, cell_index, *args, **kwargs)

    NotebookClient.async_execute_cell = counted
    NotebookClient.execute_cell = run_sync(counted)  # the sync twin was bound to the original at class creation
    NotebookClient._counted = True


def counts(log: Path | str | None = None) -> dict[str, collections.Counter]:
    log = log or os.environ.get(ENV)
    if not log or not Path(log).exists():
        return {}
    runs: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for line in Path(log).read_text(encoding="utf-8").splitlines():
        name, _, how = line.partition("\t")
        runs[name][how] += 1
    return dict(runs)


def summary(log: Path | str | None = None) -> str:
    """A table: each notebook, its total runs and how (nbclient, nbval, browser); over-limit rows marked."""
    runs = counts(log)
    if not runs:
        return ""
    lines = [f"{'notebook':48} {'runs':>4}  how"]
    for name in sorted(runs):
        total = sum(runs[name].values())
        how = ", ".join(f"{k} {v}" for k, v in sorted(runs[name].items()))
        flag = f"  <-- more than {LIMIT}" if total > LIMIT else ""
        lines.append(f"{name:48} {total:>4}  {how}{flag}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    print(summary(argv[0]) or "no notebook runs logged")
    return 1 if any(sum(c.values()) > LIMIT for c in counts(argv[0]).values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
