"""NATO operations over time, and how concentrated the contributions to one operation were (pure pandas).

Lesson 04 ("Out of area or out of business") uses two groups of functions. Both take the course tables as
``data.load`` returns them and never change their input.

**Operations over time** (the ``operations`` table): ``active_in_year`` lists the operations running at some point
in a calendar year (ongoing operations count as running, with ``confirmed=False`` after the last date a source
shows them under way); ``active_counts`` counts them per year and type; ``decimal_year`` turns dates into numbers
for a timeline chart.

**Who contributed** (the ``operation_contributors`` table): ``membership_at`` merges NATO membership *at the
snapshot's date* from the accession dates in ``nato_members``; ``shares``, ``top_share``, ``hhi``,
``effective_number`` and ``partner_share`` measure concentration; ``concentration`` bundles them for one
snapshot; ``snapshot_summary`` and ``claim_fits`` test a published claim ("forty states, only 28 of them NATO
members") against dated, complete and incomplete snapshots.

The **Herfindahl–Hirschman index** (HHI) is the sum of the squared shares: 1.0 when one nation provides every
soldier, 1/N when N nations provide equal shares. Here it is on the 0–1 scale; multiply by 10,000 for the
"points" used in competition law. Its inverse, the **effective number** of contributors, says how many equal
contributors would give the same concentration.

Example::

    >>> import pandas as pd
    >>> troops = pd.Series({"A": 60, "B": 30, "C": 10})
    >>> round(hhi(troops), 2), round(effective_number(troops), 2)
    (0.46, 2.17)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "OPERATION_TYPES", "TYPE_LABELS", "OperationsDataError", "Concentration",
    "last_known_day", "decimal_year", "year_span", "active_in_year", "active_counts",
    "snapshot", "membership_at", "nato_size_on",
    "shares", "top_share", "hhi", "effective_number", "partner_share", "concentration", "with_troops",
    "snapshot_summary", "claim_fits",
]

OPERATION_TYPES: tuple[str, ...] = ("article5", "crisis_response", "maritime", "training", "deterrence")
TYPE_LABELS: dict[str, str] = {
    "article5": "Article 5 (collective defence)",
    "crisis_response": "Crisis response (non-Article 5)",
    "maritime": "Maritime security",
    "training": "Training and capacity building",
    "deterrence": "Deterrence on Allied territory",
}
_OPERATION_COLUMNS = ("operation_id", "type", "start", "end", "as_of")
_DAYS_PER_YEAR = 365.25


class OperationsDataError(ValueError):
    """A table or value handed to this module cannot be used; the message names the table, column or row."""


# --- checks ---------------------------------------------------------------------------------------------------------

def _require(frame: object, columns: Iterable[str], what: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise OperationsDataError(f"Expected the {what} as a pandas DataFrame, got {type(frame).__name__}.")
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise OperationsDataError(
            f"The {what} has no column {', '.join(repr(c) for c in missing)}; "
            f"load it with data.load(...) (columns found: {', '.join(map(str, frame.columns))}).")
    return frame


def _as_day(day: object, what: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(day)
    except (TypeError, ValueError):
        raise OperationsDataError(f"{what} must be a date such as '2009-10-01', got {day!r}.") from None
    if pd.isna(stamp):
        raise OperationsDataError(f"{what} must be a date such as '2009-10-01', got {day!r}.")
    return stamp


def _year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, int | float) or int(year) != year:
        raise OperationsDataError(f"The year must be a whole number such as 2011, got {year!r}.")
    return int(year)


# --- operations over time -------------------------------------------------------------------------------------------

def last_known_day(operations: pd.DataFrame) -> pd.Series:
    """The day each operation ended or, for an ongoing one, the latest day a source shows it under way (``as_of``)."""
    ops = _require(operations, _OPERATION_COLUMNS, "operations table")
    last = ops["end"].fillna(ops["as_of"])
    undated = ops.loc[last.isna(), "operation_id"].tolist()
    if undated:
        raise OperationsDataError(
            f"operations table: {', '.join(undated)} has neither an end date nor an as_of date.")
    return last


def decimal_year(days: pd.Series) -> pd.Series:
    """Dates as fractional years (1 July 1999 → about 1999.5), for drawing timelines on a numeric axis."""
    if not pd.api.types.is_datetime64_any_dtype(days):
        raise OperationsDataError("decimal_year expects a column of dates (datetime64).")
    return days.dt.year + (days.dt.day_of_year - 1) / _DAYS_PER_YEAR


def year_span(operations: pd.DataFrame) -> tuple[int, int]:
    """The first year an operation started and the last year any operation is known to have run."""
    ops = _require(operations, _OPERATION_COLUMNS, "operations table")
    if ops.empty:
        raise OperationsDataError("The operations table is empty.")
    return int(ops["start"].dt.year.min()), int(last_known_day(ops).dt.year.max())


def active_in_year(operations: pd.DataFrame, year: int) -> pd.DataFrame:
    """The operations running at some point in calendar ``year``, in order of their start.

    An operation counts when it started in or before ``year`` and ended in or after it; an operation without an
    end date is ongoing and counts every year from its start. The added column ``confirmed`` is False for an
    ongoing operation in a year after its ``as_of`` date (no source here shows it under way that year).
    """
    ops = _require(operations, _OPERATION_COLUMNS, "operations table")
    year = _year(year)
    started = ops["start"].dt.year <= year
    not_ended = ops["end"].isna() | (ops["end"].dt.year >= year)
    active = ops.loc[started & not_ended].copy()
    active["confirmed"] = active["end"].notna() | (active["as_of"].dt.year >= year)
    active["confirmed"] = active["confirmed"].astype(bool)
    return active.sort_values(["start", "operation_id"]).reset_index(drop=True)


def active_counts(operations: pd.DataFrame, years: Iterable[int] | None = None) -> pd.DataFrame:
    """How many operations of each type were running in each year: one row per year, one column per type."""
    ops = _require(operations, _OPERATION_COLUMNS, "operations table")
    if years is None:
        first, last = year_span(ops)
        years = range(first, last + 1)
    rows = {}
    for year in years:
        types = active_in_year(ops, year)["type"].astype(str)
        rows[_year(year)] = {kind: int((types == kind).sum()) for kind in OPERATION_TYPES}
    counts = pd.DataFrame.from_dict(rows, orient="index", columns=list(OPERATION_TYPES))
    counts.index.name = "year"
    return counts


# --- contributors and membership at a date --------------------------------------------------------------------------

def snapshot(contributors: pd.DataFrame, operation_id: str, as_of: object) -> pd.DataFrame:
    """The rows of one dated snapshot, e.g. ``snapshot(contributors, "isaf", "2009-10-01")``."""
    table = _require(contributors, ("operation_id", "as_of"), "contributors table")
    day = _as_day(as_of, "The snapshot date")
    of_operation = table[table["operation_id"] == operation_id]
    if of_operation.empty:
        known = ", ".join(sorted(map(str, table["operation_id"].unique())))
        raise OperationsDataError(f"No contributors for operation {operation_id!r}; the table has: {known}.")
    rows = of_operation[of_operation["as_of"] == day]
    if rows.empty:
        dates = ", ".join(d.date().isoformat() for d in sorted(of_operation["as_of"].unique()))
        raise OperationsDataError(
            f"No {operation_id} snapshot dated {day.date().isoformat()}; the dates available are: {dates}.")
    return rows.reset_index(drop=True)


def membership_at(contributors: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """The contributors with each country's ``accession_date`` and ``member_at_date``: True if the country had
    joined NATO on or before the snapshot's own ``as_of`` date (Albania and Croatia count from 1 April 2009,
    Montenegro only from 5 June 2017). Countries that never joined get an empty accession date and False."""
    table = _require(contributors, ("iso3", "as_of"), "contributors table")
    allies = _require(members, ("iso3", "accession_date"), "nato_members table")
    if allies["iso3"].duplicated().any():
        twice = ", ".join(allies.loc[allies["iso3"].duplicated(), "iso3"].astype(str))
        raise OperationsDataError(f"nato_members table: {twice} is listed more than once.")
    merged = table.drop(columns=["accession_date", "member_at_date"], errors="ignore").merge(
        allies[["iso3", "accession_date"]], on="iso3", how="left", validate="many_to_one")
    merged["member_at_date"] = (merged["accession_date"].notna()
                                & (merged["accession_date"] <= merged["as_of"])).astype(bool)
    return merged


def nato_size_on(members: pd.DataFrame, day: object) -> int:
    """How many countries were NATO members on ``day`` (accession on or before that day)."""
    allies = _require(members, ("iso3", "accession_date"), "nato_members table")
    return int((allies["accession_date"] <= _as_day(day, "The date")).sum())


# --- concentration --------------------------------------------------------------------------------------------------

def _troops(troops: object) -> pd.Series:
    if not isinstance(troops, pd.Series):
        raise OperationsDataError(f"Expected troop numbers as a pandas Series, got {type(troops).__name__}.")
    if troops.empty:
        raise OperationsDataError("There are no contributors: the troop list is empty.")
    if troops.isna().any():
        missing = ", ".join(map(str, troops.index[troops.isna()][:5]))
        raise OperationsDataError(f"Troop numbers are missing for: {missing}. Shares need a figure for every "
                                  "contributor (the 2006 ISAF list, for example, names contributors without figures).")
    try:
        values = pd.to_numeric(troops).astype(float)
    except (TypeError, ValueError):
        raise OperationsDataError("Troop numbers must be numbers.") from None
    if (values < 0).any():
        negative = ", ".join(map(str, values.index[values < 0][:5]))
        raise OperationsDataError(f"Troop numbers cannot be negative (check: {negative}).")
    if values.sum() <= 0:
        raise OperationsDataError("The troop numbers add up to zero, so there are no shares to compute.")
    return values


def shares(troops: pd.Series) -> pd.Series:
    """Each contributor's share of all the troops (0–1), largest first."""
    values = _troops(troops)
    return (values / values.sum()).sort_values(ascending=False, kind="stable")


def top_share(troops: pd.Series) -> float:
    """The largest contributor's share (0–1)."""
    return float(shares(troops).iloc[0])


def hhi(troops: pd.Series) -> float:
    """The Herfindahl–Hirschman index on the 0–1 scale: the sum of the squared shares (not their mean)."""
    return float((shares(troops) ** 2).sum())


def effective_number(troops: pd.Series) -> float:
    """1 / HHI: how many equal contributors would be exactly as concentrated."""
    return 1.0 / hhi(troops)


def partner_share(troops: pd.Series, is_member: pd.Series) -> float:
    """The share (0–1) of the troops that came from countries that were *not* NATO members at the time."""
    values = _troops(troops)
    if not isinstance(is_member, pd.Series) or not is_member.index.equals(values.index):
        raise OperationsDataError("partner_share needs a True/False membership Series with the same index as the "
                                  "troop numbers (one flag per contributor).")
    if is_member.isna().any():
        raise OperationsDataError("Membership is unknown for some contributors; merge it with membership_at first.")
    return float(values[~is_member.astype(bool)].sum() / values.sum())


@dataclass(frozen=True)
class Concentration:
    """Concentration measures of one snapshot of troop contributions."""

    operation_id: str
    as_of: pd.Timestamp
    contributors: int
    troops: int
    top_country: str
    top_share: float
    hhi: float
    effective_number: float
    partner_share: float

    def to_series(self) -> pd.Series:
        """The measures as a labelled pandas Series (for display or for a table of several snapshots)."""
        return pd.Series({
            "operation": self.operation_id, "as_of": self.as_of.date().isoformat(),
            "contributors": self.contributors, "troops": self.troops, "top contributor": self.top_country,
            "top-1 share": round(self.top_share, 3), "HHI": round(self.hhi, 3),
            "effective number": round(self.effective_number, 1), "partner share": round(self.partner_share, 3),
        })


def concentration(rows: pd.DataFrame, members: pd.DataFrame | None = None) -> Concentration:
    """Shares-based measures for one snapshot (rows of ``operation_contributors`` with one operation and date).

    Membership is taken *at the snapshot's date*: from ``members`` (the ``nato_members`` table) if given,
    otherwise from a ``member_at_date`` column made by :func:`membership_at`, otherwise from the table's own
    ``nato_member_at_date`` flag.
    """
    table = _require(rows, ("operation_id", "as_of", "country", "troops"), "snapshot")
    if table.empty:
        raise OperationsDataError("The snapshot has no rows.")
    keys = table[["operation_id", "as_of"]].drop_duplicates()
    if len(keys) != 1:
        raise OperationsDataError("concentration() takes one snapshot (one operation, one date); select it with "
                                  f"snapshot(...) first. These rows mix {len(keys)} snapshots.")
    if members is not None:
        table = membership_at(table, members)
    flag = next((c for c in ("member_at_date", "nato_member_at_date") if c in table.columns), None)
    if flag is None:
        raise OperationsDataError("The snapshot has no membership column: pass members=data.load('nato_members').")
    troops = table.set_index("country")["troops"]
    member = table.set_index("country")[flag]
    share = shares(troops)
    return Concentration(
        operation_id=str(keys.iloc[0, 0]), as_of=pd.Timestamp(keys.iloc[0, 1]),
        contributors=len(table), troops=int(_troops(troops).sum()), top_country=str(share.index[0]),
        top_share=float(share.iloc[0]), hhi=hhi(troops), effective_number=effective_number(troops),
        partner_share=partner_share(troops, member),
    )


def with_troops(rows: pd.DataFrame, iso3: str, troops: int) -> pd.DataFrame:
    """A copy of a snapshot in which the country ``iso3`` sends ``troops`` soldiers (a what-if)."""
    table = _require(rows, ("iso3", "troops"), "snapshot")
    if isinstance(troops, bool) or not isinstance(troops, int | float) or troops < 0 or int(troops) != troops:
        raise OperationsDataError(f"Troops must be a whole number of soldiers, 0 or more; got {troops!r}.")
    hits = table["iso3"] == iso3
    if not hits.any():
        raise OperationsDataError(f"{iso3!r} is not a contributor in this snapshot.")
    changed = table.copy()
    changed.loc[hits, "troops"] = int(troops)
    return changed


# --- testing a claim against dated snapshots ------------------------------------------------------------------------

def snapshot_summary(contributors: pd.DataFrame, members: pd.DataFrame, operation_id: str = "isaf") -> pd.DataFrame:
    """One row per dated snapshot of ``operation_id``: what the source lists, and what we can conclude.

    Columns: ``as_of``, ``complete``, ``listed`` (rows in the table), ``reported_nations`` (what the source
    says), ``nations`` (the count of contributing nations: the rows if the list is complete, else the source's
    own figure), ``nato_size`` (members NATO had that day), ``members_listed`` (listed contributors that were
    members that day), ``members_min``/``members_max`` (how many contributors can have been members, given the
    unlisted ones and NATO's size) and ``troops_listed`` (empty when the source gives no figures).
    """
    table = _require(contributors, ("operation_id", "as_of", "iso3", "troops", "complete", "reported_nations"),
                     "contributors table")
    rows = table[table["operation_id"] == operation_id]
    if rows.empty:
        raise OperationsDataError(f"No contributors for operation {operation_id!r}.")
    rows = membership_at(rows, members)
    records = []
    for day, group in rows.groupby("as_of", sort=True):
        complete = bool(group["complete"].iloc[0])
        listed = len(group)
        reported = group["reported_nations"].iloc[0]
        reported = None if pd.isna(reported) else int(reported)
        nations = listed if complete else reported
        size = nato_size_on(members, day)
        members_listed = int(group["member_at_date"].sum())
        if complete:
            members_max = members_listed
        else:
            unlisted = (nations - listed) if nations is not None else size
            members_max = min(size, members_listed + max(unlisted, 0))
        has_troops = group["troops"].notna().any()
        records.append({
            "as_of": day, "complete": complete, "listed": listed, "reported_nations": reported,
            "nations": nations, "nato_size": size, "members_listed": members_listed,
            "members_min": members_listed, "members_max": members_max,
            "troops_listed": int(group["troops"].sum()) if has_troops else None,
        })
    summary = pd.DataFrame.from_records(records)
    for column in ("reported_nations", "nations", "troops_listed"):
        summary[column] = summary[column].astype("Int64")
    return summary


def claim_fits(summary: pd.DataFrame, nations: int, members: int) -> pd.DataFrame:
    """Does "``nations`` contributing states, ``members`` of them NATO members" fit each snapshot?

    ``summary`` comes from :func:`snapshot_summary`. A snapshot fits when its nation count equals ``nations``
    and ``members`` lies between ``members_min`` and ``members_max``. The ``reason`` column says why not.
    """
    table = _require(summary, ("as_of", "nations", "nato_size", "members_min", "members_max"), "snapshot summary")
    for name, value in (("nations", nations), ("members", members)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise OperationsDataError(f"The claimed number of {name} must be a whole number, 0 or more; got {value!r}.")
    if members > nations:
        raise OperationsDataError(f"The claim is inconsistent: {members} members out of only {nations} nations.")
    verdicts = []
    for row in table.itertuples(index=False):
        known = not pd.isna(row.nations)
        nations_match = bool(known and int(row.nations) == nations)
        members_possible = bool(row.members_min <= members <= row.members_max)
        reasons = []
        if not known:
            reasons.append("the source gives no nation count")
        elif not nations_match:
            reasons.append(f"{int(row.nations)} nations, not {nations}")
        if members > row.nato_size:
            reasons.append(f"NATO had only {row.nato_size} members that day")
        elif not members_possible:
            span = (str(row.members_min) if row.members_min == row.members_max
                    else f"{row.members_min}–{row.members_max}")
            reasons.append(f"{span} NATO members took part, not {members}")
        verdicts.append({"as_of": row.as_of, "nations": row.nations, "nato_size": row.nato_size,
                         "nations_match": nations_match, "members_possible": members_possible,
                         "fits": nations_match and members_possible,
                         "reason": "; ".join(reasons) if reasons else "fits"})
    result = pd.DataFrame.from_records(verdicts)
    result["nations"] = result["nations"].astype("Int64")
    return result
