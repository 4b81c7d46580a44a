"""The cluster builder's widget: a thin ipywidgets view over :mod:`alliance_course.sims.clusters`.

``widget()`` shows one list per framework nation (pick the smaller allies that plug into it), two switches (are the
framework nations interoperable with one another? do a cluster's members also work with each other?), a "from / to"
pair whose interoperability path is drawn, the network itself and a table of measures next to the alliance
baseline. All the logic is in :mod:`.clusters`; this module only turns widget values into a
:class:`~.clusters.ClusterPlan` and draws the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

import ipywidgets as widgets
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from alliance_course import data, plots
from alliance_course._display import ChartImage, SimView, new_figure
from alliance_course.sims import clusters
from alliance_course.sims.networks import path_edges
from alliance_course.sims.networks_view import draw

__all__ = ["ClusterBuilder", "widget", "course_setup", "node_colours", "node_markers"]

DATA_PRESET = "The groups in the course data (FNC, JEF, Italy's group)"
EMPTY_PRESET = "Empty: build your own clusters"
REGIONAL_PRESET = "Hypothetical: three regional clusters with no shared members"
_REGIONAL = {
    "DEU": ["POL", "CZE", "SVK", "BEL", "LUX", "HUN"],
    "GBR": ["DNK", "EST", "LVA", "LTU", "NLD", "NOR", "SWE", "FIN", "ISL"],
    "ITA": ["ALB", "MNE", "MKD", "SVN", "HRV", "BGR", "ROU", "GRC"],
}
_FRAMEWORK_COLOUR = plots.KIND_COLOURS["coalition"]
_ALLY_COLOUR = plots.KIND_COLOURS["alliance"]
_PARTNER_COLOUR = plots.PALETTE["green"]
_SOURCE = ("course model (alliance_course.sims.clusters) on the table framework_group_members; "
           "after Rutar 2019, §4.2")


_MARKERS = {"framework": "s", "ally": "o", "partner": "^"}


def node_markers(nodes: Iterable[str], framework_nations: Iterable[str], partners: Iterable[str] = ()
                 ) -> dict[str, str]:
    """Shapes that repeat :func:`node_colours` (never colour alone): framework nations squares, NATO allies
    circles, partners outside NATO triangles."""
    leads, outside = set(framework_nations), set(partners)
    return {n: _MARKERS["framework"] if n in leads else _MARKERS["partner"] if n in outside else _MARKERS["ally"]
            for n in nodes}


def node_colours(nodes: Iterable[str], framework_nations: Iterable[str], partners: Iterable[str] = ()
                 ) -> dict[str, str]:
    """The course's colours for a network of framework ties: framework nations orange (the coalition colour),
    NATO allies blue (the alliance colour), ``partners`` outside NATO green."""
    leads, outside = set(framework_nations), set(partners)
    return {n: _FRAMEWORK_COLOUR if n in leads else _PARTNER_COLOUR if n in outside else _ALLY_COLOUR for n in nodes}


def course_setup(framework_nations: Iterable[str] = ("DEU", "GBR", "ITA")
                 ) -> tuple[dict[str, str], set[str], dict[str, dict[str, list[str]]]]:
    """Names, non-NATO participants and presets for the builder, from the course tables.

    Returns ``(names, partners, presets)``: ``names`` maps ISO3 → country name for every NATO ally and every
    non-NATO participant of a framework group; ``partners`` are those non-NATO participants; ``presets`` maps a
    preset's label to ``{framework nation: members}``.
    """
    leads = list(framework_nations)
    allies = data.load("nato_members")
    members = data.load("framework_group_members")
    names = dict(zip(allies["iso3"], allies["country"]))
    partners = {iso3 for iso3 in members["iso3"] if iso3 not in names}
    names.update({iso3: country for iso3, country in zip(members["iso3"], members["country"]) if iso3 in partners})
    from_data = clusters.clusters_from_members(members)
    presets = {
        DATA_PRESET: {lead: list(from_data.get(lead, [])) for lead in leads},
        EMPTY_PRESET: {lead: [] for lead in leads},
        REGIONAL_PRESET: {lead: list(_REGIONAL.get(lead, [])) for lead in leads},
    }
    return names, partners, presets


class ClusterBuilder(SimView):
    """The widget. ``box`` is what is displayed; ``plan()`` is the current :class:`~.clusters.ClusterPlan`."""

    def __init__(self, names: Mapping[str, str], framework_nations: Iterable[str],
                 presets: Mapping[str, Mapping[str, Iterable[str]]], partners: Iterable[str] = ()) -> None:
        self.names = dict(names)
        self.leads = list(framework_nations)
        if not self.leads:
            raise ValueError("cluster builder: name at least one framework nation, e.g. ('DEU', 'GBR', 'ITA')")
        unknown = [code for code in self.leads if code not in self.names]
        if unknown:
            raise ValueError(f"cluster builder: no name for framework nation(s) {unknown}")
        if not presets:
            raise ValueError("cluster builder: give at least one preset (it may be empty clusters)")
        self.presets = {label: {lead: list(ms) for lead, ms in plan.items()} for label, plan in presets.items()}
        for label, plan in self.presets.items():
            strangers = sorted({m for ms in plan.values() for m in ms} - set(self.names))
            if strangers:
                raise ValueError(f"cluster builder: preset {label!r} names {strangers}, which have no name")
        self.partners = set(partners)
        self.pool = sorted((code for code in self.names if code not in self.leads), key=lambda c: self.names[c])
        self.preset = widgets.Dropdown(options=list(self.presets), description="Start from:",
                                       style={"description_width": "initial"}, layout=widgets.Layout(width="520px"))
        self.pickers = {
            lead: widgets.SelectMultiple(options=[(self._label(code), code) for code in self.pool], rows=10,
                                         layout=widgets.Layout(width="215px"))
            for lead in self.leads}
        columns = [widgets.VBox([widgets.HTML(f"<b>{escape(self.names[lead])}'s cluster</b>"), picker])
                   for lead, picker in self.pickers.items()]
        self.lead_ties = widgets.Checkbox(value=False, indent=False, layout=widgets.Layout(width="auto"),
                                          description="Framework nations are interoperable with one another")
        self.member_ties = widgets.Checkbox(value=False, indent=False, layout=widgets.Layout(width="auto"),
                                            description="Members of a cluster also work directly with each other")
        self.path_from = widgets.Dropdown(description="Path from:", layout=widgets.Layout(width="260px"))
        self.path_to = widgets.Dropdown(description="to:", layout=widgets.Layout(width="260px"))
        self.image = ChartImage(layout=widgets.Layout(width="620px"))
        self.path_text = widgets.HTML()
        self.table = widgets.HTML()
        self.left_out = widgets.HTML()

        help_text = widgets.HTML(
            "<p>Pick the smaller allies that plug into each framework nation (hold <kbd>Ctrl</kbd> or "
            "<kbd>Cmd</kbd> to pick several; an ally may sit in more than one cluster). Orange squares: framework "
            "nation; blue circles: NATO ally; green triangles: partner outside NATO.</p>"
            "<p><b>⚠ A model, not a map of every tie.</b> Ties exist only where the table (or you) put them. "
            "While smaller allies have no ties of their own, every path between two of them runs through a "
            "framework nation <i>by construction</i>, not as a finding: tick “Members of a cluster also work "
            "directly with each other” to see what changes.</p>")
        self.box = widgets.VBox([
            self.preset, help_text, widgets.HBox(columns), self.lead_ties, self.member_ties,
            widgets.HBox([self.path_from, self.path_to]), self.path_text, self.image, self.left_out, self.table])

        self.preset.observe(self._on_preset, names="value")
        for control in (*self.pickers.values(), self.lead_ties, self.member_ties, self.path_from, self.path_to):
            control.observe(self.changed, names="value")
        self._apply_preset(self.preset.value)

    def _label(self, code: str) -> str:
        suffix = " (not in NATO)" if code in self.partners else ""
        return f"{self.names[code]}{suffix}"

    def plan(self) -> clusters.ClusterPlan:
        """The plan the widgets describe now."""
        return clusters.ClusterPlan.build({lead: list(picker.value) for lead, picker in self.pickers.items()},
                                          lead_ties=self.lead_ties.value, member_ties=self.member_ties.value)

    def _apply_preset(self, label: str) -> None:
        with self.quiet():
            for lead, picker in self.pickers.items():
                picker.value = tuple(self.presets[label].get(lead, []))
        self.refresh()

    def _on_preset(self, change: Mapping[str, object]) -> None:
        self._apply_preset(str(change["new"]))

    def _sync_path_choices(self, plan: clusters.ClusterPlan) -> None:
        """Offer only the allies in the picture; keep the current choices when they are still there."""
        options = [(self.names[code], code) for code in plan.allies]
        codes = [code for _, code in options]
        defaults = plan.smaller_allies if len(plan.smaller_allies) >= 2 else plan.allies
        with self.quiet():
            for dropdown, fallback in ((self.path_from, defaults[0]), (self.path_to, defaults[-1])):
                current = dropdown.value
                dropdown.options = options
                dropdown.value = current if current in codes else fallback

    def update(self) -> None:
        """Recompute the plan, redraw the network and rewrite the path line and the table."""
        plan = self.plan()
        self._sync_path_choices(plan)
        path = clusters.interoperability_path(plan, self.path_from.value, self.path_to.value)
        self.path_text.value = self._describe_path(path)
        self.show(self.image, lambda: self._draw(plan, path), tight=True)
        outside = [self.names[code] for code in self.pool if code not in plan.allies]
        self.left_out.value = (f"<p><b>In no cluster ({len(outside)}):</b> {escape(', '.join(outside))}. "
                               "They are not drawn: they are still allies, but have no framework tie here.</p>"
                               if outside else "<p>Every ally in the list is in at least one cluster.</p>")
        self.table.value = _table_html(clusters.summarise(plan), clusters.alliance_baseline(plan))

    def _describe_path(self, path: list[str] | None) -> str:
        a, b = self.names[self.path_from.value], self.names[self.path_to.value]
        if self.path_from.value == self.path_to.value:
            return f"<p>Choose two different allies to see the path between them ({escape(a)} is chosen twice).</p>"
        if path is None:
            return (f"<p><b>No path:</b> {escape(a)} and {escape(b)} are not connected; no chain of framework "
                    "ties links them.</p>")
        via = [self.names[code] for code in path[1:-1] if code in self.leads]
        steps = len(path) - 1
        through = f", through {len(via)} framework nation(s): {', '.join(via)}" if via else ""
        chain = " → ".join(self.names[code] for code in path)
        return f"<p><b>Path ({steps} tie{'s' if steps != 1 else ''}{escape(through)}):</b> {escape(chain)}</p>"

    def _draw(self, plan: clusters.ClusterPlan, path: list[str] | None) -> Figure:
        g = clusters.graph(plan)
        colours = node_colours(g.nodes, self.leads, self.partners)
        fig = new_figure(7.2, 7.2)
        ax = fig.subplots()
        highlight: list[object] = [self.path_from.value, self.path_to.value]
        if path is not None:
            highlight += path_edges(path)
        draw(g, ax, pos=clusters.ring_layout(g, plan.framework_nations), highlight=highlight,
             node_colours=colours, title="Ties through framework nations (your clusters)", font_size=8,
             node_markers=node_markers(g.nodes, self.leads, self.partners))
        handles = [Line2D([], [], marker=marker, linestyle="", markersize=9, color=colour, label=label)
                   for colour, marker, label in ((_FRAMEWORK_COLOUR, _MARKERS["framework"], "framework nation"),
                                                 (_ALLY_COLOUR, _MARKERS["ally"], "NATO ally"),
                                                 (_PARTNER_COLOUR, _MARKERS["partner"], "partner outside NATO"))]
        handles.append(Line2D([], [], color=plots.PALETTE["vermillion"], linewidth=3, label="chosen path"))
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=4, fontsize=8)
        plots.caption(ax, _SOURCE)
        return fig


def _table_html(plan: clusters.Summary, alliance: clusters.Summary) -> str:
    """The measures as a small HTML table: your clusters next to the alliance baseline."""
    cell = 'style="text-align:{}; padding:2px 10px"'
    head = (f"<tr><th {cell.format('left')}>measure</th><th {cell.format('right')}>your clusters</th>"
            f"<th {cell.format('right')}>alliance (everyone tied to everyone)</th></tr>")
    rows = "".join(
        f"<tr><td {cell.format('left')}>{escape(name)}</td><td {cell.format('right')}>{mine}</td>"
        f"<td {cell.format('right')}>{theirs}</td></tr>"
        for (name, mine), theirs in zip(plan.as_dict().items(), alliance.as_dict().values()))
    return f'<table class="cluster-measures">{head}{rows}</table>'


def widget(framework_nations: Iterable[str] = ("DEU", "GBR", "ITA"), preset: str | None = None) -> ClusterBuilder:
    """The cluster builder over the course data; ``preset`` chooses the starting point (default: the data)."""
    names, partners, presets = course_setup(framework_nations)
    builder = ClusterBuilder(names, framework_nations, presets, partners)
    if preset is not None:
        if preset not in presets:
            raise ValueError(f"cluster builder: unknown preset {preset!r}; choose one of {list(presets)}")
        builder.preset.value = preset
    return builder
