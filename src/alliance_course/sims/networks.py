"""Small undirected graphs for drawing alliances and coalitions as networks (pure Python + matplotlib).

An **alliance** is drawn as a *complete* graph: every member is tied to every other member by the same treaty
(``complete``). A **coalition** is drawn as a *hub and spoke*: each partner is tied to the lead nation, and partners
reach one another only through it (``hub_and_spoke``). Any other structure, e.g. several framework nations with their
own clusters, comes from a list of ties (``from_pairs``).

The measures are the ones the lessons use: ``degree`` (how many ties a member has), ``density`` (the share of all
possible ties that exist: 1.0 for an alliance), ``shortest_path`` (breadth-first search) and
``reachable_only_through`` (the pairs that are connected only via one member, e.g. the lead nation).
``circle_layout`` and ``draw`` turn a graph into a matplotlib picture; there is no networkx dependency.

Example::

    >>> g = hub_and_spoke("USA", ["UK", "France", "Egypt"])
    >>> degree(g)["USA"], density(g)
    (3, 0.5)
    >>> shortest_path(g, "UK", "Egypt")
    ['UK', 'USA', 'Egypt']
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

import matplotlib.pyplot as plt

from alliance_course.plots import PALETTE

__all__ = [
    "Graph", "complete", "hub_and_spoke", "from_pairs", "degree", "density", "shortest_path",
    "reachable_only_through", "path_edges", "circle_layout", "draw",
]

Position = tuple[float, float]


@dataclass(frozen=True)
class Graph:
    """An undirected simple graph: named nodes (in drawing order) and ties as two-element frozensets."""

    nodes: tuple[str, ...]
    edges: frozenset[frozenset[str]]

    def __post_init__(self) -> None:
        names = set()
        for node in self.nodes:
            if not isinstance(node, str) or not node:
                raise ValueError(f"Graph: every node must be a non-empty string, got {node!r}")
            if node in names:
                raise ValueError(f"Graph: node {node!r} is listed twice")
            names.add(node)
        for edge in self.edges:
            if len(edge) != 2:
                raise ValueError(f"Graph: a tie joins two different nodes, got {sorted(edge)!r}")
            unknown = sorted(set(edge) - names)
            if unknown:
                raise ValueError(f"Graph: tie {sorted(edge)!r} names unknown node(s) {unknown!r}")

    def neighbours(self, node: str) -> list[str]:
        """The nodes tied to ``node``, in the graph's node order."""
        _require(self, node)
        return [other for other in self.nodes if frozenset((node, other)) in self.edges]

    def without(self, node: str) -> Graph:
        """The graph with ``node`` and its ties removed (e.g. a coalition without its lead nation)."""
        _require(self, node)
        return Graph(tuple(n for n in self.nodes if n != node), frozenset(e for e in self.edges if node not in e))


def _require(g: Graph, node: str) -> None:
    if node not in g.nodes:
        raise KeyError(f"{node!r} is not a node of this graph (nodes: {', '.join(g.nodes)})")


def complete(nodes: Iterable[str]) -> Graph:
    """An alliance: every member tied to every other member."""
    ordered = tuple(nodes)
    return Graph(ordered, frozenset(frozenset(pair) for pair in combinations(ordered, 2)))


def hub_and_spoke(hub: str, spokes: Iterable[str]) -> Graph:
    """A coalition: each partner (spoke) tied to the lead nation (hub) and to no one else."""
    ordered = tuple(spokes)
    return Graph((hub, *ordered), frozenset(frozenset((hub, s)) for s in ordered))


def from_pairs(pairs: Iterable[tuple[str, str]], nodes: Iterable[str] = ()) -> Graph:
    """A graph from a list of ties; ``nodes`` fixes the order and may add members without ties.

    Nodes appear in the order of ``nodes``, then in order of first appearance in ``pairs``. A repeated tie counts
    once; a tie from a node to itself is an error.
    """
    order: dict[str, None] = dict.fromkeys(nodes)
    edges: set[frozenset[str]] = set()
    for i, pair in enumerate(pairs):
        if len(pair) != 2:
            raise ValueError(f"from_pairs: pair {i} must have exactly two nodes, got {pair!r}")
        a, b = pair
        if a == b:
            raise ValueError(f"from_pairs: pair {i} ties {a!r} to itself")
        order.setdefault(a)
        order.setdefault(b)
        edges.add(frozenset((a, b)))
    return Graph(tuple(order), frozenset(edges))


def degree(g: Graph) -> dict[str, int]:
    """Number of ties of each node, in node order."""
    counts = dict.fromkeys(g.nodes, 0)
    for edge in g.edges:
        for node in edge:
            counts[node] += 1
    return counts


def density(g: Graph) -> float:
    """Share of all possible ties that exist (1.0 for a complete graph; 0.0 with fewer than two nodes)."""
    n = len(g.nodes)
    if n < 2:
        return 0.0
    return len(g.edges) / (n * (n - 1) / 2)


def shortest_path(g: Graph, a: str, b: str) -> list[str] | None:
    """A shortest path from ``a`` to ``b`` as a list of nodes (breadth-first search), or None if unreachable.

    Ties are broken by node order, so the answer is deterministic.
    """
    _require(g, a)
    _require(g, b)
    previous: dict[str, str | None] = {a: None}
    queue = deque([a])
    while queue:
        node = queue.popleft()
        if node == b:
            path = [b]
            while (step := previous[path[-1]]) is not None:
                path.append(step)
            return path[::-1]
        for other in g.neighbours(node):
            if other not in previous:
                previous[other] = node
                queue.append(other)
    return None


def _components(g: Graph) -> dict[str, int]:
    label: dict[str, int] = {}
    for start in g.nodes:
        if start in label:
            continue
        label[start] = len(set(label.values()))
        queue = deque([start])
        while queue:
            for other in g.neighbours(queue.popleft()):
                if other not in label:
                    label[other] = label[start]
                    queue.append(other)
    return label


def reachable_only_through(g: Graph, via: str) -> set[frozenset[str]]:
    """Pairs of other nodes that are connected, but whose every path passes through ``via``.

    These are the pairs that lose contact if ``via`` (a lead or framework nation) drops out. Pairs that are not
    connected at all are not included.
    """
    before = _components(g)
    after = _components(g.without(via))
    others = [n for n in g.nodes if n != via]
    return {frozenset((a, b)) for a, b in combinations(others, 2)
            if before[a] == before[b] and after[a] != after[b]}


def path_edges(path: Iterable[str]) -> list[frozenset[str]]:
    """The ties along a path (consecutive nodes), ready to pass to ``draw(..., highlight=...)``."""
    nodes = list(path)
    return [frozenset(pair) for pair in zip(nodes, nodes[1:])]


def circle_layout(g: Graph, centre: str | Iterable[str] | None = None) -> dict[str, Position]:
    """Positions on a unit circle, starting at the top and going clockwise in node order.

    ``centre`` puts one node (a lead nation) at the origin, or several (framework nations) on a small inner circle;
    the other nodes go on the outer circle.
    """
    if centre is None:
        inner: list[str] = []
    elif isinstance(centre, str):
        inner = [centre]
    else:
        inner = list(centre)
    for node in inner:
        _require(g, node)
    outer = [n for n in g.nodes if n not in inner]
    pos = _ring(outer, 1.0)
    pos.update({inner[0]: (0.0, 0.0)} if len(inner) == 1 else _ring(inner, 0.4))
    return pos


def _ring(nodes: list[str], radius: float) -> dict[str, Position]:
    n = len(nodes)
    return {node: (radius * math.sin(2 * math.pi * i / n), radius * math.cos(2 * math.pi * i / n))
            for i, node in enumerate(nodes)}


def draw(
    g: Graph,
    ax: plt.Axes,
    pos: Mapping[str, Position] | None = None,
    highlight: Iterable[str | Iterable[str]] = (),
    node_colours: Mapping[str, str] | None = None,
    title: str | None = None,
    *,
    node_size: float = 420,
    font_size: float = 9,
) -> plt.Axes:
    """Draw ``g`` on ``ax``: grey ties, round nodes, labels outside the circle.

    ``highlight`` takes node names (drawn with a thick black outline) and/or ties as pairs of names (drawn thick
    in vermillion), e.g. ``highlight=path_edges(shortest_path(g, a, b))``. ``node_colours`` maps node → colour
    (default: the palette's blue). Returns ``ax``.
    """
    pos = dict(circle_layout(g) if pos is None else pos)
    missing = [n for n in g.nodes if n not in pos]
    if missing:
        raise ValueError(f"draw: no position for node(s) {missing!r}")
    marked_nodes = {h for h in highlight if isinstance(h, str)}
    marked_edges = {frozenset(h) for h in highlight if not isinstance(h, str)}
    for h in marked_nodes:
        _require(g, h)
    colours = dict(node_colours or {})

    for edge in sorted(g.edges, key=sorted):
        (x0, y0), (x1, y1) = (pos[n] for n in sorted(edge))
        hot = edge in marked_edges
        ax.plot([x0, x1], [y0, y1], color=PALETTE["vermillion"] if hot else "#999999",
                linewidth=3.2 if hot else 1.2, zorder=2 if hot else 1, solid_capstyle="round")
    for node in g.nodes:
        x, y = pos[node]
        hot = node in marked_nodes
        ax.scatter([x], [y], s=node_size, color=colours.get(node, PALETTE["blue"]), zorder=3,
                   edgecolors="black" if hot else "white", linewidths=2.5 if hot else 1.0)
        ax.annotate(node, (x, y), **_label_offset(x, y), fontsize=font_size, zorder=4,
                    fontweight="bold" if hot else "normal")
    _frame(ax, list(pos[n] for n in g.nodes))
    if title:
        ax.set_title(title)
    return ax


def _frame(ax: plt.Axes, points: list[Position]) -> None:
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
