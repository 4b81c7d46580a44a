"""Small undirected graphs for drawing alliances and coalitions as networks (pure Python).

An **alliance** is drawn as a *complete* graph: every member is tied to every other member by the same treaty
(``complete``). A **coalition** is drawn as a *hub and spoke*: each partner is tied to the lead nation, and partners
reach one another only through it (``hub_and_spoke``). Any other structure, e.g. several framework nations with their
own clusters, comes from a list of ties (``from_pairs``).

The measures are the ones the lessons use: ``degree`` (how many ties a member has), ``density`` (the share of all
possible ties that exist: 1.0 for an alliance), ``shortest_path`` (breadth-first search) and
``reachable_only_through`` (the pairs that are connected only via one member, e.g. the lead nation).
``circle_layout`` places a graph for drawing and :func:`.networks_view.draw` draws it; there is no networkx
dependency. :mod:`.clusters` builds on the same graph and search functions (one graph implementation).

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

from alliance_course._common import forward_to_view

__all__ = [
    "Graph", "complete", "hub_and_spoke", "from_pairs", "degree", "density", "shortest_path",
    "reachable_only_through", "path_edges", "circle_layout", "adjacency", "distances", "components",
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


def adjacency(g: Graph, leave_out: Iterable[str] = ()) -> dict[str, list[str]]:
    """Each node's neighbours, in the graph's node order, with the nodes in ``leave_out`` (and their ties) removed.

    >>> adjacency(hub_and_spoke("USA", ["UK", "Egypt"]), leave_out=["USA"])
    {'UK': [], 'Egypt': []}
    """
    skip = set(leave_out)
    order = {node: i for i, node in enumerate(g.nodes)}
    result: dict[str, list[str]] = {n: [] for n in g.nodes if n not in skip}
    for edge in g.edges:
        a, b = sorted(edge)
        if a in result and b in result:
            result[a].append(b)
            result[b].append(a)
    for neighbours in result.values():
        neighbours.sort(key=order.__getitem__)
    return result


def distances(adjacent: Mapping[str, Iterable[str]], source: str) -> dict[str, int]:
    """Breadth-first distances (number of ties) from ``source`` to every node it can reach."""
    distance = {source: 0}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        for other in adjacent[node]:
            if other not in distance:
                distance[other] = distance[node] + 1
                queue.append(other)
    return distance


def components(adjacent: Mapping[str, Iterable[str]]) -> dict[str, int]:
    """A component number for every node: two nodes are connected exactly when their numbers are equal."""
    label: dict[str, int] = {}
    for start in adjacent:
        if start not in label:
            number = len(set(label.values()))
            label.update(dict.fromkeys(distances(adjacent, start), number))
    return label


def shortest_path(g: Graph, a: str, b: str) -> list[str] | None:
    """A shortest path from ``a`` to ``b`` as a list of nodes (breadth-first search), or None if unreachable.

    Ties are broken by node order, so the answer is deterministic.
    """
    _require(g, a)
    _require(g, b)
    adjacent = adjacency(g)
    previous: dict[str, str | None] = {a: None}
    queue = deque([a])
    while queue:
        node = queue.popleft()
        if node == b:
            path = [b]
            while (step := previous[path[-1]]) is not None:
                path.append(step)
            return path[::-1]
        for other in adjacent[node]:
            if other not in previous:
                previous[other] = node
                queue.append(other)
    return None


def reachable_only_through(g: Graph, via: str) -> set[frozenset[str]]:
    """Pairs of other nodes that are connected, but whose every path passes through ``via``.

    These are the pairs that lose contact if ``via`` (a lead or framework nation) drops out. Pairs that are not
    connected at all are not included.
    """
    _require(g, via)
    before = components(adjacency(g))
    after = components(adjacency(g, leave_out=[via]))
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


# Drawing lives in networks_view; ``draw`` is looked up there when first used.
__getattr__ = forward_to_view(__name__, ["draw"])
