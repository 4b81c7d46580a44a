"""Drawing the networks of :mod:`.networks`: grey ties, round nodes, labels outside the circle."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import matplotlib.pyplot as plt
from matplotlib.collections import LineCollection

from alliance_course import plots
from alliance_course.plots import PALETTE
from alliance_course.sims import networks as nw

__all__ = ["draw"]


def draw(
    g: nw.Graph,
    ax: plt.Axes | None = None,
    pos: Mapping[str, nw.Position] | None = None,
    highlight: Iterable[str | Iterable[str]] = (),
    node_colours: Mapping[str, str] | None = None,
    title: str | None = None,
    *,
    node_markers: Mapping[str, str] | None = None,
    node_size: float = 420,
    font_size: float = 9,
) -> plt.Axes:
    """Draw ``g`` on ``ax``: grey ties, round nodes, labels outside the circle.

    ``highlight`` takes node names (drawn with a thick black outline) and/or ties as pairs of names (drawn thick
    in vermillion), e.g. ``highlight=path_edges(shortest_path(g, a, b))``. ``node_colours`` maps node → colour
    (default: the palette's blue); ``node_markers`` maps node → matplotlib marker (default round), so node types
    can differ by shape as well as colour. Returns ``ax`` (a new pyplot axes when ``ax`` is None).
    """
    g, ax = plots.target(g, ax, figsize=(5, 5))
    pos = dict(nw.circle_layout(g) if pos is None else pos)
    missing = [n for n in g.nodes if n not in pos]
    if missing:
        raise ValueError(f"draw: no position for node(s) {missing!r}")
    marked_nodes = {h for h in highlight if isinstance(h, str)}
    marked_edges = {frozenset(h) for h in highlight if not isinstance(h, str)}
    for h in marked_nodes:
        nw._require(g, h)
    colours = dict(node_colours or {})
    markers = dict(node_markers or {})

    # One collection per kind of tie and one scatter per marker (not one artist per tie and per node): a complete
    # graph of 12 allies has 66 ties, and each separate artist costs time to build and to draw.
    plain = [[pos[n] for n in sorted(edge)] for edge in sorted(g.edges, key=sorted) if edge not in marked_edges]
    hot_ties = [[pos[n] for n in sorted(edge)] for edge in sorted(g.edges, key=sorted) if edge in marked_edges]
    if plain:
        ax.add_collection(LineCollection(plain, colors="#999999", linewidths=1.2, zorder=1, capstyle="round",
                                         gid="ties"), autolim=False)
    if hot_ties:
        ax.add_collection(LineCollection(hot_ties, colors=PALETTE["vermillion"], linewidths=3.2, zorder=2,
                                         capstyle="round", gid="highlighted ties"), autolim=False)
    by_marker: dict[str, list[str]] = {}
    for node in g.nodes:
        by_marker.setdefault(markers.get(node, "o"), []).append(node)
    for marker, nodes in by_marker.items():
        ax.scatter([pos[n][0] for n in nodes], [pos[n][1] for n in nodes], s=node_size, marker=marker, zorder=3,
                   color=[colours.get(n, PALETTE["blue"]) for n in nodes],
                   edgecolors=["black" if n in marked_nodes else "white" for n in nodes],
                   linewidths=[2.5 if n in marked_nodes else 1.0 for n in nodes])
    for node in g.nodes:
        x, y = pos[node]
        hot = node in marked_nodes
        ax.annotate(node, (x, y), **_label_offset(x, y), fontsize=font_size, zorder=4,
                    fontweight="bold" if hot else "normal")
    _frame(ax, list(pos[n] for n in g.nodes))
    if title:
        ax.set_title(title)
    return ax


def _frame(ax: plt.Axes, points: list[nw.Position]) -> None:
    """Equal aspect, no axes, and room for labels; every layout within the unit circle gets the same frame,
    so drawings placed side by side line up."""
    ax.set_aspect("equal")
    ax.axis("off")
    if all(math.hypot(x, y) <= 1 + 1e-9 for x, y in points):
        ax.set_xlim(-1.35, 1.35)
        ax.set_ylim(-1.35, 1.35)
        return
    xs, ys = [x for x, _ in points], [y for _, y in points]
    half = max(max(xs) - min(xs), max(ys) - min(ys), 1.0) / 2 * 1.35
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    ax.set_xlim(cx - half, cx + half)
    ax.set_ylim(cy - half, cy + half)


def _label_offset(x: float, y: float) -> dict[str, object]:
    """Put a label outside its node, pointing away from the centre (below for a node at the centre)."""
    r = math.hypot(x, y)
    dx, dy = (0.0, -1.0) if r < 1e-9 else (x / r, y / r)
    return {
        "xytext": (14 * dx, 14 * dy),
        "textcoords": "offset points",
        "ha": "left" if dx > 0.3 else "right" if dx < -0.3 else "center",
        "va": "bottom" if dy > 0.3 else "top" if dy < -0.3 else "center",
    }
