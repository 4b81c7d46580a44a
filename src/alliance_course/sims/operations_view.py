"""Thin views over :mod:`alliance_course.sims.operations`: three charts and three small ipywidgets.

- ``plot_timeline(ops, ax=None, year=None)`` draws every operation as a bar from start to end, coloured *and* hatched
  by type (Article 5 in the course's alliance blue, crisis response in its coalition orange).
- ``MissionExplorer`` (``mission_explorer(ops)``): a year slider; shows which operations were active that year,
  their type, theatre and mandate, with the timeline marked at that year.
- ``ConcentrationExplorer`` (``concentration_explorer(rows, members)``): a what-if slider for one contributor's
  troops in a snapshot; shows how the top-1 share, the HHI and the effective number respond.
- ``plot_shares(rows, ax=None)``: the largest shares of one snapshot, NATO members then and partners told apart.
- ``plot_claim(summary, ax=None, nato_members=…, nations=…, members=…)`` and ``ClaimTester``
  (``claim_tester(...)``): NATO's
  size and the contributing nations at each dated snapshot, against a claimed pair of numbers.

``draw_timeline``, ``draw_shares`` and ``draw_claim`` are the same charts under lesson 04's names (axes first).
All calculations happen in :mod:`~alliance_course.sims.operations`; these classes only read widget values, call it
and render text, HTML and charts.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
import pandas as pd
from matplotlib.patches import Patch

from alliance_course import plots
from alliance_course._display import ChartImage, SimView, new_figure
from alliance_course.sims import operations as ops_model

__all__ = ["TYPE_STYLE", "TYPE_SHORT", "short_label", "plot_timeline", "MissionExplorer", "mission_explorer",
           "plot_shares", "ConcentrationExplorer", "concentration_explorer", "plot_claim", "ClaimTester",
           "claim_tester", "draw_timeline", "draw_shares", "draw_claim"]

# Colour and hatch per type: never colour alone. Article 5 = alliance blue, crisis response = coalition orange.
TYPE_STYLE: dict[str, dict[str, str]] = {
    "article5": {"color": plots.KIND_COLOURS["alliance"], "hatch": ""},
    "crisis_response": {"color": plots.KIND_COLOURS["coalition"], "hatch": "//"},
    "maritime": {"color": plots.PALETTE["sky"], "hatch": ".."},
    "training": {"color": plots.PALETTE["green"], "hatch": "xx"},
    "deterrence": {"color": plots.PALETTE["purple"], "hatch": "\\\\"},
}
SOURCE = "course table operations (data.cite('operations') lists the sources)"
# Short names for the summary line ("6 operations: 1 Article 5, 3 crisis response, ...").
TYPE_SHORT: dict[str, str] = {"article5": "Article 5", "crisis_response": "crisis response",
                              "maritime": "maritime", "training": "training", "deterrence": "deterrence"}


def short_label(acronym: str) -> str:
    """'IFOR (Operation Joint Endeavour)' → 'IFOR': the acronym without the codenames in brackets."""
    return str(acronym).split(" (")[0].strip()


def plot_timeline(operations: pd.DataFrame, ax: plt.Axes | None = None, year: int | None = None) -> plt.Axes:
    """Draw each operation as a bar from its start to its end (or to its latest ``as_of`` date if ongoing)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    table = operations.sort_values("start", ascending=False).reset_index(drop=True)
    start = ops_model.decimal_year(table["start"])
    last = ops_model.decimal_year(ops_model.last_known_day(table))
    first_year, last_year = ops_model.year_span(table)
    kinds_by_row = list(table["type"].astype(str))
    for kind in dict.fromkeys(kinds_by_row):  # one call per type of operation, not one per operation
        rows = [row for row, k in enumerate(kinds_by_row) if k == kind]
        widths = [max(last[row] - start[row], 0.15) for row in rows]  # an operation of a few weeks still shows
        ax.barh(rows, widths, left=[start[row] for row in rows], color=TYPE_STYLE[kind]["color"],
                hatch=TYPE_STYLE[kind]["hatch"], edgecolor="#333333", linewidth=0.6)
    for row in range(len(table)):
        if pd.isna(table.loc[row, "end"]):
            ax.annotate("ongoing ▸", (last[row], row), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=7, color="#333333")
    ax.set_yticks(range(len(table)), [short_label(a) for a in table["acronym"]], fontsize=8)
    ax.set_xlim(first_year - 0.5, last_year + 2.5)
    ax.set_xlabel("Year")
    ax.set_ylabel("Operation")
    if year is not None:
        ax.axvspan(year, year + 1, color="#999999", alpha=0.25, zorder=0)
        ax.axvline(year, color="#333333", linewidth=0.8, linestyle="--")
    kinds = [k for k in ops_model.OPERATION_TYPES if k in set(table["type"].astype(str))]
    ax.legend(handles=[Patch(facecolor=TYPE_STYLE[k]["color"], hatch=TYPE_STYLE[k]["hatch"], edgecolor="#333333",
                             label=ops_model.TYPE_LABELS[k]) for k in kinds],
              loc="lower left", fontsize=8)
    return ax


def _mandate(row: pd.Series) -> str:
    unscr = row.get("unscr")
    return f"UNSCR {unscr}" if isinstance(unscr, str) and unscr else "no UN Security Council resolution"


class MissionExplorer(SimView):
    """A year slider over the operations table: which operations were active, their type and their mandate."""

    def __init__(self, operations: pd.DataFrame, year: int = 1999) -> None:
        self.operations = operations
        first, last = ops_model.year_span(operations)
        self.slider = widgets.IntSlider(value=min(max(year, first), last), min=first, max=last, step=1,
                                        description="Year", continuous_update=False,
                                        style={"description_width": "initial"},
                                        layout=widgets.Layout(width="480px"))
        self.summary = widgets.HTML()
        self.table = widgets.HTML()
        self.image = ChartImage(layout=widgets.Layout(max_width="800px"))
        self.box = widgets.VBox([self.slider, self.summary, self.image, self.table])
        self.box.add_class("mission-explorer")
        self.slider.observe(self.changed, names="value")
        self.refresh()

    def active(self) -> pd.DataFrame:
        """The operations active in the slider's year (see :func:`operations.active_in_year`)."""
        return ops_model.active_in_year(self.operations, self.slider.value)

    def update(self) -> None:
        """Redraw the summary line, the table and the chart for the slider's year."""
        year = self.slider.value
        active = self.active()
        counts = active["type"].astype(str).value_counts()
        parts = [f"{counts[k]} {TYPE_SHORT[k]}"
                 for k in ops_model.OPERATION_TYPES if k in counts]
        noun = "operation" if len(active) == 1 else "operations"
        self.summary.value = (f"<p><b>{year}: {len(active)} NATO {noun} active</b>"
                              + (f" ({', '.join(parts)})" if parts else "") + ".</p>")
        self.table.value = self._table_html(active)

        def figure() -> Figure:
            fig = new_figure(8, 5, dpi=100)
            ax = plot_timeline(self.operations, fig.add_subplot(), year=year)
            ax.set_title(f"NATO operations, {year} highlighted")
            plots.caption(ax, SOURCE)
            return fig

        self.show(self.image, figure, tight=True)

    @staticmethod
    def _table_html(active: pd.DataFrame) -> str:
        if active.empty:
            return "<p>No operation in the table was running that year.</p>"
        rows = []
        for _, row in active.iterrows():
            note = "" if row["confirmed"] else " <i>(ongoing; last confirmed " \
                f"{row['as_of'].date().isoformat()})</i>"
            rows.append(
                "<tr>"
                f"<td><b>{html.escape(short_label(row['acronym']))}</b><br>{html.escape(row['name'])}{note}</td>"
                f"<td>{html.escape(ops_model.TYPE_LABELS[str(row['type'])])}</td>"
                f"<td>{html.escape(row['theatre'])}</td>"
                f"<td><b>{html.escape(_mandate(row))}</b><br>{html.escape(row['legal_basis'])}</td>"
                "</tr>")
        head = "<tr><th>Operation</th><th>Type</th><th>Theatre</th><th>Mandate and legal basis</th></tr>"
        return ('<table style="border-collapse:collapse;font-size:0.9em" border="1" cellpadding="4">'
                f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>")


def mission_explorer(operations: pd.DataFrame, year: int = 1999) -> MissionExplorer:
    """The mission explorer widget, ready to display."""
    return MissionExplorer(operations, year)


def plot_shares(rows: pd.DataFrame, ax: plt.Axes | None = None, n: int = 12) -> plt.Axes:
    """Horizontal bars of the ``n`` largest shares of one snapshot, NATO members then in blue, partners in hatched
    orange. ``rows`` needs ``country``, ``troops`` and ``member_at_date`` (from :func:`operations.membership_at`)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    table = rows.set_index("country")
    top = ops_model.shares(table["troops"]).head(n)[::-1]
    member = table.loc[top.index, "member_at_date"].astype(bool)
    bars = ax.barh(top.index, top.values * 100, edgecolor="#333333",
                   color=[plots.KIND_COLOURS["alliance" if m else "coalition"] for m in member])
    for bar, is_member in zip(bars, member):
        bar.set_hatch("" if is_member else "//")
    plots.label_bars(ax, list(top.values * 100), fmt="{:.1f}%", horizontal=True)
    ax.set_xlim(0, max(top.values * 100) * 1.15)
    ax.set_xlabel("Share of the listed troops (%)")
    ax.set_ylabel("Contributing nation")
    ax.legend(handles=[Patch(facecolor=plots.KIND_COLOURS["alliance"], edgecolor="#333333",
                             label="NATO member on that date"),
                       Patch(facecolor=plots.KIND_COLOURS["coalition"], hatch="//", edgecolor="#333333",
                             label="partner (not a member then)")], loc="lower right", fontsize=8)
    return ax


class ConcentrationExplorer(SimView):
    """What if one contributor had sent a different number of troops? A slider and the concentration readout."""

    def __init__(self, rows: pd.DataFrame, members: pd.DataFrame, iso3: str = "USA") -> None:
        self.rows = ops_model.membership_at(rows, members)
        self.members = members
        actual = self.rows.loc[self.rows["iso3"] == iso3, "troops"]
        if actual.empty:
            raise ops_model.OperationsDataError(f"{iso3!r} is not a contributor in this snapshot.")
        self.iso3 = iso3
        self.country = str(self.rows.loc[self.rows["iso3"] == iso3, "country"].iloc[0])
        self.actual = int(actual.iloc[0])
        self.baseline = ops_model.concentration(self.rows)
        # The step scales with the contributor (Lithuania's 1 soldier in KFOR needs steps of 1, not 500).
        step = max(1, round(self.actual / 20))
        self.slider = widgets.IntSlider(value=self.actual, min=0, max=max(2 * self.actual, 20 * step), step=step,
                                        description=f"{self.country}: troops", continuous_update=False,
                                        style={"description_width": "initial"},
                                        layout=widgets.Layout(width="520px"))
        self.readout = widgets.HTML()
        self.image = ChartImage(layout=widgets.Layout(max_width="700px"))
        self.box = widgets.VBox([self.slider, self.readout, self.image])
        self.box.add_class("concentration-explorer")
        self.slider.observe(self.changed, names="value")
        self.refresh()

    def current(self) -> ops_model.Concentration:
        """The measures with the slider's number of troops for the chosen contributor."""
        return ops_model.concentration(ops_model.with_troops(self.rows, self.iso3, self.slider.value))

    def update(self) -> None:
        """Recompute the measures and redraw the readout and the bar chart."""
        now, base = self.current(), self.baseline
        self.readout.value = (
            "<table cellpadding='3'><tr><th></th><th>in the data</th><th>with your number</th></tr>"
            f"<tr><td>Troops from {html.escape(self.country)}</td><td>{self.actual:,}</td>"
            f"<td>{self.slider.value:,}</td></tr>"
            f"<tr><td>Largest contributor</td><td>{html.escape(base.top_country)} "
            f"({base.top_share:.1%})</td><td>{html.escape(now.top_country)} ({now.top_share:.1%})</td></tr>"
            f"<tr><td>HHI (0–1)</td><td>{base.hhi:.3f}</td><td>{now.hhi:.3f}</td></tr>"
            f"<tr><td>Effective number of contributors</td><td>{base.effective_number:.1f}</td>"
            f"<td>{now.effective_number:.1f}</td></tr>"
            f"<tr><td>Partner share of troops</td><td>{base.partner_share:.1%}</td>"
            f"<td>{now.partner_share:.1%}</td></tr></table>")
        changed = ops_model.with_troops(self.rows, self.iso3, self.slider.value)
        title = (f"{self.baseline.operation_id.upper()} {self.baseline.as_of.date():%B %Y}, "
                 f"with {self.slider.value:,} troops from {self.country}: top 10")

        def figure() -> Figure:
            fig = new_figure(7, 4, dpi=100)
            ax = plot_shares(changed, fig.add_subplot(), n=10)
            ax.set_title(title)
            plots.caption(ax, "course table operation_contributors")
            return fig

        self.show(self.image, figure, tight=True)


def concentration_explorer(rows: pd.DataFrame, members: pd.DataFrame, iso3: str = "USA") -> ConcentrationExplorer:
    """The what-if concentration widget, ready to display."""
    return ConcentrationExplorer(rows, members, iso3)


def plot_claim(summary: pd.DataFrame, ax: plt.Axes | None = None, *, nato_members: pd.DataFrame,
               nations: int | None = None, members: int | None = None) -> plt.Axes:
    """NATO's size over time, and at each snapshot the contributing nations and the NATO members among them.

    ``summary`` comes from :func:`operations.snapshot_summary`; ``nato_members`` is the ``nato_members`` table.
    Where a snapshot is incomplete, the members among the contributors are drawn as a range (min to max).
    ``nations`` and ``members``, if given, are a claim to compare with, drawn as dashed and dotted lines.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    first = summary["as_of"].min() - pd.DateOffset(years=1)
    last = summary["as_of"].max() + pd.DateOffset(years=1)
    months = pd.date_range(first, last, freq="MS")
    size = [ops_model.nato_size_on(nato_members, day) for day in months]
    ax.step(months, size, where="post", color=plots.KIND_COLOURS["alliance"], linewidth=2,
            label="NATO members (the whole Alliance)")
    known = summary.dropna(subset=["nations"])
    ax.plot(known["as_of"], known["nations"].astype(int), linestyle="none", marker="o", markersize=8,
            color=plots.KIND_COLOURS["coalition"], label="nations contributing to ISAF")
    exact = summary[summary["members_min"] == summary["members_max"]]
    ranged = summary[summary["members_min"] != summary["members_max"]]
    ax.plot(exact["as_of"], exact["members_min"], linestyle="none", marker="s", markersize=7,
            color=plots.PALETTE["green"], label="NATO members among the contributors")
    if not ranged.empty:
        ax.vlines(ranged["as_of"], ranged["members_min"], ranged["members_max"], color=plots.PALETTE["green"],
                  linewidth=3, label="the same, as a range (incomplete list)")
        for row in ranged.itertuples(index=False):
            ax.annotate(f"{row.members_min}–{row.members_max}", (row.as_of, row.members_min), xytext=(5, 0),
                        textcoords="offset points", va="bottom", fontsize=8)
    for row in known.itertuples(index=False):
        ax.annotate(f"{int(row.nations)}", (row.as_of, int(row.nations)), xytext=(0, 7),
                    textcoords="offset points", ha="center", fontsize=8)
    if nations is not None:
        ax.axhline(nations, color="#333333", linestyle="--", linewidth=1, label=f"claim: {nations} states")
    if members is not None:
        ax.axhline(members, color="#333333", linestyle=":", linewidth=1.5, label=f"claim: {members} NATO members")
    ax.set_ylim(0, max(int(known["nations"].max()) if not known.empty else 0, nations or 0, max(size)) + 28)
    ax.set_xlabel("Date of the snapshot")
    ax.set_ylabel("Number of countries")
    ax.legend(loc="upper left", ncol=2, fontsize=8)
    return ax


class ClaimTester(SimView):
    """Two number boxes for a claim ("N states took part, M of them NATO members") and the verdict per snapshot."""

    def __init__(self, summary: pd.DataFrame, nato_members: pd.DataFrame, nations: int = 40,
                 members: int = 28) -> None:
        self.summary = summary
        self.nato_members = nato_members
        style = {"description_width": "initial"}
        self.nations = widgets.BoundedIntText(value=nations, min=0, max=200, description="Claimed states:",
                                              style=style, layout=widgets.Layout(width="220px"))
        self.members = widgets.BoundedIntText(value=members, min=0, max=200, description="of them NATO members:",
                                              style=style, layout=widgets.Layout(width="260px"))
        self.verdict = widgets.HTML()
        self.image = ChartImage(layout=widgets.Layout(max_width="800px"))
        self.box = widgets.VBox([widgets.HBox([self.nations, self.members]), self.verdict, self.image])
        self.box.add_class("claim-tester")
        for control in (self.nations, self.members):
            control.observe(self.changed, names="value")
        self.refresh()

    def update(self) -> None:
        """Re-test the claim and redraw."""
        nations, members = self.nations.value, self.members.value
        try:
            verdict = ops_model.claim_fits(self.summary, nations=nations, members=members)
        except ops_model.OperationsDataError as error:
            self.verdict.value = f"<p>⚠ {html.escape(str(error))}</p>"
            self.image.layout.display = "none"
            return
        rows = "".join(
            f"<tr><td>{row.as_of.date().isoformat()}</td><td>{'✓ fits' if row.fits else '✗ does not fit'}</td>"
            f"<td>{html.escape(row.reason)}</td></tr>" for row in verdict.itertuples(index=False))
        fitting = int(verdict["fits"].sum())
        self.verdict.value = (
            f"<p><b>“{nations} states, {members} of them NATO members” fits {fitting} of "
            f"{len(verdict)} dated snapshots.</b></p>"
            '<table border="1" cellpadding="4" style="border-collapse:collapse;font-size:0.9em">'
            "<tr><th>Snapshot</th><th>Verdict</th><th>Why</th></tr>" + rows + "</table>")

        def figure() -> Figure:
            fig = new_figure(8, 4.5, dpi=100)
            ax = plot_claim(self.summary, fig.add_subplot(), nato_members=self.nato_members, nations=nations,
                            members=members)
            ax.set_title("ISAF's contributors and NATO's size, against the claim")
            plots.caption(ax, "course tables operation_contributors and nato_members")
            return fig

        self.show(self.image, figure, tight=True)
        self.image.layout.display = None


def claim_tester(summary: pd.DataFrame, nato_members: pd.DataFrame, nations: int = 40,
                 members: int = 28) -> ClaimTester:
    """The claim-testing widget, ready to display."""
    return ClaimTester(summary, nato_members, nations, members)


# The names lesson 04 used before the one convention (axes first); they draw the same charts.

def draw_timeline(ax: plt.Axes, operations: pd.DataFrame, year: int | None = None) -> plt.Axes:
    """``plot_timeline(operations, ax, year)`` with the axes first (lesson 04's name)."""
    return plot_timeline(operations, ax, year=year)


def draw_shares(ax: plt.Axes, rows: pd.DataFrame, n: int = 12) -> plt.Axes:
    """``plot_shares(rows, ax, n)`` with the axes first (lesson 04's name)."""
    return plot_shares(rows, ax, n=n)


def draw_claim(ax: plt.Axes, summary: pd.DataFrame, nato_members: pd.DataFrame,
               nations: int | None = None, members: int | None = None) -> plt.Axes:
    """``plot_claim(summary, ax, nato_members=…)`` with the axes first (lesson 04's name)."""
    return plot_claim(summary, ax, nato_members=nato_members, nations=nations, members=members)
