"""The instructor's class report: a folder of progress exports → a table and a chart of the weakest questions.

Learners hand in the file that ``progress.export()`` writes. Put them in one folder and run::

    python -m alliance_course report FOLDER [--out class-report.png]

It prints one row per learner and, per notebook, the quiz score on the first try and the exercises answered
correctly; it writes a bar chart of the questions and exercises the class found hardest. Files that cannot be read
are listed and skipped: one broken file never stops the report.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from .course import LESSONS

__all__ = ["ClassData", "class_report", "main", "read_folder", "summary_table", "weakest_chart", "weakest_items"]

CHART_NAME = "class-report.png"
MEASURES = ("quiz_first_try", "quiz_attempted", "exercises_correct", "exercises_attempted")
_COURSE_ORDER = {lesson.number: i for i, lesson in enumerate(LESSONS)}
_OKABE_ITO_BLUE, _OKABE_ITO_ORANGE = "#0072B2", "#E69F00"


@dataclass(frozen=True)
class ClassData:
    """The readable exports of a folder (label → export contents) and the files that were skipped."""

    exports: dict[str, dict[str, Any]]
    skipped: list[str]


def read_folder(folder: str | Path) -> ClassData:
    """Read every ``*.json`` file in ``folder`` (not its subfolders) as a progress export.

    A learner is labelled by the name in the file, or the file name when there is none; two files with the same
    name get the file name added. Unreadable or invalid files go to ``skipped`` with the reason.
    """
    from .progress import ProgressError, read_export

    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder: give the folder that holds the learners' "
                                "progress files (*.json).")
    exports: dict[str, dict[str, Any]] = {}
    skipped: list[str] = []
    found: list[tuple[str, Path, dict[str, Any]]] = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = read_export(path)
        except ProgressError as exc:
            skipped.append(str(exc))
            continue
        except Exception as exc:  # an unexpected failure on one file must not stop the report
            skipped.append(f"{path}: cannot be read ({type(exc).__name__}: {exc}).")
            continue
        learner = data.get("learner")
        found.append((learner.strip() if isinstance(learner, str) and learner.strip() else path.stem, path, data))
    counts = pd.Series([label for label, _, _ in found]).value_counts() if found else pd.Series(dtype=int)
    for label, path, data in found:
        exports[f"{label} ({path.name})" if counts[label] > 1 else label] = data
    return ClassData(exports, skipped)


def summary_table(exports: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """Learner × notebook: quiz questions right on the first try and attempted, exercises correct and attempted.

    Rows are learners (sorted), columns a MultiIndex (notebook, measure) with the measures in :data:`MEASURES`,
    notebooks in course order; only notebooks that someone has worked on appear.
    """
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for learner, data in exports.items():
        for entry in data.get("records", []):
            cell = counts.setdefault((learner, entry["notebook"]), dict.fromkeys(MEASURES, 0))
            if entry["kind"] == "quiz":
                cell["quiz_attempted"] += 1
                cell["quiz_first_try"] += bool(entry["first_try_correct"])
            else:
                cell["exercises_attempted"] += 1
                cell["exercises_correct"] += bool(entry["ever_correct"])
    notebooks = sorted({nb for _, nb in counts}, key=lambda nb: (_COURSE_ORDER.get(nb, len(_COURSE_ORDER)), nb))
    columns = pd.MultiIndex.from_product([notebooks, MEASURES], names=["notebook", "measure"])
    learners = sorted(exports, key=str.casefold)
    table = pd.DataFrame(0, index=pd.Index(learners, name="learner"), columns=columns, dtype="int64")
    for (learner, notebook), cell in counts.items():
        for measure, value in cell.items():
            table.loc[learner, (notebook, measure)] = value
    return table


def class_report(folder: str | Path) -> tuple[pd.DataFrame, list[str]]:
    """The summary table (see :func:`summary_table`) for the exports in ``folder``, and the skipped files."""
    data = read_folder(folder)
    return summary_table(data.exports), data.skipped


def weakest_items(exports: dict[str, dict[str, Any]], limit: int = 10) -> pd.DataFrame:
    """The quiz questions and exercises with the lowest share of learners who got them right.

    A quiz question counts as right when it was answered correctly on the first try; an exercise when it was
    ever checked as correct. Columns: ``kind``, ``notebook``, ``item``, ``learners`` (who attempted it),
    ``right`` and ``share`` (0–1); the weakest first (ties: the item more learners attempted first), at most
    ``limit`` rows.
    """
    tally: dict[tuple[str, str, str], list[int]] = {}
    for data in exports.values():
        for entry in data.get("records", []):
            key = (entry["kind"], entry["notebook"], entry["item"])
            right = entry["first_try_correct"] if entry["kind"] == "quiz" else entry["ever_correct"]
            tally.setdefault(key, [0, 0])
            tally[key][0] += 1
            tally[key][1] += bool(right)
    rows = [{"kind": kind, "notebook": nb, "item": item, "learners": n, "right": r, "share": r / n}
            for (kind, nb, item), (n, r) in tally.items()]
    items = pd.DataFrame(rows, columns=["kind", "notebook", "item", "learners", "right", "share"])
    items = items.sort_values(["share", "learners", "notebook", "item"], ascending=[True, False, True, True])
    return items.head(limit).reset_index(drop=True)


def weakest_chart(items: pd.DataFrame, path: str | Path, source_note: str) -> Path:
    """Write a horizontal bar chart of :func:`weakest_items` to ``path`` (PNG) and return the path."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    path = Path(path)
    labels = [f"{row.notebook} · {row.item} ({row.kind})" for row in items.itertuples()]
    shares = [100 * share for share in items["share"]]
    colours = [_OKABE_ITO_BLUE if kind == "quiz" else _OKABE_ITO_ORANGE for kind in items["kind"]]
    height = 1.6 + 0.45 * max(len(labels), 1)
    fig, ax = plt.subplots(figsize=(9, height))
    try:
        ax.barh(labels[::-1], shares[::-1], color=colours[::-1])
        for y, (share, row) in enumerate(zip(shares[::-1], items[::-1].itertuples())):
            ax.text(share + 1, y, f"{row.right} of {row.learners}", va="center", fontsize=8)
        ax.set_xlim(0, 112)
        ax.set_xticks(range(0, 101, 20))
        ax.set_xlabel("Learners who got it right (%; quiz: on the first try, exercise: at all)")
        ax.set_ylabel("Notebook · question or exercise")
        ax.set_title("Where the class struggled: the weakest questions and exercises")
        if not labels:
            ax.text(50, 0, "No attempts recorded yet", ha="center", va="center")
        handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in (_OKABE_ITO_BLUE, _OKABE_ITO_ORANGE)]
        ax.legend(handles, ["quiz question", "exercise"], loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8,
                  frameon=False)
        fig.text(0.01, 0.01, source_note, fontsize=7, ha="left", va="bottom")
        fig.tight_layout(rect=(0, 0.04, 1, 1))
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=120)
    finally:
        plt.close(fig)
    return path


def _printable(table: pd.DataFrame) -> pd.DataFrame:
    """The summary table as text cells: "quiz 3/5 · ex 2/6" per notebook."""
    notebooks = list(dict.fromkeys(table.columns.get_level_values("notebook")))
    out = pd.DataFrame(index=table.index)
    for nb in notebooks:
        def cell(row: pd.Series, nb: str = nb) -> str:
            quiz = f"quiz {row[(nb, 'quiz_first_try')]}/{row[(nb, 'quiz_attempted')]}"
            ex = f"ex {row[(nb, 'exercises_correct')]}/{row[(nb, 'exercises_attempted')]}"
            return f"{quiz} · {ex}"
        out[nb] = table.apply(cell, axis=1) if len(table) else pd.Series(dtype=str)
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m alliance_course report FOLDER [--out PATH]``; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m alliance_course report",
                                     description="Class report from the progress files learners exported.")
    parser.add_argument("folder", help="folder with the learners' progress exports (*.json)")
    parser.add_argument("--out", help=f"chart file (PNG) or folder for it; default FOLDER/{CHART_NAME}")
    args = parser.parse_args(argv)
    try:
        data = read_folder(args.folder)
    except FileNotFoundError as exc:
        print(exc)
        return 1
    for problem in data.skipped:
        print(f"skipped: {problem}")
    if not data.exports:
        print(f"No readable progress files in {args.folder}; nothing to report.")
        return 1
    table = summary_table(data.exports)
    print(f"Class report: {len(data.exports)} learner(s); per notebook, quiz = right on the first try / "
          "attempted, ex = exercises correct / attempted.")
    with pd.option_context("display.width", 200, "display.max_columns", None):
        print(_printable(table).to_string())
    out = Path(args.out) if args.out else Path(args.folder) / CHART_NAME
    if out.is_dir() or (args.out and not out.suffix):
        out = out / CHART_NAME
    note = (f"Source: {len(data.exports)} progress file(s) in {Path(args.folder).name}/, "
            f"report of {date.today().isoformat()}.")
    try:
        written = weakest_chart(weakest_items(data.exports), out, note)
    except OSError as exc:
        print(f"Could not write the chart to {out}: {exc.strerror or exc}. Use --out to choose another place.")
        return 1
    print(f"Chart of the weakest questions: {written}")
    return 0
