"""Rebuild data/defence_spending_coverage.csv from defence_spending.csv and nato_members.csv.

One row per Ally, year and NATO release (2014-2024 for the June 2024 release, 2014-2025 for the August 2025
release): whether the course has the figure, and if not, why. Run from the repository root:
``python scripts/data/build_spending_coverage.py``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"
RELEASES = {"2024-06": range(2014, 2025), "2025-08": range(2014, 2026)}
RELEASE_SOURCE = {"2024-06": "nato-2024-06-def-exp", "2025-08": "nato-2025-08-def-exp"}


def main() -> None:
    with open(DATA / "nato_members.csv", newline="", encoding="utf-8") as handle:
        members = list(csv.DictReader(handle))
    with open(DATA / "defence_spending.csv", newline="", encoding="utf-8") as handle:
        spending = {(r["iso3"], int(r["year"]), r["release"]): r for r in csv.DictReader(handle)}
    rows = []
    for release, years in RELEASES.items():
        for member in sorted(members, key=lambda m: m["iso3"]):
            iso3 = member["iso3"]
            for year in years:
                ally = "true" if member["accession_date"] <= f"{year}-12-31" else "false"
                row = spending.get((iso3, year, release))
                if iso3 == "ISL":
                    status = "not_applicable"
                    reason = "Iceland has no armed forces; NATO publishes no defence expenditure for it."
                elif row is not None:
                    status = "superseded" if row["superseded"] == "true" else "in_table"
                    reason = ("A later release revises this figure (see defence_spending.note)."
                              if status == "superseded" else "")
                elif release == "2025-08" and iso3 == "DEU" and year == 2025:
                    status = "not_published"
                    reason = "NATO published no 2025 figure for Germany while its budget awaited approval."
                else:
                    status = "unknown"
                    reason = ("NATO's release has this figure, but the course could not read it in the release or in a "
                              "report quoting it; left out rather than guessed.")
                rows.append({"iso3": iso3, "country": member["country"], "year": year, "release": release,
                             "ally_that_year": ally, "status": status, "reason": reason,
                             "source": row["source"] if row is not None else RELEASE_SOURCE[release]})
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (DATA / "defence_spending_coverage.csv").write_text(buffer.getvalue(), encoding="utf-8")
    print(f"{len(rows)} rows")


if __name__ == "__main__":
    main()
