"""Classroom mode: offers written by teams into CSV files, read back with every problem reported at once."""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable
from pathlib import Path

from alliance_course import paths
from alliance_course.sims.force_generation.model import (
    Offer,
    OfferFileError,
    Scenario,
)
from alliance_course.sims.force_generation.tables import offers_frame

_CSV_EXTRA_COLUMNS = ("team", "note")  # optional columns a team may add to its offers file


# --------------------------------------------------------------------------------------------------- classroom CSV

def example_offers_path() -> Path:
    """The classroom offers file shipped with the course for scenario 'stabilisation': invented offers from six
    invented nations, to show the format (``data/classroom/``, which holds illustrative inputs, not facts)."""
    return paths.data_dir() / "classroom" / "05-illustrative-offers.csv"


def write_offers_csv(path: str | Path, scenario: Scenario, offers: Iterable[Offer] | None = None) -> Path:
    """Write offers in the classroom layout (one row per nation). Without ``offers``, write a template: every
    nation with 0 units and its default caveats, for teams to fill in."""
    path = Path(path)
    if offers is None:
        offers = [Offer(n.id, {}, n.default_caveats) for n in scenario.nations]
    frame = offers_frame(scenario, offers)
    frame.insert(len(frame.columns), "team", "")
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def _name(path: Path) -> str:
    try:
        return path.resolve().relative_to(paths.course_root().resolve()).as_posix()
    except ValueError:
        return path.name


def read_offers_csv(path: str | Path, scenario: Scenario) -> tuple[Offer, ...]:
    """Read classroom offers: a CSV file with one row per nation, or a folder of such files (read in name order).

    Columns: ``nation`` (id or name), one column per requirement line id (whole numbers; blank means 0), and
    optionally ``caveats`` (ids or labels separated by ';'), ``team`` and ``note``. Every problem is reported at
    once in an :class:`OfferFileError` naming the file, the row and the column; a nation may appear only once.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        if not files:
            raise OfferFileError([f"{_name(path)}: the folder has no .csv files of offers"])
    elif path.is_file():
        files = [path]
    else:
        raise OfferFileError([f"{_name(path)}: no such file or folder"])
    problems: list[str] = []
    offers: list[Offer] = []
    first_seen: dict[str, str] = {}
    for file in files:
        for where, offer in _read_one(file, scenario, problems):
            if offer.nation in first_seen:
                problems.append(f"{where}: nation {offer.nation!r} already has an offer ({first_seen[offer.nation]})")
                continue
            first_seen[offer.nation] = where
            offers.append(offer)
    if problems:
        raise OfferFileError(problems)
    return tuple(offers)


def _read_one(file: Path, scenario: Scenario, problems: list[str]) -> list[tuple[str, Offer]]:
    name = _name(file)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        problems.append(f"{name}: the file is not UTF-8 text; save it as CSV UTF-8")
        return []
    except OSError as exc:
        problems.append(f"{name}: cannot be read ({exc.strerror or exc})")
        return []
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None:
        problems.append(f"{name}: the file is empty; it needs a header row starting with 'nation'")
        return []
    columns = [re.sub(r"\s+", "_", column.strip().lower()) for column in header]
    lines = {line.id for line in scenario.lines}
    allowed = {"nation", "caveats", *lines, *_CSV_EXTRA_COLUMNS}
    unknown = [c for c in columns if c not in allowed]
    if "nation" not in columns or unknown:
        if "nation" not in columns:
            problems.append(f"{name}: no 'nation' column in the header")
        for column in unknown:
            problems.append(f"{name}: unknown column {column!r} (allowed: nation, "
                            f"{', '.join(line.id for line in scenario.lines)}, caveats, team, note)")
        return []
    by_name = {n.id: n.id for n in scenario.nations} | {n.name.lower(): n.id for n in scenario.nations}
    caveat_ids = {c.id: c.id for c in scenario.caveats} | {c.label.lower(): c.id for c in scenario.caveats}
    result = []
    for row_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(columns, (cell.strip() for cell in row)))
        where = f"{name}, row {row_number}"
        if len(row) > len(columns):
            problems.append(f"{where}: {len(row)} cells but only {len(columns)} columns (a stray comma?)")
            continue
        nation_id = by_name.get(cells.get("nation", "").lower())
        if nation_id is None:
            problems.append(f"{where}: unknown nation {cells.get('nation', '')!r} "
                            f"(nations: {', '.join(n.id for n in scenario.nations)})")
            continue
        where = f"{where} (nation {nation_id!r})"
        units: dict[str, int] = {}
        row_ok = True
        for line in scenario.lines:
            cell = cells.get(line.id, "")
            number = _whole_number(cell)
            if number is None:
                problems.append(f"{where}, column {line.id!r}: {cell!r} is not a whole number ≥ 0")
                row_ok = False
                continue
            capacity = scenario.nation(nation_id).capacity.get(line.id, 0)
            if number > capacity:
                problems.append(f"{where}, column {line.id!r}: {number} offered but the nation card allows "
                                f"at most {capacity}")
                row_ok = False
            elif number:
                units[line.id] = number
        chosen: set[str] = set()
        for token in filter(None, (t.strip() for t in re.split(r"[;|,]", cells.get("caveats", "")))):
            caveat_id = caveat_ids.get(token.lower())
            if caveat_id is None:
                problems.append(f"{where}, column 'caveats': unknown caveat {token!r} "
                                f"(caveats: {', '.join(c.id for c in scenario.caveats)})")
                row_ok = False
            else:
                chosen.add(caveat_id)
        if row_ok:
            result.append((where, Offer(nation_id, units, frozenset(chosen))))
    return result


def _whole_number(cell: str) -> int | None:
    if cell == "":
        return 0
    try:
        value = float(cell)
    except ValueError:
        return None
    if not math.isfinite(value) or value < 0 or value != int(value):
        return None
    return int(value)
