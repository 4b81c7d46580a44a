"""A thin ipywidgets view of the burden-sharing model in :mod:`alliance_course.sims.public_goods`.

``widget()`` shows sliders for the threat, the private share of defence spending and the frontline factor, a choice
of alliance and of observed data to compare with; every change recomputes the Nash equilibrium and redraws one bar
chart (each ally's defence burden, largest economy at the top) with a few plain-language lines underneath: who
free-rides, who pays, the rank correlation between size and burden. All the computing is done by the model module;
this one only draws.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping, Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter, NullFormatter
from matplotlib.figure import Figure
import pandas as pd
from matplotlib.patches import Patch

from alliance_course import plots
from alliance_course._display import ChartImage, SimView, new_figure
from alliance_course.sims.public_goods import (Ally, Outcome, Parameters, describe, equilibrium, nato_allies,
                                               spearman)

__all__ = ["SimulatorView", "widget", "plot_outcome", "plot_size_and_burden", "default_alliances",
           "observed_burdens", "ILLUSTRATIVE"]

ILLUSTRATIVE: tuple[Ally, ...] = (
    Ally("Big", 100.0),
    Ally("Large", 40.0),
    Ally("Medium", 20.0),
    Ally("Small", 5.0),
    Ally("Small, frontline", 5.0, frontline=True),
)
NO_DATA = "nothing"


def default_alliances() -> dict[str, list[Ally]]:
    """The alliances the widget offers: NATO's Allies with armed forces (2014 GDP), NATO without the United States,
    and five illustrative allies."""
    nato = nato_allies(2014)
    return {
        "NATO, 31 Allies (GDP 2014)": nato,
        "NATO without the US (30 Allies)": [ally for ally in nato if ally.code != "USA"],
        "Five illustrative allies": list(ILLUSTRATIVE),
    }


def observed_burdens() -> dict[str, dict[str, float]]:
    """NATO's published defence burdens (% of GDP) by Ally name, for 2014 and 2024 (June 2024 release)."""
    from alliance_course import data

    spending = data.load("defence_spending")
    june_2024 = spending[spending["release"] == "2024-06"]
    return {f"NATO's figures for {year}": dict(zip(rows["country"].astype(str), rows["pct_gdp"].astype(float)))
            for year, rows in june_2024.groupby("year")}


def plot_outcome(outcome: Outcome, ax: plt.Axes | None = None, observed: Mapping[str, float] | None = None,
                 observed_label: str = "observed") -> plt.Axes:
    """Draw each ally's equilibrium burden as a horizontal bar (largest economy at the top) on ``ax``.

    Frontline allies are vermillion and hatched, the others blue; a free rider gets the word "free rider" instead of
    a bar. A dotted line marks what an ordinary ally would spend alone; ``observed`` (ally name → % of GDP) adds
    black diamonds for real figures. Returns ``ax`` (a new pyplot axes when ``ax`` is None).
    """
    outcome, ax = plots.target(outcome, ax, figsize=(8, 2.2 + 0.18 * len(outcome.allies)))
    table = outcome.table().sort_values("gdp", ascending=True).reset_index(drop=True)
    colours = [plots.PALETTE["vermillion"] if f else plots.PALETTE["blue"] for f in table["frontline"]]
    bars = ax.barh(table["ally"], table["burden_pct"], color=colours, edgecolor="white")
    for bar, frontline in zip(bars, table["frontline"]):
        if frontline:
            bar.set_hatch("//")
    for y, row in enumerate(table.itertuples()):
        if row.free_rider:
            ax.annotate("free rider", (0, y), xytext=(3, 0), textcoords="offset points", va="center",
                        fontsize=8, color="#444444")
    alone = 100.0 * outcome.params.threat / (1.0 + outcome.params.threat)
    ax.axvline(alone, color="#444444", linestyle=":", linewidth=1.2)
    handles = [Patch(facecolor=plots.PALETTE["blue"], label="ally"),
               Patch(facecolor=plots.PALETTE["vermillion"], hatch="//", label="frontline ally"),
               plt.Line2D([], [], color="#444444", linestyle=":", label=f"an ordinary ally alone ({alone:.1f}%)")]
    if observed:
        points = [(observed[name], y) for y, name in enumerate(table["ally"]) if name in observed]
        if points:
            ax.scatter([p[0] for p in points], [p[1] for p in points], marker="D", s=22, color="black", zorder=3)
            handles.append(plt.Line2D([], [], marker="D", color="black", linestyle="", label=observed_label))
    ax.set_xlabel("Defence spending in equilibrium (% of GDP)")
    ax.set_ylabel("Ally, largest economy first")
    ax.set_title("Who pays for the common defence in equilibrium?", pad=34)
    ax.set_xlim(0, max([alone * 1.3, *table["burden_pct"], *(observed or {}).values(), 1.0]) * 1.08)
    ax.tick_params(axis="y", labelsize=8)
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, fontsize=8)
    return ax


def plot_size_and_burden(rows: pd.DataFrame, frontline: Collection[str], ax: plt.Axes | None = None,
                         title: str = "", show_rho: bool = True) -> float:
    """Scatter each Ally's GDP (log scale) against its defence burden on ``ax`` and return Spearman's rho (the
    number the lesson discusses; the axes are ``ax`` or, when ``ax`` is None, a new pyplot axes).

    ``rows`` needs the columns ``iso3``, ``gdp_usd_bn`` and ``pct_gdp`` (one row per Ally); Allies whose ISO3 code is
    in ``frontline`` are drawn as vermillion triangles, the others as blue circles. The title is ``title`` followed by
    the rank correlation (``show_rho=False`` leaves it out, e.g. when the learner is to compute it). The older order
    ``(ax, rows, frontline)`` is still accepted.
    """
    if isinstance(rows, plt.Axes):
        ax, rows, frontline = rows, frontline, ax  # type: ignore[assignment]
    if ax is None:
        _, ax = plt.subplots()
    missing = {"iso3", "gdp_usd_bn", "pct_gdp"} - set(rows.columns)
    if missing:
        raise ValueError(f"plot_size_and_burden: rows lack the column(s) {sorted(missing)}")
    edge = rows["iso3"].isin(list(frontline))
    ax.scatter(rows.loc[~edge, "gdp_usd_bn"], rows.loc[~edge, "pct_gdp"], marker="o", color=plots.PALETTE["blue"],
               label="other Allies")
    ax.scatter(rows.loc[edge, "gdp_usd_bn"], rows.loc[edge, "pct_gdp"], marker="^", s=60,
               color=plots.PALETTE["vermillion"], label="land border with Russia")
    rho = spearman(rows["gdp_usd_bn"].tolist(), rows["pct_gdp"].tolist())
    ax.set_xscale("log")
    # plain numbers ("1,000"), not powers of ten: easier to read, and no mathtext engine to start in the kernel
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:,.0f}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    if show_rho:
        ax.set_title(f"{title}: Spearman's rho = {rho:+.2f}" if title else f"Spearman's rho = {rho:+.2f}")
    else:
        ax.set_title(title)
    ax.set_xlabel("GDP (US$ bn, log scale)")
    ax.set_ylabel("Defence spending (% of GDP)")
    return rho


ILLUSTRATIVE_NOTE = ("Illustrative model: real GDP, but invented preferences (threat, private share, frontline "
                     "factor). It has no pledges, norms or US pressure, so the private share is its only lever "
                     "to make small Allies spend: a close fit at 'purely private' shows what it leaves out, "
                     "not how defence works.")


class SimulatorView(SimView):
    """The simulator's controls, chart and summary. ``outcome`` is the equilibrium currently shown."""

    def __init__(self, alliances: Mapping[str, Sequence[Ally]], observed: Mapping[str, Mapping[str, float]],
                 params: Parameters, caption: str) -> None:
        if not alliances:
            raise ValueError("SimulatorView needs at least one alliance to show.")
        self._alliances = {name: list(allies) for name, allies in alliances.items()}
        self._observed = {name: dict(values) for name, values in observed.items()}
        self._caption = caption
        style = {"description_width": "150px"}
        layout = widgets.Layout(width="98%")
        self.alliance = widgets.Dropdown(options=list(self._alliances), description="Alliance", style=style,
                                         layout=layout)
        self.threat = widgets.FloatSlider(value=params.threat, min=0.01, max=0.10, step=0.005, readout_format=".3f",
                                          description="Threat", style=style, layout=layout,
                                          continuous_update=False)
        self.private_share = widgets.FloatSlider(value=params.private_share, min=0.0, max=1.0, step=0.05,
                                                 readout_format=".2f", description="Private share (β)",
                                                 style=style, layout=layout, continuous_update=False)
        self.frontline_factor = widgets.FloatSlider(value=params.frontline_factor, min=1.0, max=10.0, step=0.5,
                                                    readout_format=".1f", description="Frontline factor",
                                                    style=style, layout=layout, continuous_update=False)
        self.pledge = widgets.FloatSlider(value=params.pledge_pct, min=0.0, max=5.0, step=0.25,
                                          readout_format=".2f", description="Pledge floor (% GDP)",
                                          style=style, layout=layout, continuous_update=False)
        self.compare = widgets.Dropdown(options=[NO_DATA, *self._observed], description="Compare with",
                                        style=style, layout=layout)
        self.summary = widgets.HTML(layout=widgets.Layout(flex="1 1 360px", min_width="300px"))
        self.image = ChartImage(layout=widgets.Layout(max_width="800px"))
        help_text = widgets.HTML(
            "<small>Threat: the weight every Ally puts on security. Private share: the part of each Ally's "
            "spending that protects only itself. Frontline factor: how many times more the Allies bordering "
            "Russia value security. Pledge floor: the least every Ally spends (0 = no pledge: the model as "
            "Olson and Zeckhauser wrote it; 2 = as if every Ally kept to the 2% guideline).</small>",
            layout=widgets.Layout(width="98%"))
        self.note = widgets.HTML(
            f"<p><b>⚠ {html.escape(ILLUSTRATIVE_NOTE)}</b></p>", layout=widgets.Layout(width="98%"))
        controls = widgets.VBox([self.alliance, self.threat, self.private_share, self.frontline_factor,
                                 self.pledge, self.compare, help_text],
                                layout=widgets.Layout(flex="1 1 400px", min_width="320px"))
        top = widgets.HBox([controls, self.summary], layout=widgets.Layout(flex_flow="row wrap",
                                                                            align_items="flex-start"))
        self.box = widgets.VBox([self.note, top, self.image])
        self.outcome: Outcome = equilibrium(self._alliances[self.alliance.value], params)
        for control in (self.alliance, self.threat, self.private_share, self.frontline_factor, self.pledge,
                        self.compare):
            control.observe(self.changed, names="value")
        self.refresh()

    def parameters(self) -> Parameters:
        """The parameters the sliders show now."""
        return Parameters(threat=float(self.threat.value), private_share=float(self.private_share.value),
                          frontline_factor=float(self.frontline_factor.value), pledge_pct=float(self.pledge.value))

    def update(self) -> None:
        """Recompute the equilibrium for the current settings and redraw."""
        self.outcome = equilibrium(self._alliances[self.alliance.value], self.parameters())
        lines = describe(self.outcome)
        self.summary.value = "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + "</ul>"
        observed = self._observed.get(self.compare.value)
        outcome, label = self.outcome, self.compare.value

        def figure() -> Figure:
            fig = new_figure(8, 2.2 + 0.18 * len(outcome.allies), dpi=100)
            ax = plot_outcome(outcome, fig.add_subplot(), observed, observed_label=label)
            ax.set_title("Who pays for the common defence in equilibrium? (illustrative model)", pad=34)
            plots.caption(ax, self._caption)
            return fig

        self.show(self.image, figure, tight=True)


def widget(alliances: Mapping[str, Sequence[Ally]] | None = None,
           observed: Mapping[str, Mapping[str, float]] | None = None,
           params: Parameters | None = None) -> SimulatorView:
    """The burden-sharing simulator. By default: NATO's Allies (2014 GDP), NATO without the United States and five
    illustrative allies; NATO's own 2014 and 2024 burdens to compare with; a pure public good (private share 0)."""
    caption = ("course model (alliance_course.sims.public_goods); GDP: World Bank, 2014;\n"
               "observed burdens: NATO, Defence Expenditure of NATO Countries, June 2024 release")
    return SimulatorView(default_alliances() if alliances is None else alliances,
                         observed_burdens() if observed is None else observed,
                         params or Parameters(), caption)
