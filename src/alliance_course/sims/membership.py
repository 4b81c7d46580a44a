"""NATO's membership over time: who was an Ally on a given day, the running count, and a year slider.

The pure functions take the course table ``nato_members`` (and optionally ``regions``) as DataFrames, so they
work on any subset a learner builds:

    >>> from alliance_course import data
    >>> members = data.load("nato_members")
    >>> count_on(members, "1989-11-09")          # the day the Berlin Wall fell
    16
    >>> int(running_total(members).iloc[-1])      # after the latest round
    32

``plot_membership`` draws the step chart with each enlargement round labelled; ``widget`` is a thin ipywidgets view
(a year slider, a one-paragraph summary and the chart with the chosen year marked) for the predict-then-check
activity in lesson 02.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from alliance_course import plots

__all__ = ["members_on", "count_on", "running_total", "describe_year", "plot_membership", "MembershipView", "widget"]

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


def members_on(members: pd.DataFrame, when: Any) -> pd.DataFrame:
    """The rows of ``members`` that were Allies on day ``when`` (accession on or before that day)."""
    _check(members)
    return members[members["accession_date"] <= _day(when)]


def count_on(members: pd.DataFrame, when: Any) -> int:
    """How many Allies there were on day ``when``."""
    return len(members_on(members, when))


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


def plot_membership(ax: plt.Axes, members: pd.DataFrame, *, mark_year: int | None = None,
                    end: Any = "2026-01-01") -> None:
    """Draw the number of Allies as a step chart (``ax.step(..., where="post")``: flat until the next round), label
    every round with its year and the new total, and, with ``mark_year``, mark the count on 31 December of that year."""
    total = running_total(members)
    end_day = _day(end)
    x = list(total.index) + [max(end_day, total.index[-1])]
    y = list(total.values) + [int(total.iloc[-1])]
    ax.step(x, y, where="post", color=plots.KIND_COLOURS["alliance"], linewidth=2)
    days = list(total.index)
    close = pd.Timedelta(days=730)  # rounds less than two years apart get their labels nudged apart
    for i, (day, value) in enumerate(total.items()):
        shift = 0
        if i + 1 < len(days) and days[i + 1] - day < close:
            shift = -4
        elif i > 0 and day - days[i - 1] < close:
            shift = 4
        ax.annotate(f"{day.year} ({value})", (day, value), xytext=(shift, 4), textcoords="offset points",
                    rotation=90, ha="center", va="bottom", fontsize=8)
    if mark_year is not None:
        day = _day(f"{int(mark_year)}-12-31")
        ax.plot([day], [count_on(members, day)], marker="o", markersize=9, color=plots.PALETTE["vermillion"],
                linestyle="none", label=f"31 December {int(mark_year)}")
        ax.legend(loc="upper left")
    ax.set_ylim(0, 42)
    ax.set_xlabel("Date of accession")
    ax.set_ylabel("Number of Allies")


class MembershipView:
    """A year slider, a summary line and the step chart with the chosen year marked (a thin view)."""

    def __init__(self, members: pd.DataFrame, regions: pd.DataFrame | None = None, *, start_year: int = 1989,
                 years: Sequence[int] = (1949, 2026)) -> None:
        import ipywidgets as widgets

        _check(members)
        self.members, self.regions = members, regions
        self.slider = widgets.IntSlider(value=start_year, min=years[0], max=years[1], step=1, description="Year",
                                        continuous_update=False, layout=widgets.Layout(width="480px"))
        self.summary = widgets.HTML()
        self.output = widgets.Output()
        self.box = widgets.VBox([self.slider, self.summary, self.output])
        self.slider.observe(lambda change: self.update(), names="value")
        self.update()

    def update(self) -> None:
        """Redraw for the slider's current year."""
        year = int(self.slider.value)
        text = describe_year(self.members, year, self.regions)
        self.summary.value = f"<p style='font-size:1.05em'>{text}</p>"
        with self.output:
            self.output.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=(8, 4))
            plot_membership(ax, self.members, mark_year=year)
            ax.set_title("NATO's membership, with the year you chose")
            plots.caption(ax, "course table nato_members (accession dates); see data.cite('nato_members')")
            fig.tight_layout()
            plt.show()
            plt.close(fig)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return self.box._repr_mimebundle_(**kwargs)


def widget(members: pd.DataFrame | None = None, regions: pd.DataFrame | None = None, *,
           start_year: int = 1989) -> MembershipView:
    """The membership slider for a notebook; loads the course tables when none are given."""
    if members is None:
        from alliance_course import data

        members = data.load("nato_members")
        regions = data.load("regions") if regions is None else regions
    return MembershipView(members, regions, start_year=start_year)
