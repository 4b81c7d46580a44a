"""NATO's membership as a chart and a year slider: the view over :mod:`.membership`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
import pandas as pd

from alliance_course import plots
from alliance_course._display import ChartImage, SimView, new_figure
from alliance_course.sims import membership as ms

__all__ = ["plot_membership", "MembershipView", "widget"]


def plot_membership(members: pd.DataFrame, ax: plt.Axes | None = None, *, mark_year: int | None = None,
                    end: Any = "2026-01-01") -> plt.Axes:
    """Draw the number of Allies as a step chart (``ax.step(..., where="post")``: flat until the next round), label
    every round with its year and the new total, and, with ``mark_year``, mark the count on 31 December of that year."""
    members, ax = plots.target(members, ax, figsize=(8, 4))
    total = ms.running_total(members)
    end_day = ms._day(end)
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
        day = ms._day(f"{int(mark_year)}-12-31")
        ax.plot([day], [ms.count_on(members, day)], marker="o", markersize=9, color=plots.PALETTE["vermillion"],
                linestyle="none", label=f"31 December {int(mark_year)}")
        ax.legend(loc="upper left")
    ax.set_ylim(0, 42)
    ax.set_xlabel("Date of accession")
    ax.set_ylabel("Number of Allies")
    return ax


class MembershipView(SimView):
    """A year slider, a summary line and the step chart with the chosen year marked (a thin view)."""

    def __init__(self, members: pd.DataFrame, regions: pd.DataFrame | None = None, *, start_year: int = 1989,
                 years: Sequence[int] = (1949, 2026)) -> None:
        ms._check(members)
        self.members, self.regions = members, regions
        self.slider = widgets.IntSlider(value=start_year, min=years[0], max=years[1], step=1, description="Year",
                                        continuous_update=False, layout=widgets.Layout(width="480px"))
        self.summary = widgets.HTML()
        self.image = ChartImage(layout=widgets.Layout(width="720px"))
        self.box = widgets.VBox([self.slider, self.summary, self.image])
        self.slider.observe(self.changed, names="value")
        self.refresh()

    def update(self) -> None:
        """Redraw for the slider's current year."""
        year = int(self.slider.value)
        text = ms.describe_year(self.members, year, self.regions)
        self.summary.value = f"<p style='font-size:1.05em'>{text}</p>"

        def figure() -> Figure:
            fig = new_figure(8, 4)
            ax = plot_membership(self.members, fig.add_subplot(), mark_year=year)
            ax.set_title("NATO's membership, with the year you chose")
            plots.caption(ax, "course table nato_members (accession dates); see data.cite('nato_members')")
            return fig

        self.show(self.image, figure, tight=True)


def widget(members: pd.DataFrame | None = None, regions: pd.DataFrame | None = None, *,
           start_year: int = 1989) -> MembershipView:
    """The membership slider for a notebook; loads the course tables when none are given."""
    if members is None:
        from alliance_course import data

        members = data.load("nato_members")
        regions = data.load("regions") if regions is None else regions
    return MembershipView(members, regions, start_year=start_year)
