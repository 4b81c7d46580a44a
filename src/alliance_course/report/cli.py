"""``python -m alliance_course report FOLDER``: the class report on the command line."""

from __future__ import annotations

import argparse
import textwrap
from datetime import date
from pathlib import Path

import pandas as pd

from .items import CHART_NAME, MIN_LEARNERS, safe_text
from .handins import read_folder
from .tables import _printable, summary_table, to_csv, weakest_items
from .chart import _write_safely, weakest_chart


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
