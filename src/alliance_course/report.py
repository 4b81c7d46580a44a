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

import argparse
import csv
import io
import json
import os
import re
import stat
import tempfile
import textwrap
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from .course import LESSONS

__all__ = ["Catalogue", "ClassData", "Learner", "catalogue", "class_report", "main", "read_folder", "safe_text",
           "summary_table", "to_csv", "weakest_chart", "weakest_items"]

CHART_NAME = "class-report.png"
MAX_FILE_BYTES = 2 * 1024 * 1024  # a real export of the whole course is ~50 KB
MAX_FILES = 5000
MIN_LEARNERS = 5
NAME_WIDTH = 40
SCORED_SECTION = "quiz"
MEASURES = ("quiz_right", "quiz_of", "exercises_correct", "exercises_of", "practice_right", "practice_answered")
_COURSE_ORDER = {lesson.number: i for i, lesson in enumerate(LESSONS)}
_OKABE_ITO_BLUE, _OKABE_ITO_ORANGE = "#0072B2", "#E69F00"
_EXERCISE_HEADING = re.compile(r"^#{2}\s+(?P<id>\d{2}\.\d{1,2}[a-z]?)\s+(?P<title>.+)$", re.MULTILINE)


def safe_text(value: Any, width: int | None = None) -> str:
    """``value`` as one line of plain text: control and format characters removed, spaces collapsed, cut to
    ``width`` characters (with …)."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in str(value))
    text = " ".join(text.split())
    if width is not None and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def _name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


# --- what the course counts -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Catalogue:
    """The items this version of the course knows: quiz questions (notebook → id → (section, prompt)) and
    exercises (notebook → id → title)."""

    quiz: dict[str, dict[str, tuple[str, str]]]
    exercises: dict[str, dict[str, str]]
    version: str
    problems: tuple[str, ...] = ()

    def scored_quiz(self, notebook: str) -> list[str]:
        return [q for q, (section, _) in self.quiz.get(notebook, {}).items() if section == SCORED_SECTION]


def catalogue() -> Catalogue:
    """Read the quiz banks, ``data/answers.json`` and the exercise headings of this course."""
    from . import __version__, paths
    from .exercises import AnswersFileError, load_answers
    from .quiz.bank import QuizError, available_banks, load_bank

    problems: list[str] = []
    quiz: dict[str, dict[str, tuple[str, str]]] = {}
    for number, path in available_banks().items():
        try:
            bank = load_bank(path)
        except QuizError as exc:
            problems.append(f"quiz bank {number} cannot be read, its questions are not counted ({exc})")
            continue
        quiz[number] = {q.id: (q.section, q.prompt) for q in bank.questions}
    exercises: dict[str, dict[str, str]] = {}
    try:
        for exercise_id, entry in load_answers().items():
            exercises.setdefault(str(entry.get("notebook", exercise_id[:2])), {})[exercise_id] = exercise_id
    except AnswersFileError as exc:
        problems.append(f"exercises are not counted: {exc}")
    for path in sorted((paths.course_root() / "exercises").glob("*.ipynb")):
        try:
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        for cell in cells:
            source = "".join(cell.get("source", "")) if cell.get("cell_type") == "markdown" else ""
            for match in _EXERCISE_HEADING.finditer(source):
                known = exercises.get(match.group("id")[:2], {})
                if match.group("id") in known:
                    known[match.group("id")] = f"{match.group('id')} {match.group('title').strip()}"
    return Catalogue(quiz, exercises, __version__, tuple(problems))


# --- reading the hand-ins -------------------------------------------------------------------------------------------

@dataclass
class Learner:
    """One learner after merging: a display label, the files read, and their records by (kind, notebook, item)."""

    label: str
    files: list[str] = field(default_factory=list)
    records: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)


@dataclass
class ClassData:
    """The learners of a folder, the files skipped (with why) and the warnings (merges, records not counted)."""

    learners: dict[str, Learner]
    skipped: list[str]
    warnings: list[str]
    catalogue: Catalogue


def _candidates(folder: Path, skipped: list[str]) -> list[tuple[Path, str]]:
    """Every ``*.json`` (any case) below ``folder`` that is a regular file; never follows a symbolic link."""
    found: list[tuple[Path, str]] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]):
            if not name.lower().endswith(".json"):
                continue
            path = Path(dirpath) / name
            rel = safe_text(path.relative_to(folder).as_posix())
            try:
                info = os.lstat(path)
            except OSError as exc:
                skipped.append(f"{rel}: cannot be read ({exc.strerror or exc}).")
                continue
            if stat.S_ISLNK(info.st_mode):
                skipped.append(f"{rel}: is a symbolic link; links are never followed (copy the file itself).")
            elif not stat.S_ISREG(info.st_mode):
                skipped.append(f"{rel}: is not a regular file (a pipe, device or folder); not opened.")
            elif info.st_size > MAX_FILE_BYTES:
                skipped.append(f"{rel}: is {info.st_size:,} bytes, more than a progress export can be "
                               f"({MAX_FILE_BYTES:,}); not read.")
            else:
                found.append((path, rel))
            if len(found) >= MAX_FILES:
                skipped.append(f"more than {MAX_FILES} files: the rest were not read.")
                return found
    return found


def _read_regular(path: Path) -> bytes:
    """Read a regular file without following a link or blocking on a pipe, at most MAX_FILE_BYTES + 1 bytes."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError("not a regular file")
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise OSError(f"larger than {MAX_FILE_BYTES:,} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _parse(raw: bytes, rel: str) -> dict[str, Any]:
    import jsonschema

    from .progress import FORMAT_VERSION, SCHEMA, ProgressError

    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ProgressError(f"{rel}: not a progress file: it is not UTF-8 text.") from None
    except ValueError as exc:
        raise ProgressError(f"{rel}: not a progress file: it is not valid JSON ({safe_text(exc, 80)}).") from None
    if isinstance(data, dict) and isinstance(data.get("format_version"), int) \
            and data["format_version"] > FORMAT_VERSION:
        raise ProgressError(f"{rel}: written by a newer version of the course (format {data['format_version']}; "
                            f"this one reads {FORMAT_VERSION}). Update the course.")
    error = next(iter(sorted(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data),
                             key=lambda e: list(map(str, e.absolute_path)))), None)
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "the file"
        raise ProgressError(f"{rel}: not a valid progress file: {safe_text(f'{where}: {error.message}', 200)}.")
    return data


def _time(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _impossible(entry: dict[str, Any], now: datetime) -> str | None:
    if entry["first_try_correct"] and not entry["ever_correct"]:
        return "right on the first try but never right"
    first, last = _time(entry["first_time"]), _time(entry["last_time"])
    if first is None or last is None:
        return "a time that is not a date"
    if first > last:
        return "first attempt after the last"
    if last > now + timedelta(days=1):
        return "a time in the future"
    if entry["kind"] == "exercise" and not entry["item"].startswith(entry["notebook"] + "."):
        return "an exercise filed under another notebook"
    return None


def _known(entry: dict[str, Any], cat: Catalogue) -> bool:
    if entry["notebook"] not in _COURSE_ORDER:
        return False
    if entry["kind"] == "quiz":
        return entry["item"] in cat.quiz.get(entry["notebook"], {})
    return entry["item"] in cat.exercises.get(entry["notebook"], {})


def _merge(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """One item answered on two machines: attempts add up, the first try is the earlier one's."""
    first = min(old, new, key=lambda e: (_time(e["first_time"]), not e["first_try_correct"]))
    return {**first, "attempts": old["attempts"] + new["attempts"],
            "ever_correct": old["ever_correct"] or new["ever_correct"],
            "first_time": min(old["first_time"], new["first_time"], key=_time),
            "last_time": max(old["last_time"], new["last_time"], key=_time)}


def read_folder(folder: str | Path, any_version: bool = False, cat: Catalogue | None = None) -> ClassData:
    """Read every progress export below ``folder``; see the module documentation for what is counted."""
    from .progress import ProgressError

    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{safe_text(folder)} is not a folder: give the folder that holds the learners' "
                                "progress files (*.json).")
    cat = cat or catalogue()
    skipped: list[str] = []
    warnings: list[str] = list(cat.problems)
    now = datetime.now(timezone.utc)
    by_key: dict[tuple[str, str], Learner] = {}
    names: dict[tuple[str, str], list[str]] = {}
    for path, rel in _candidates(folder, skipped):
        try:
            data = _parse(_read_regular(path), rel)
        except ProgressError as exc:
            skipped.append(str(exc))
            continue
        except OSError as exc:
            skipped.append(f"{rel}: cannot be read ({safe_text(exc.strerror or exc, 80)}).")
            continue
        version = data.get("course_version")
        if version != cat.version and not any_version:
            skipped.append(f"{rel}: made with course version {safe_text(version, 20)!r}, this report is for "
                           f"{cat.version!r}; not counted (add --any-version to count the items both versions "
                           "share).")
            continue
        raw_name = data.get("learner")
        name = safe_text(raw_name, NAME_WIDTH) if isinstance(raw_name, str) else ""
        key = ("name", _name_key(name)) if name else ("file", rel)
        learner = by_key.setdefault(key, Learner(label=name or f"(no name) {safe_text(rel, NAME_WIDTH)}"))
        learner.files.append(rel)
        names.setdefault(key, []).append(name)
        unknown, impossible, seen = [], [], set()
        for entry in data["records"]:
            item_key = (entry["kind"], entry["notebook"], entry["item"])
            if item_key in seen:
                impossible.append(f"{safe_text(entry['item'], 40)} (listed twice)")
                continue
            seen.add(item_key)
            if not _known(entry, cat):
                unknown.append(safe_text(f"{entry['notebook']}/{entry['item']}", 50))
                continue
            problem = _impossible(entry, now)
            if problem:
                impossible.append(f"{safe_text(entry['item'], 40)} ({problem})")
                continue
            old = learner.records.get(item_key)
            learner.records[item_key] = _merge(old, entry) if old else dict(entry)
        if unknown:
            warnings.append(f"{rel}: {len(unknown)} record(s) with ids this course version does not have, not "
                            f"counted: {', '.join(unknown[:5])}{' …' if len(unknown) > 5 else ''}")
        if impossible:
            warnings.append(f"{rel}: {len(impossible)} impossible record(s), not counted: "
                            f"{', '.join(impossible[:5])}{' …' if len(impossible) > 5 else ''}")
    learners: dict[str, Learner] = {}
    for key, learner in by_key.items():
        if len(learner.files) > 1:
            spellings = sorted(set(names[key]))
            warnings.append(f"merged {len(learner.files)} files as one learner {learner.label!r} (names compared "
                            f"without case or spacing: {', '.join(repr(s) for s in spellings)}): "
                            f"{', '.join(learner.files)}")
        label, n = learner.label, 2
        while label in learners:
            label, n = f"{learner.label} [{n}]", n + 1
        learner.label = label
        learners[label] = learner
    return ClassData(learners, skipped, warnings, cat)


# --- the table ------------------------------------------------------------------------------------------------------

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


# --- the weakest items ----------------------------------------------------------------------------------------------

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


def _safe_target(path: Path) -> None:
    """Refuse to replace anything but a regular file (a link planted in a hand-in folder must not redirect us)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
        raise OSError(f"{safe_text(path)} exists and is not a regular file (a link, pipe or folder); "
                      "not replaced")


def _write_safely(path: Path, write) -> Path:
    """Write through a new temporary file in the same folder, then move it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _safe_target(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        _safe_target(path)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def weakest_chart(items: pd.DataFrame, path: str | Path, source_note: str,
                  min_learners: int = MIN_LEARNERS) -> Path:
    """Write a horizontal bar chart of :func:`weakest_items` to ``path`` (PNG) and return the path."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    def plain(text: str) -> str:  # no mathtext: a '$' in a question is a dollar sign
        return text.replace("$", r"\$")

    labels = [plain(row.text if row.kind == "exercise" else f"{row.notebook} · {row.text}")  # "04.2 Title"
              for row in items.itertuples()]
    shares = [100 * share for share in items["share"]]
    colours = [_OKABE_ITO_BLUE if kind == "quiz" else _OKABE_ITO_ORANGE for kind in items["kind"]]
    height = 1.8 + 0.45 * max(len(labels), 1)
    fig, ax = plt.subplots(figsize=(11, height))
    try:
        ax.barh(range(len(labels)), shares[::-1], color=colours[::-1])
        ax.set_yticks(range(len(labels)), labels[::-1], fontsize=8)
        for y, (share, row) in enumerate(zip(shares[::-1], items[::-1].itertuples())):
            ax.text(share + 1, y, f"{row.right} of {row.learners}", va="center", fontsize=8)
        ax.set_xlim(0, 112)
        ax.set_xticks(range(0, 101, 20))
        ax.set_xlabel("Learners who got it right (%; quiz: on the first try, exercise: at all)")
        ax.set_title("Where the class struggled: scored quiz questions and exercises")
        if not labels:
            ax.set_yticks([])
            ax.text(50, 0.5, f"No scored item was answered by {min_learners} or more learners yet",
                    ha="center", va="center", transform=ax.transAxes)
        handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in (_OKABE_ITO_BLUE, _OKABE_ITO_ORANGE)]
        ax.legend(handles, ["quiz question", "exercise"], loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8,
                  frameon=False)
        fig.text(0.01, 0.01, plain(source_note), fontsize=7, ha="left", va="bottom")
        return _write_safely(Path(path), lambda handle: fig.savefig(handle, format="png", dpi=120,
                                                                    bbox_inches="tight"))
    finally:
        plt.close(fig)


# --- the command ----------------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    """``python -m alliance_course report FOLDER [--out PATH] [--csv PATH] [--min-learners N] [--any-version]``."""
    parser = argparse.ArgumentParser(prog="python -m alliance_course report",
                                     description="Class report from the progress files learners exported.")
    parser.add_argument("folder", help="folder with the learners' progress exports (*.json, subfolders too)")
    parser.add_argument("--out", help=f"chart file (PNG) or folder for it; default FOLDER/{CHART_NAME}")
    parser.add_argument("--csv", help="also write one row per learner to this CSV file (for a gradebook or LMS)")
    parser.add_argument("--min-learners", type=int, default=MIN_LEARNERS,
                        help=f"rank an item only when this many learners answered it (default {MIN_LEARNERS})")
    parser.add_argument("--any-version", action="store_true",
                        help="also count files made with another course version (only the ids both share)")
    args = parser.parse_args(argv)
    try:
        data = read_folder(args.folder, any_version=args.any_version)
    except FileNotFoundError as exc:
        print(exc)
        return 1
    for problem in data.skipped:
        print(f"skipped: {safe_text(problem, 300)}")
    for warning in data.warnings:
        print(f"warning: {safe_text(warning, 300)}")
    if not data.learners:
        print(f"No readable progress files in {safe_text(args.folder)}; nothing to report.")
        return 1
    table = summary_table(data)
    print(textwrap.fill(f"Class report: {len(data.learners)} learner(s). Per notebook: quiz = end-of-notebook "
                        "questions right on the first try / questions in the quiz; ex = exercises correct / "
                        "exercises in the set. Warm-ups, in-text checks and predictions are practice, not scored "
                        "(see --csv).", width=110))
    with pd.option_context("display.width", 120, "display.max_columns", None, "display.max_colwidth", 40):
        for block in _printable(table):
            print(block.to_string())
        if not len(table.columns):
            for label in table.index:
                print(f"{label}: no counted records yet")
    written: list[str] = []
    try:
        if args.csv:
            text = to_csv(data, table)
            csv_path = _write_safely(Path(args.csv), lambda h: h.write(text.encode("utf-8")))
            written.append(f"CSV (one row per learner): {safe_text(csv_path)}")
        out = Path(args.out) if args.out else Path(args.folder) / CHART_NAME
        if (out.is_dir() and not out.is_symlink()) or (args.out and not out.suffix):
            out = out / CHART_NAME
        note = (f"Source: {len(data.learners)} learner(s) in {safe_text(Path(args.folder).name, 40)}/, items "
                f"answered by at least {args.min_learners}, report of {date.today().isoformat()}.")
        chart = weakest_chart(weakest_items(data, min_learners=args.min_learners), out, note, args.min_learners)
        written.append(f"Chart of the weakest scored items: {safe_text(chart)}")
    except OSError as exc:
        for line in written:
            print(line)
        print(f"Could not write: {safe_text(exc.strerror or exc, 200)}. Use --out / --csv to choose another place.")
        return 1
    for line in written:
        print(line)
    return 0
