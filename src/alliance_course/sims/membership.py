"""NATO's membership over time: who was an Ally on a given day, the running count, and a year slider.

The pure functions take the course table ``nato_members`` (and optionally ``regions``) as DataFrames, so they
work on any subset a learner builds:

    >>> from alliance_course import data
    >>> members = data.load("nato_members")
    >>> count_on(members, "1989-11-09")          # the day the Berlin Wall fell
    16
    >>> int(running_total(members).iloc[-1])      # after the latest round
    32
    >>> count_on(members, "1949-04-04"), count_on(members, "1949-04-04", founders="entry_into_force")
    (12, 0)

The founders' ``accession_date`` in the table is the day they signed (4 April 1949); the Treaty entered into force
on 24 August 1949 (:data:`TREATY_IN_FORCE`). ``founders="entry_into_force"`` counts them from that day instead.

:mod:`.membership_view` holds the chart (``plot_membership``: the step chart with each enlargement round labelled)
and ``widget`` (a year slider, a one-paragraph summary and the chart with the chosen year marked) for the
predict-then-check activity in lesson 02.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from alliance_course._common import forward_to_view

__all__ = ["members_on", "count_on", "running_total", "describe_year", "TREATY_IN_FORCE", "FOUNDERS_FROM"]

# The North Atlantic Treaty, signed in Washington on 4 April 1949, entered into force on 24 August 1949 after the
# ratifications required by its Article 11 had been deposited (NATO, "The North Atlantic Treaty", treaty text and
# note; nato.int).
TREATY_IN_FORCE = pd.Timestamp("1949-08-24")
FOUNDERS_FROM: tuple[str, ...] = ("signature", "entry_into_force")

_NEEDED = ("country", "iso3", "accession_date")


def _check(members: pd.DataFrame) -> None:
    if not isinstance(members, pd.DataFrame):
        raise TypeError(f"membership: expected the nato_members table as a DataFrame, got {type(members).__name__}")
    missing = [column for column in _NEEDED if column not in members.columns]
    if missing:
        raise ValueError(f"membership: the members table has no column {', '.join(map(repr, missing))} "
                         f"(load it with data.load('nato_members'))")


def _day(when: Any) -> pd.Timestamp:
    try:
        day = pd.Timestamp(when)
    except (TypeError, ValueError):
        raise ValueError(f"membership: {when!r} is not a date; write it as 'YYYY-MM-DD', e.g. '2001-09-12'") from None
    if pd.isna(day):
        raise ValueError("membership: the date is missing (NaT); give a day such as '2001-09-12'")
    return day.normalize()


def members_on(members: pd.DataFrame, when: Any, *, founders: str = "signature") -> pd.DataFrame:
    """The rows of ``members`` that were Allies on day ``when`` (accession on or before that day).

    ``founders``: ``"signature"`` (default) counts the founding members from the table's date, the signature on
    4 April 1949; ``"entry_into_force"`` counts them from the Treaty's entry into force, 24 August 1949."""
    _check(members)
    if founders not in FOUNDERS_FROM:
        raise ValueError(f"membership: founders={founders!r}; use one of {', '.join(FOUNDERS_FROM)}")
    dates = members["accession_date"]
    if founders == "entry_into_force":
        founding = members["founding_member"].astype(bool) if "founding_member" in members.columns \
            else dates <= TREATY_IN_FORCE
        dates = dates.where(~founding, dates.clip(lower=TREATY_IN_FORCE))
    return members[dates <= _day(when)]


def count_on(members: pd.DataFrame, when: Any, *, founders: str = "signature") -> int:
    """How many Allies there were on day ``when`` (``founders``: see :func:`members_on`)."""
    return len(members_on(members, when, founders=founders))


def running_total(members: pd.DataFrame) -> pd.Series:
    """Members after each accession date: a Series indexed by date, one entry per date on which anyone joined."""
    _check(members)
    return members.groupby("accession_date").size().cumsum().rename("members")


def describe_year(members: pd.DataFrame, year: int, regions: pd.DataFrame | None = None) -> str:
    """One paragraph (plain text) on the membership at the end of ``year``: the count and who joined that year,
    with each newcomer's UN sub-region when ``regions`` is given."""
    _check(members)
    year = int(year)
    if members.empty or year < int(members["accession_date"].dt.year.min()):
        return f"On 31 December {year}: no Allies yet in this table."
    count = count_on(members, f"{year}-12-31")
    joined = members[members["accession_date"].dt.year == year]
    lines = [f"On 31 December {year}: {count} Allies."]
    if joined.empty:
        lines.append(f"Nobody joined in {year}.")
        return " ".join(lines)
    where = {}
    if regions is not None:
        where = dict(zip(regions["iso3"], regions["subregion"].astype(str)))
    names = [f"{row.country} ({where[row.iso3]})" if row.iso3 in where else str(row.country)
             for row in joined.sort_values("country").itertuples()]
    verb = "founded NATO" if year == 1949 else "joined"
    lines.append(f"{len(names)} {verb} that year: {', '.join(names)}.")
    return " ".join(lines)


# Charts and the widget live in membership_view; these names are looked up there when first used.
__getattr__ = forward_to_view(__name__, ["plot_membership", "MembershipView", "widget"])
