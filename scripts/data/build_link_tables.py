"""Build the link tables that give multi-valued cells a foreign key (one row per value).

- ``invocation_allies``: treaty_invocations.allies  → (invocation_id, iso3), iso3 in nato_members
- ``enlargement_members``: enlargements.countries   → (year, country), country in nato_members
- ``operation_resolutions``: operations.unscr       → (operation_id, unscr)
- ``source_links``: every table's ``source`` column → (table, row_key, source_id), source_id in sources

The multi-valued cells stay in their tables for reading; these tables are derived from them, and a test checks
that they are up to date. Run from the repository root: ``python scripts/data/build_link_tables.py``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _write(name: str, fields: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (DATA / f"{name}.csv").write_text(buffer.getvalue(), encoding="utf-8")


def build() -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    out["invocation_allies"] = [
        {"invocation_id": r["invocation_id"], "iso3": iso3, "source": r["source"]}
        for r in _rows("treaty_invocations") for iso3 in _split(r["allies"])
    ]
    out["enlargement_members"] = [
        {"year": r["year"], "country": country, "source": r["source"]}
        for r in _rows("enlargements") for country in _split(r["countries"])
    ]
    out["operation_resolutions"] = [
        {"operation_id": r["operation_id"], "unscr": unscr, "source": r["source"]}
        for r in _rows("operations") for unscr in _split(r["unscr"])
    ]
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    links = []
    for resource in package["resources"]:
        name = resource["name"]
        if name in ("sources", "source_links", "invocation_allies", "enlargement_members", "operation_resolutions"):
            continue
        schema = json.loads((DATA / resource["schema"]).read_text(encoding="utf-8"))
        names = [field["name"] for field in schema["fields"]]
        if "source" not in names:
            continue
        key = schema.get("primaryKey") or [names[0]]
        key = [key] if isinstance(key, str) else key
        for row in _rows(name):
            for reference in _split(row["source"]):
                if reference.startswith(("http://", "https://")):
                    continue
                links.append({"table": name, "row_key": "|".join(row[k] for k in key), "source_id": reference})
    out["source_links"] = links
    return out


FIELDS = {
    "invocation_allies": ["invocation_id", "iso3", "source"],
    "enlargement_members": ["year", "country", "source"],
    "operation_resolutions": ["operation_id", "unscr", "source"],
    "source_links": ["table", "row_key", "source_id"],
}


def main() -> None:
    for name, rows in build().items():
        _write(name, FIELDS[name], rows)
        print(f"{name}: {len(rows)} rows")


if __name__ == "__main__":
    main()
