"""Argument maps drawn as trees, and an interactive builder: the view over :mod:`.argument_map`."""

from __future__ import annotations

import copy
import html
import textwrap
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from alliance_course import plots
from alliance_course._display import ChartImage, SimView, new_figure
from alliance_course.sims import argument_map as am

__all__ = ["render", "widget", "ArgumentMapBuilder"]

# --------------------------------------------------------------------------------------------- drawing

_STYLE = {  # kind: (edge colour, face colour, box style); text labels say the kind, so colour is not alone
    "position": (plots.PALETTE["black"], "#e8e8e8", "round,pad=0.45"),
    "claim": (plots.PALETTE["blue"], "#dcebf7", "round,pad=0.4"),
    "evidence": (plots.PALETTE["green"], "#d9f2ea", "square,pad=0.4"),
    "objection": (plots.PALETTE["vermillion"], "#fbe3d6", "sawtooth,pad=0.4"),
}


def render(amap: am.ArgumentMap, ax: plt.Axes | None = None, *, width: int = 22, max_lines: int = 5,
           caption: str | None = None) -> plt.Figure:
    """Draw the map as a tree and return the figure. Each box is labelled with its kind (colour is never the
    only cue); nodes with a structural problem get a '⚠' and a dashed border; links to objections are dashed.
    ``caption`` (a source line) goes under the chart."""
    positions = am.layout(amap)
    leaves = max((x for x, _ in positions.values()), default=0.0) + 1
    depth = max((d for _, d in positions.values()), default=0.0) + 1
    if ax is None:
        fig, ax = plt.subplots(figsize=(max(7.0, 2.1 * leaves), max(3.0, 2.0 * depth + 0.6)))
    else:
        fig = ax.figure
    flagged = {problem.node for problem in amap.check()}
    for node in amap.nodes:
        if node.parent in positions and node.id in positions:
            (x0, y0), (x1, y1) = positions[node.id], positions[node.parent]
            objection = node.kind == "objection"
            ax.annotate("", xy=(x1, -y1), xytext=(x0, -y0), zorder=1,
                        arrowprops=dict(arrowstyle="-", color=_STYLE[node.kind][0], lw=1.3,
                                        linestyle="--" if objection else "-"))
    for node in amap.nodes:
        x, d = positions[node.id]
        edge, face, box = _STYLE[node.kind]
        lines = textwrap.wrap(node.text, width=width)
        if len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = textwrap.shorten(lines[-1] + " …", width=width, placeholder=" …")
        head = node.kind.upper() + (" (assertion)" if node.assertion else "") + f" · {node.id}"
        if node.id in flagged:
            head = "⚠ " + head
        body = "\n".join([head, *lines] + ([f"[{textwrap.shorten(node.source, width, placeholder='…')}]"]
                                             if node.source else []))
        ax.text(x, -d, body, ha="center", va="center", fontsize=8.5, zorder=2, wrap=False,
                bbox=dict(boxstyle=box, facecolor=face, edgecolor=edge,
                          linewidth=2.0 if node.id in flagged else 1.2,
                          linestyle="--" if node.id in flagged else "-"))
    ax.set_xlim(-0.6, leaves - 0.4)
    ax.set_ylim(-depth + 0.45, 0.55)
    ax.set_axis_off()
    ax.set_title(amap.title or "Argument map", loc="left")
    if caption:
        plots.caption(ax, caption)
    return fig


# --------------------------------------------------------------------------------------------- widget

class ArgumentMapBuilder(SimView):
    """A thin ipywidgets view over an :class:`ArgumentMap`: choose a kind and a parent, write the text, Add;
    Undo removes the last node (and anything attached to it); Check lists structural problems; the map is
    redrawn after every change. Tests drive it from Python (``builder.text.value = "…"``,
    ``builder.add_button.click()``)."""

    def __init__(self, amap: am.ArgumentMap | None = None, *, caption: str | None = None, draw: bool = True) -> None:
        self.amap = amap if amap is not None else am.ArgumentMap()
        self.caption = caption
        self.draw = draw
        wide = widgets.Layout(width="95%")
        self.kind = widgets.Dropdown(options=[(k.capitalize(), k) for k in am.KINDS[1:]], value="claim",
                                     description="Kind:", style={"description_width": "initial"})
        self.parent = widgets.Dropdown(options=self._parent_options(), description="Attach to:",
                                       style={"description_width": "initial"}, layout=wide)
        self.text = widgets.Textarea(placeholder="What does this box say? One sentence, in your own words.",
                                     description="Text:", style={"description_width": "initial"}, layout=wide)
        self.source = widgets.Text(placeholder="e.g. seed-000, or NATO treaty Art. 6", description="Source:",
                                   style={"description_width": "initial"}, layout=wide)
        self.assertion = widgets.Checkbox(value=False, description="Claim stated without evidence (assertion)",
                                          indent=False)
        self.add_button = widgets.Button(description="Add", tooltip="Add this box to the map")
        self.undo_button = widgets.Button(description="Undo last", tooltip="Remove the last box you added")
        self.check_button = widgets.Button(description="Check structure", tooltip="List the rules the map breaks")
        self.feedback = widgets.HTML("")
        self.image = ChartImage(layout=widgets.Layout(max_width="100%", display="none"))
        self._added: list[str] = []
        self.add_button.on_click(self._on_add)
        self.undo_button.on_click(self._on_undo)
        self.check_button.on_click(self._on_check)
        rules = widgets.HTML("<p>A <b>claim</b> attaches to a position; <b>evidence</b> to a claim (or an "
                             "objection); an <b>objection</b> to a claim.</p>")
        self.box = widgets.VBox([rules, widgets.HBox([self.kind, self.assertion]), self.parent, self.text,
                                 self.source, widgets.HBox([self.add_button, self.undo_button, self.check_button]),
                                 self.feedback, self.image])
        self.refresh()

    def _parent_options(self) -> list[tuple[str, str]]:
        options = [(node.label(48), node.id) for node in self.amap.nodes]
        return options or [("(the map is empty)", "")]

    def _say(self, symbol: str, message: str) -> None:
        self.feedback.value = f"<p>{symbol} {html.escape(message, quote=False)}</p>"

    def _on_add(self, _button: Any = None) -> None:
        if not self.text.value.strip():
            self._say("ℹ", f"Write the text of the {self.kind.value} first.")
            return
        try:
            node = self.amap.add(self.kind.value, self.text.value, self.parent.value or None,
                                 source=self.source.value,
                                 assertion=self.assertion.value and self.kind.value == "claim")
        except am.ArgumentMapError as error:
            self._say("✗", str(error))
            return
        self._added.append(node.id)
        self.text.value, self.source.value, self.assertion.value = "", "", False
        self.parent.options = self._parent_options()
        self.parent.value = node.parent if node.parent in self.amap else self.parent.options[0][1]
        self._say("✓", f"Added {node.label()}. Press 'Check structure' to see what the map still needs.")
        self.refresh()

    def _on_undo(self, _button: Any = None) -> None:
        while self._added and self._added[-1] not in self.amap:
            self._added.pop()
        if not self._added:
            self._say("ℹ", "Nothing to undo: you have not added a box yet.")
            return
        removed = self.amap.remove(self._added.pop())
        self.parent.options = self._parent_options()
        self._say("✓", f"Removed {', '.join(repr(r) for r in removed)}.")
        self.refresh()

    def _on_check(self, _button: Any = None) -> None:
        problems = self.amap.check()
        if not problems:
            counts = ", ".join(f"{n} {k}" for k, n in self.amap.counts().items())
            self._say("✓", f"The structure is sound ({counts}). Now judge the content: is each piece of "
                           "evidence true, sourced and relevant?")
            return
        items = "".join(f"<li>{html.escape(str(problem), quote=False)}</li>" for problem in problems)
        self.feedback.value = (f"<p>✗ {len(problems)} rule{'s' if len(problems) > 1 else ''} "
                               f"broken:</p><ul>{items}</ul>")

    def update(self) -> None:
        """Draw the current map (nothing when ``draw`` is False or the map is empty)."""
        if not self.draw or not len(self.amap):
            self.image.layout.display = "none"
            return
        positions = am.layout(self.amap)
        leaves = max((x for x, _ in positions.values()), default=0.0) + 1
        depth = max((d for _, d in positions.values()), default=0.0) + 1
        # The chart may be drawn later (when a browser first shows it): draw the map as it is now, at the size
        # worked out for it, even if the notebook edits the map in between.
        amap, caption = copy.deepcopy(self.amap), self.caption

        def figure() -> Figure:
            fig = new_figure(max(7.0, 2.1 * leaves), max(3.0, 2.0 * depth + 0.6), dpi=80)
            render(amap, fig.add_subplot(), caption=caption)
            return fig

        self.show(self.image, figure)
        self.image.layout.display = None

    redraw = SimView.refresh  # the name this builder used before the views shared one base


def widget(amap: am.ArgumentMap | None = None, *, caption: str | None = None) -> ArgumentMapBuilder:
    """An interactive builder for ``amap`` (a new empty map if none): display it as a notebook cell's result."""
    return ArgumentMapBuilder(amap, caption=caption)
