"""The capstone crisis as a dashboard: a thin ipywidgets view over :mod:`.capstone`.

Controls: the setting of the crisis (UN mandate, host consent, each Ally's stance in the North Atlantic Council, the
coalition's terms, one lead or two, the willingness needed to join, the private share of the coalition's cost
sharing), the scoring rules (the Council decision counted twice or once, the breadth threshold, parliamentary
approval per track) and one weight per criterion. Every change
reruns both tracks with :func:`~.capstone.run_both`, rescoring them with :func:`~.capstone.compare`, and redraws the
timeline and the scores, with a table and a few plain sentences underneath. All the logic lives in the model; this
module only turns widget values into a :class:`~.capstone.Setting` and weights, and shows the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from alliance_course._display import ChartImage, SimView, new_figure
from alliance_course.plots import KIND_COLOURS, PALETTE, caption
from alliance_course.sims import capstone

__all__ = ["CapstoneView", "plot_scores", "plot_timeline", "widget"]

_STYLE = {"description_width": "130px"}
_CELL_STYLE = 'style="padding: 2px 10px; text-align: left"'


_TRACK_STYLE = {"nato": (KIND_COLOURS["alliance"], ""), "coalition": (KIND_COLOURS["coalition"], "//")}


def plot_scores(frame: pd.DataFrame, ax: plt.Axes | None = None) -> plt.Axes:
    """Grouped horizontal bars: each criterion's score (0–4) for each track in ``frame`` (from :func:`compare`)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.6))
    height = 0.38
    for i, (track, row) in enumerate(frame.iterrows()):
        colour, hatch = _TRACK_STYLE.get(str(track), (PALETTE["green"], ".."))
        positions = [c + (i - 0.5) * height for c in range(len(capstone.CRITERIA))]
        values = [row[c] for c in capstone.CRITERIA]
        bars = ax.barh(positions, values, height, color=colour, hatch=hatch, edgecolor="black", linewidth=0.6,
                       label=f"{row['label']} (weighted total {row['total']:.2f})")
        for bar, value in zip(bars, values):
            ax.annotate(f"{value}", (bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(range(len(capstone.CRITERIA)), [c.capitalize() for c in capstone.CRITERIA])
    ax.invert_yaxis()
    ax.set_xlim(0, 4.4)
    ax.set_xticks(range(5))
    ax.set_xlabel("Score (points, 0 to 4)")
    ax.set_ylabel("Criterion")
    ax.set_title("The same crisis, two tracks: scores on four criteria", pad=30)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8, frameon=False)
    caption(ax, "course simulation alliance_course.sims.capstone (illustrative crisis, invented nations and "
                "numbers)", )
    return ax


def plot_timeline(results: Mapping[str, capstone.TrackResult], ax: plt.Axes | None = None) -> plt.Axes:
    """Each track as a bar of consecutive steps from the request (day 0) to a deployed force; each segment is
    labelled with its step and its length in days."""
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.0))
    table = capstone.timeline_table(results)
    tracks = list(results)
    shorts = {(track, step.label): step.short for track, result in results.items() for step in result.steps}
    for row in table.itertuples():
        colour, hatch = _TRACK_STYLE.get(row.track, (PALETTE["green"], ".."))
        y = tracks.index(row.track)
        ax.barh(y, row.days, left=row.start, color=colour, hatch=hatch, edgecolor="white", linewidth=1.5)
        short = shorts.get((row.track, row.step), "")
        text = f"{short}\n{row.days} d" if short and row.days >= 8 else f"{row.days}"
        ax.annotate(text, (row.start + row.days / 2, y), ha="center", va="center", fontsize=7.5, color="black",
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
    for y, track in enumerate(tracks):
        days = results[track].days
        ax.annotate("blocked: no operation" if days is None else f"day {days}",
                    (table.loc[table["track"] == track, "end"].max(), y), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=8, fontweight="bold")
    ax.set_yticks(range(len(tracks)), [capstone.TRACK_LABELS.get(t, t) for t in tracks])
    ax.invert_yaxis()
    ax.set_xlim(0, max(table["end"].max() * 1.2, 10))
    ax.set_xlabel("Days after the request")
    ax.set_title("From the request to a deployed force")
    caption(ax, "course simulation alliance_course.sims.capstone (illustrative durations: see assumptions_table())",
            )
    return ax


def widget(crisis_name: str = "varnia", setting: capstone.Setting | None = None,
           rules: capstone.ScoringRules | None = None) -> CapstoneView:
    """The two tracks as an interactive dashboard (illustrative crisis), starting from ``setting`` and ``rules``."""
    return CapstoneView(capstone.crisis(crisis_name), setting or capstone.Setting(), rules)


class CapstoneView(SimView):
    """The dashboard. ``stances[ally]``, ``weights[criterion]`` and the other attributes are the controls;
    ``results`` and ``table`` hold the current runs; ``box`` is the widget to display."""

    def __init__(self, crisis: capstone.Crisis, setting: capstone.Setting,
                 rules: capstone.ScoringRules | None = None) -> None:
        self.crisis = crisis
        self.start = setting
        self.start_rules = rules or capstone.ScoringRules()
        self.un_mandate = widgets.Checkbox(description="UN Security Council mandate", indent=False)
        self.host_consent = widgets.Checkbox(description="Host government asks for the force", indent=False)
        self.terms = widgets.ToggleButtons(
            options=[("Partners' terms", "partners"), ("Lead nation's terms", "lead")],
            tooltips=["Partners join with their own caveats", "No caveats accepted: only the keenest join"],
            description="Coalition terms", style={"description_width": "110px", "button_width": "160px"})
        self.private_share = widgets.FloatSlider(min=0.0, max=1.0, step=0.05, readout_format=".2f",
                                                 continuous_update=False, style=_STYLE,
                                                 description="Private share (β)",
                                                 tooltip="Lesson 07: the share of a coalition member's "
                                                         "contribution that benefits only itself")
        self.coalition_kind = widgets.ToggleButtons(
            options=[("One lead nation", "lead"), ("Co-led (two leads)", "co-led")],
            tooltips=["The lead nation decides alone", "Two leads decide together and share their costs by GDP"],
            description="Coalition led by", style={"description_width": "110px", "button_width": "160px"})
        self.coalition_threshold = widgets.FloatSlider(
            value=crisis.thresholds.coalition, min=0.0, max=1.0, step=0.05, readout_format=".2f",
            continuous_update=False, style=_STYLE, description="Joins the coalition from",
            tooltip="The willingness (0-1) a nation needs to join the coalition (an assumption: change it)")
        self.count_twice = widgets.Checkbox(description="Council decision counts for legitimacy too (counted twice)",
                                            indent=False)
        self.breadth = widgets.IntSlider(min=1, max=len(crisis.members), continuous_update=False, style=_STYLE,
                                         description="Breadth point from", tooltip="States needed for the breadth "
                                                                                   "point of legitimacy")
        self.binding = widgets.Checkbox(description="Score capability by the weakest line (not the mean)",
                                        indent=False)
        self.parliament = {track: widgets.Checkbox(description=f"Parliaments approved: {label}", indent=False)
                           for track, label in capstone.TRACK_LABELS.items()}
        self.stances: dict[str, widgets.Dropdown] = {}
        for ally in crisis.allies:
            if ally == crisis.lead:
                continue
            condition = crisis.member(ally).condition
            hint = f" (condition: {condition.replace('_', ' ')})" if condition else ""
            self.stances[ally] = widgets.Dropdown(options=list(capstone.STANCES), description=crisis.name_of(ally),
                                                  style={"description_width": "80px"},
                                                  layout=widgets.Layout(width="220px"),
                                                  tooltip=f"{crisis.name_of(ally)}'s stance in the Council{hint}")
        self.weights = {criterion: widgets.IntSlider(value=1, min=0, max=5, description=f"Weight: {criterion}",
                                                     continuous_update=False, style=_STYLE)
                        for criterion in capstone.CRITERIA}
        self.reset_button = widgets.Button(description="Reset", icon="undo", layout=widgets.Layout(width="120px"))
        self.reset_button.on_click(self._reset)
        for control in (self.un_mandate, self.host_consent, self.terms, self.private_share, self.coalition_kind,
                        self.coalition_threshold, self.count_twice, self.breadth, self.binding,
                        *self.parliament.values(), *self.stances.values(), *self.weights.values()):
            control.observe(self.changed, names="value")

        self.image = ChartImage(layout=widgets.Layout(width="680px"))
        self.table_html = widgets.HTML()
        self.summary = widgets.HTML()
        intro = widgets.HTML(
            f"<b>{escape(crisis.title)}</b>: invented nations and numbers, for illustration only. "
            f"{escape(crisis.scenario.nation(crisis.lead).name)} leads. Change one control at a time and watch "
            "both tracks.")
        council = widgets.VBox([widgets.HTML("<b>Stances in the North Atlantic Council</b> (Allies only)"),
                                widgets.GridBox(list(self.stances.values()), layout=widgets.Layout(
                                    grid_template_columns="repeat(3, 230px)", grid_gap="2px 8px"))])
        setting_box = widgets.VBox([widgets.HTML("<b>The crisis</b>"), self.un_mandate, self.host_consent,
                                    self.terms, self.coalition_kind, self.coalition_threshold, self.private_share])
        rules_box = widgets.VBox([widgets.HTML("<b>The scoring rules</b> (capstone.rules_table(); change them)"),
                                  self.count_twice, self.breadth, self.binding, *self.parliament.values()])
        weights_box = widgets.VBox([widgets.HTML("<b>How much each criterion matters to you</b> (0 to 5)"),
                                    *self.weights.values(), self.reset_button])
        self.box = widgets.VBox([intro, widgets.HBox([setting_box, weights_box],
                                                     layout=widgets.Layout(flex_flow="row wrap")), rules_box,
                                 council, self.image, self.table_html, self.summary])
        self.results: dict[str, capstone.TrackResult]
        self.table: Any
        self.set_setting(setting)

    # --- state ------------------------------------------------------------------------------------------------
    def setting(self) -> capstone.Setting:
        """The setting the controls show now."""
        return capstone.Setting(un_mandate=self.un_mandate.value, host_consent=self.host_consent.value,
                                stances={ally: box.value for ally, box in self.stances.items()},
                                terms=self.terms.value, private_share=float(self.private_share.value),
                                threat=self.start.threat, coalition_kind=self.coalition_kind.value,
                                co_lead=self.start.co_lead,
                                coalition_threshold=self._threshold())

    def _threshold(self) -> float | None:
        """The slider's threshold, or None while it shows the crisis's own (so the setting stays the default)."""
        value = float(self.coalition_threshold.value)
        return None if abs(value - self.crisis.thresholds.coalition) < 1e-9 else value

    def rules(self) -> capstone.ScoringRules:
        """The scoring rules the controls show now (the other fields keep their defaults)."""
        return capstone.ScoringRules(count_decision_twice=self.count_twice.value,
                                     breadth_threshold=int(self.breadth.value),
                                     capability_measure="binding" if self.binding.value else "mean",
                                     parliament={track: box.value for track, box in self.parliament.items()})

    def weight_values(self) -> dict[str, int]:
        """The weights the sliders show now."""
        return {criterion: slider.value for criterion, slider in self.weights.items()}

    def set_setting(self, setting: capstone.Setting) -> None:
        """Show this setting and the starting rules (all weights back to 1) and recompute."""
        with self.quiet():
            self.un_mandate.value = setting.un_mandate
            self.host_consent.value = setting.host_consent
            self.terms.value = setting.terms
            self.private_share.value = setting.private_share
            self.coalition_kind.value = setting.coalition_kind
            self.coalition_threshold.value = (self.crisis.thresholds.coalition if setting.coalition_threshold is None
                                              else setting.coalition_threshold)
            defaults = self.start_rules
            self.count_twice.value = defaults.count_decision_twice
            self.breadth.value = defaults.breadth_threshold
            self.binding.value = defaults.capability_measure == "binding"
            for track, box in self.parliament.items():
                box.value = defaults.parliament[track]
            for ally, box in self.stances.items():
                box.value = setting.stances.get(ally, self.crisis.member(ally).stance)
            for slider in self.weights.values():
                slider.value = 1
        self.refresh()

    def update(self) -> None:
        """Rerun both tracks, rescore and redraw."""
        setting = self.setting()
        weights = self.weight_values()
        self.results = capstone.run_both(self.crisis, setting)
        if sum(weights.values()) == 0:
            self.summary.value = "<p>⚠ Give at least one criterion a weight above 0 to compare the totals.</p>"
            weights = {criterion: 1 for criterion in capstone.CRITERIA}
        else:
            self.summary.value = ""
        self.table = capstone.compare(self.results, setting, self.crisis, weights, self.rules())
        self.show(self.image, self._draw)
        self.table_html.value = self._table_html()
        lines = [line for result in self.results.values() for line in capstone.describe(result, self.crisis)]
        self.summary.value += "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"

    # --- events -----------------------------------------------------------------------------------------------
    def _reset(self, _button: Any) -> None:
        self.set_setting(self.start)

    # --- drawing ----------------------------------------------------------------------------------------------
    def _draw(self) -> Figure:
        fig = new_figure(8.5, 7.4, dpi=80)
        top, bottom = fig.subplots(2, 1, gridspec_kw={"height_ratios": [1, 1.7]})
        plot_timeline(self.results, top)
        plot_scores(self.table, bottom)
        fig.subplots_adjust(left=0.2, right=0.97, top=0.95, bottom=0.1, hspace=0.62)
        return fig

    def _table_html(self) -> str:
        names = ["Track", "Days", "States", "Usable fill", "Lead pays",
                 *(c.capitalize() for c in capstone.CRITERIA), "Weighted total"]
        header = "<tr>" + "".join(f"<th {_CELL_STYLE}>{name}</th>" for name in names) + "</tr>"
        rows = []
        for _, row in self.table.iterrows():
            days = "—" if _missing(row["days"]) else str(int(row["days"]))
            fill = "—" if _missing(row["usable_fill"]) else f"{row['usable_fill']:.0%}"
            lead = "—" if _missing(row["lead_cost_share"]) else f"{row['lead_cost_share']:.0%}"
            cells = [escape(str(row["label"])), days, str(row["states"]), fill, lead,
                     *(str(row[c]) for c in capstone.CRITERIA), f"<b>{row['total']:.2f}</b>"]
            rows.append("<tr>" + "".join(f"<td {_CELL_STYLE}>{cell}</td>" for cell in cells) + "</tr>")
        return f"<table>{header}{''.join(rows)}</table>"


def _missing(value: Any) -> bool:
    return bool(pd.isna(value))
