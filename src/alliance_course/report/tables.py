"""The gradebook table, its CSV, and the weakest scored items of the class."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pandas as pd

from .items import Catalogue, MEASURES, MIN_LEARNERS, SCORED_SECTION, _COURSE_ORDER, safe_text
from .handins import ClassData, read_folder


def _scored(entry: dict[str, Any], cat: Catalogue) -> bool:
    if entry["kind"] == "exercise":
        return True
    return cat.quiz.get(entry["notebook"], {}).get(entry["item"], ("", ""))[0] == SCORED_SECTION


def summary_table(data: ClassData) -> pd.DataFrame:
    """Learner × notebook with the measures in :data:`MEASURES` (columns: a MultiIndex (notebook, measure)).

    ``quiz_of`` is the bank's scored questions and ``exercises_of`` the set's exercises, the same for everyone;
    ``practice_*`` count warm-ups, in-text checks and predictions (not part of any score). Notebooks appear in
    course order when someone worked on them.
    """
    cat = data.catalogue
    worked = {nb for learner in data.learners.values() for (_, nb, _) in learner.records}
    notebooks = sorted(worked, key=lambda nb: _COURSE_ORDER.get(nb, len(_COURSE_ORDER)))
    columns = pd.MultiIndex.from_product([notebooks, MEASURES], names=["notebook", "measure"])
    labels = sorted(data.learners, key=str.casefold)
    table = pd.DataFrame(0, index=pd.Index(labels, name="learner"), columns=columns, dtype="int64")
    for nb in notebooks:
        table[(nb, "quiz_of")] = len(cat.scored_quiz(nb))
        table[(nb, "exercises_of")] = len(cat.exercises.get(nb, {}))
    for label in labels:
        for (kind, nb, _), entry in data.learners[label].records.items():
            if kind == "exercise":
                table.loc[label, (nb, "exercises_correct")] += int(entry["ever_correct"])
            elif _scored(entry, cat):
                table.loc[label, (nb, "quiz_right")] += int(entry["first_try_correct"])
            else:
                table.loc[label, (nb, "practice_answered")] += 1
                table.loc[label, (nb, "practice_right")] += int(entry["first_try_correct"])
    return table


def class_report(folder: str | Path, any_version: bool = False) -> tuple[pd.DataFrame, list[str]]:
    """The summary table for the exports in ``folder``, and the files skipped."""
    data = read_folder(folder, any_version=any_version)
    return summary_table(data), data.skipped


def _csv_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(data: ClassData, table: pd.DataFrame) -> str:
    """One row per learner: name, files, per notebook the six measures, then the totals (for a gradebook/LMS)."""
    notebooks = list(dict.fromkeys(table.columns.get_level_values("notebook")))
    header = ["learner", "files"]
    for nb in notebooks:
        header += [f"{nb} quiz right first try", f"{nb} quiz questions", f"{nb} exercises correct",
                   f"{nb} exercises in set", f"{nb} practice right first try", f"{nb} practice answered"]
    header += ["quiz right first try", "quiz questions", "exercises correct", "exercises in set"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for label in table.index:
        row = table.loc[label]
        cells: list[Any] = [_csv_cell(label), _csv_cell("; ".join(data.learners[label].files))]
        for nb in notebooks:
            cells += [int(row[(nb, m)]) for m in MEASURES]
        cells += [int(sum(row[(nb, m)] for nb in notebooks))
                  for m in ("quiz_right", "quiz_of", "exercises_correct", "exercises_of")]
        writer.writerow(cells)
    return out.getvalue()


def _printable(table: pd.DataFrame) -> list[pd.DataFrame]:
    """The table as text cells ("quiz 3/8 · ex 2/5"), in blocks of three notebooks so lines stay under 110
    characters."""
    notebooks = list(dict.fromkeys(table.columns.get_level_values("notebook")))
    blocks = []
    for start in range(0, len(notebooks), 3):
        out = pd.DataFrame(index=table.index)
        for nb in notebooks[start:start + 3]:
            out[nb] = [f"quiz {r[(nb, 'quiz_right')]}/{r[(nb, 'quiz_of')]} · "
                       f"ex {r[(nb, 'exercises_correct')]}/{r[(nb, 'exercises_of')]}"
                       for _, r in table.iterrows()]
        blocks.append(out)
    return blocks


def weakest_items(data: ClassData, limit: int = 10, min_learners: int = MIN_LEARNERS) -> pd.DataFrame:
    """Scored quiz questions and exercises with the lowest share right, among items at least ``min_learners``
    learners answered (a quiz question: right on the first try; an exercise: ever right). Practice items
    (warm-ups, checks, predictions) are never ranked. Columns: kind, notebook, item, text, learners, right,
    share; weakest first (ties: more learners first)."""
    cat = data.catalogue
    tally: dict[tuple[str, str, str], list[int]] = {}
    for learner in data.learners.values():
        for (kind, nb, item), entry in learner.records.items():
            if not _scored(entry, cat):
                continue
            right = entry["first_try_correct"] if kind == "quiz" else entry["ever_correct"]
            counts = tally.setdefault((kind, nb, item), [0, 0])
            counts[0] += 1
            counts[1] += int(right)
    rows = []
    for (kind, nb, item), (n, r) in tally.items():
        if n < min_learners:
            continue
        text = cat.quiz[nb][item][1] if kind == "quiz" else cat.exercises[nb][item]
        rows.append({"kind": kind, "notebook": nb, "item": item, "text": safe_text(text, 70), "learners": n,
                     "right": r, "share": r / n})
    items = pd.DataFrame(rows, columns=["kind", "notebook", "item", "text", "learners", "right", "share"])
    items = items.sort_values(["share", "learners", "notebook", "item"], ascending=[True, False, True, True])
    return items.head(limit).reset_index(drop=True)
