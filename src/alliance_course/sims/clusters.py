"""The cluster builder: smaller allies plug into framework nations; what does that do to the alliance?

Under NATO's Framework Nations Concept a large ally (the **framework nation**) provides the backbone of a cluster and
smaller allies "plug in" (Rutar 2019, §4.2). Rutar's warning is structural: interoperability then "goes through the
framework nation", it is "only assumed" that the framework nations are interoperable with one another, and the
alliance may become "regionalized". This module turns that argument into a network that can be measured.

The model (a :class:`ClusterPlan`):

- every member of a cluster is tied to its framework nation (a spoke);
- ``member_ties=True`` also ties the members of one cluster to each other (they train together, not only with
  the framework nation);
- ``lead_ties=True`` ties the framework nations to each other (Rutar's "only assumed" interoperability);
- an ally may sit in several clusters (it then bridges them); ``others`` are allies in the picture that belong to
  no cluster (they have no framework tie at all).

The measures (:func:`summarise`) count **pairs of smaller allies** (everyone except the framework nations) and sort
each pair into one of four kinds (:data:`PAIR_KINDS`): tied directly; connected through other smaller allies;
connected *only through framework nations* (every path between them passes a framework nation); not connected.
They add the number of separate **blocs** (connected groups of two or more allies: the "regionalisation"), the
longest shortest path, and the "consensus circle": the share of the allies in the picture who would sit at the
table if only the framework nations had to agree. :func:`alliance_baseline` gives the same measures for an
alliance in which every ally is tied to every other, for comparison.

Example::

    >>> plan = ClusterPlan.build({"DEU": ["NLD", "CZE"], "GBR": ["EST", "NOR"]})
    >>> interoperability_path(plan, "NLD", "EST") is None      # no ties between the framework nations
    True
    >>> plan = ClusterPlan.build({"DEU": ["NLD", "CZE"], "GBR": ["EST", "NOR"]}, lead_ties=True)
    >>> interoperability_path(plan, "NLD", "EST")
    ['NLD', 'DEU', 'GBR', 'EST']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

import pandas as pd

from alliance_course.sims import networks
from alliance_course.sims.networks import Graph, from_pairs

__all__ = [
    "PAIR_KINDS", "ClusterPlan", "Summary", "graph", "pairs_only_through", "pair_kinds", "interoperability_path",
    "summarise", "alliance_baseline", "summary_table", "clusters_from_members", "framework_ties", "ring_layout",
]

DIRECT, VIA_OTHERS, VIA_FRAMEWORK, UNCONNECTED = (
    "tied directly", "through other smaller allies", "only through framework nations", "not connected")
PAIR_KINDS: tuple[str, ...] = (DIRECT, VIA_OTHERS, VIA_FRAMEWORK, UNCONNECTED)


def _name(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"ClusterPlan: {what} must be a non-empty name, got {value!r}")
    return value


@dataclass(frozen=True)
class ClusterPlan:
    """Which smaller allies plug into which framework nation, and which other ties exist.

    ``clusters`` is a tuple of ``(framework nation, members)`` pairs in display order. Build one from a mapping
    with :meth:`build`, which checks the input.
    """

    clusters: tuple[tuple[str, tuple[str, ...]], ...]
    lead_ties: bool = False
    member_ties: bool = False
    others: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        leads = [_name(lead, "a framework nation") for lead, _ in self.clusters]
        if len(set(leads)) != len(leads):
            twice = sorted({lead for lead in leads if leads.count(lead) > 1})
            raise ValueError(f"ClusterPlan: framework nation(s) {twice} listed twice; give each one cluster")
        for lead, members in self.clusters:
            for member in members:
                _name(member, f"a member of {lead}'s cluster")
            if lead in members:
                raise ValueError(f"ClusterPlan: {lead} is the framework nation of its cluster and cannot also be "
                                 "one of its members")
            if len(set(members)) != len(members):
                raise ValueError(f"ClusterPlan: a member is listed twice in {lead}'s cluster")
        for other in self.others:
            _name(other, "an ally outside the clusters")

    @classmethod
    def build(cls, clusters: Mapping[str, Iterable[str]], *, lead_ties: bool = False, member_ties: bool = False,
              allies: Iterable[str] = ()) -> ClusterPlan:
        """A plan from ``{framework nation: members}``; ``allies`` adds allies that belong to no cluster.

        Members are de-duplicated (keeping their first position); an ally named in ``allies`` that is already in
        a cluster is simply kept there.
        """
        if not isinstance(clusters, Mapping):
            raise TypeError(f"ClusterPlan.build: clusters must map each framework nation to its members, "
                            f"got {type(clusters).__name__}")
        pairs = []
        for lead, members in clusters.items():
            if isinstance(members, str):
                raise TypeError(f"ClusterPlan.build: the members of {lead}'s cluster must be a list of names, "
                                f"not the single string {members!r}")
            pairs.append((lead, tuple(dict.fromkeys(members))))
        placed = {lead for lead, _ in pairs} | {m for _, members in pairs for m in members}
        others = tuple(a for a in dict.fromkeys(allies) if a not in placed)
        return cls(tuple(pairs), lead_ties=bool(lead_ties), member_ties=bool(member_ties), others=others)

    @property
    def framework_nations(self) -> tuple[str, ...]:
        return tuple(lead for lead, _ in self.clusters)

    @property
    def smaller_allies(self) -> tuple[str, ...]:
        """Everyone in the picture who is not a framework nation: members (first appearance) then the others."""
        leads = set(self.framework_nations)
        members = (m for _, ms in self.clusters for m in ms if m not in leads)
        return tuple(dict.fromkeys([*members, *self.others]))

    @property
    def allies(self) -> tuple[str, ...]:
        return (*self.framework_nations, *self.smaller_allies)

    def members_of(self, lead: str) -> tuple[str, ...]:
        for name, members in self.clusters:
            if name == lead:
                return members
        raise KeyError(f"{lead!r} is not a framework nation of this plan ({', '.join(self.framework_nations)})")


def graph(plan: ClusterPlan) -> Graph:
    """The plan as a network: framework nations first, then the smaller allies, in the plan's order."""
    ties: list[tuple[str, str]] = []
    for lead, members in plan.clusters:
        ties += [(member, lead) for member in members]
        if plan.member_ties:
            ties += list(combinations(members, 2))
    if plan.lead_ties:
        ties += list(combinations(plan.framework_nations, 2))
    return from_pairs(ties, nodes=plan.allies)


def _require_nodes(g: Graph, names: Iterable[str], what: str) -> list[str]:
    names = list(names)
    unknown = [n for n in names if n not in g.nodes]
    if unknown:
        raise KeyError(f"{what}: {unknown!r} not in the network (nodes: {', '.join(g.nodes)})")
    return names


def pairs_only_through(g: Graph, hubs: Iterable[str], among: Iterable[str] | None = None) -> set[frozenset[str]]:
    """Pairs that are connected in ``g`` but lose contact when *all* ``hubs`` are taken out.

    With one hub this is :func:`networks.reachable_only_through`; with several framework nations it answers "who
    connects to whom only through a framework nation?". ``among`` restricts the pairs to these nodes (default:
    every node that is not a hub).
    """
    hubs = _require_nodes(g, hubs, "pairs_only_through: hubs")
    hub_set = set(hubs)
    nodes = [n for n in g.nodes if n not in hub_set] if among is None else _require_nodes(g, among, "among")
    if hub_set & set(nodes):
        raise ValueError(f"pairs_only_through: {sorted(hub_set & set(nodes))} cannot be both a hub and in 'among'")
    before = networks.components(networks.adjacency(g))
    after = networks.components(networks.adjacency(g, leave_out=hub_set))
    return {frozenset(pair) for pair in combinations(nodes, 2)
            if before[pair[0]] == before[pair[1]] and after[pair[0]] != after[pair[1]]}


def pair_kinds(g: Graph, hubs: Iterable[str], among: Iterable[str] | None = None) -> dict[frozenset[str], str]:
    """Each pair of ``among`` (default: the non-hubs) with its kind, one of :data:`PAIR_KINDS`."""
    hub_set = set(_require_nodes(g, hubs, "pair_kinds: hubs"))
    nodes = [n for n in g.nodes if n not in hub_set] if among is None else _require_nodes(g, among, "among")
    only_via_hubs = pairs_only_through(g, hub_set, nodes)
    component = networks.components(networks.adjacency(g))
    kinds: dict[frozenset[str], str] = {}
    for a, b in combinations(nodes, 2):
        pair = frozenset((a, b))
        if pair in g.edges:
            kinds[pair] = DIRECT
        elif component[a] != component[b]:
            kinds[pair] = UNCONNECTED
        elif pair in only_via_hubs:
            kinds[pair] = VIA_FRAMEWORK
        else:
            kinds[pair] = VIA_OTHERS
    return kinds


def interoperability_path(plan: ClusterPlan, a: str, b: str) -> list[str] | None:
    """A shortest chain of ties from ``a`` to ``b`` (both included), or None if they are not connected.

    Ties are broken by the plan's order of allies, so the answer is always the same.
    """
    g = graph(plan)
    _require_nodes(g, [a, b], "interoperability_path")
    return networks.shortest_path(g, a, b)


@dataclass(frozen=True)
class Summary:
    """The measures of one network of allies (see the module docstring)."""

    allies: int
    framework_nations: int
    blocs: int
    isolated: int
    pairs: int
    shares: dict[str, float]  # kind of pair (PAIR_KINDS) -> share of pairs of smaller allies, 0–1
    longest_path: int | None  # most ties between two connected smaller allies; None if no pair is connected
    mean_path: float | None  # average ties between two connected smaller allies; None if no pair is connected
    consensus_circle: float  # share of the allies who decide if only the framework nations must agree

    def as_dict(self) -> dict[str, object]:
        """The measures with plain-language names, in display order."""
        longest = "—" if self.longest_path is None else self.longest_path
        mean = "—" if self.mean_path is None else round(self.mean_path, 2)
        return {
            "allies in the picture": self.allies,
            "framework nations": self.framework_nations,
            "separate blocs (regionalisation)": self.blocs,
            "allies with no tie at all": self.isolated,
            "pairs of smaller allies": self.pairs,
            **{f"pairs {kind} (%)": round(100 * share, 1) for kind, share in self.shares.items()},
            "average path between two smaller allies (ties)": mean,
            "longest path between two smaller allies (ties)": longest,
            "share of allies at the table if only framework nations decide (%)":
                round(100 * self.consensus_circle, 1),
        }


def _summary(g: Graph, hubs: list[str], deciders: int) -> Summary:
    hub_set = set(hubs)
    smaller = [n for n in g.nodes if n not in hub_set]
    kinds = pair_kinds(g, hubs, smaller)
    total = len(kinds)
    shares = {kind: (sum(k == kind for k in kinds.values()) / total if total else 0.0) for kind in PAIR_KINDS}
    adjacent = networks.adjacency(g)
    sizes: dict[int, int] = {}
    for label in networks.components(adjacent).values():
        sizes[label] = sizes.get(label, 0) + 1
    smaller_set = set(smaller)
    lengths = [d for node in smaller for other, d in networks.distances(adjacent, node).items()
               if other in smaller_set and other != node]
    n = len(g.nodes)
    return Summary(
        allies=n,
        framework_nations=len(hubs),
        blocs=sum(size >= 2 for size in sizes.values()),
        isolated=sum(not neighbours for neighbours in adjacent.values()),
        pairs=total,
        shares=shares,
        longest_path=max(lengths) if lengths else None,
        mean_path=sum(lengths) / len(lengths) if lengths else None,
        consensus_circle=deciders / n if n else 0.0,
    )


def summarise(plan: ClusterPlan) -> Summary:
    """The measures of a plan: blocs, kinds of pairs of smaller allies, longest path, consensus circle."""
    return _summary(graph(plan), list(plan.framework_nations), deciders=len(plan.framework_nations))


def alliance_baseline(plan: ClusterPlan) -> Summary:
    """The same allies as an alliance: everyone tied to everyone, and every ally has a say."""
    allies = plan.allies
    g = from_pairs(combinations(allies, 2), nodes=allies)
    return _summary(g, list(plan.framework_nations), deciders=len(allies))


def summary_table(plan: ClusterPlan, label: str = "your clusters") -> pd.DataFrame:
    """The plan's measures next to the alliance baseline, one row per measure (for display)."""
    mine, alliance = summarise(plan).as_dict(), alliance_baseline(plan).as_dict()
    baseline = pd.Series(list(alliance.values()), index=list(alliance), dtype=object)
    return pd.DataFrame({label: pd.Series(list(mine.values()), index=list(mine), dtype=object),
                         "alliance (everyone tied to everyone)": baseline})


def clusters_from_members(members: pd.DataFrame, roles: Iterable[str] = ("member",)) -> dict[str, list[str]]:
    """``{framework nation: [members]}`` from a table shaped like the course's ``framework_group_members``.

    Needs the columns ``group_id``, ``iso3`` and ``role``; each group's row with role ``lead`` names its framework
    nation, and rows whose role is in ``roles`` (default: full members, not observers) are its members. Two groups
    with the same lead are merged.
    """
    missing = [c for c in ("group_id", "iso3", "role") if c not in members.columns]
    if missing:
        raise ValueError(f"clusters_from_members: the table has no column(s) {missing} "
                         "(expected the shape of data.load('framework_group_members'))")
    roles = set(roles)
    lead_of: dict[str, str] = {}
    for row in members.loc[members["role"] == "lead"].itertuples(index=False):
        if row.group_id in lead_of:
            raise ValueError(f"clusters_from_members: group {row.group_id!r} has more than one row with role 'lead'")
        lead_of[row.group_id] = row.iso3
    clusters: dict[str, list[str]] = {lead: [] for lead in lead_of.values()}
    for row in members.itertuples(index=False):
        if row.role not in roles:
            continue
        if row.group_id not in lead_of:
            raise ValueError(f"clusters_from_members: group {row.group_id!r} has members but no row with role "
                             "'lead' naming its framework nation")
        if row.iso3 not in clusters[lead_of[row.group_id]]:
            clusters[lead_of[row.group_id]].append(row.iso3)
    return clusters


def _circular_mean(angles: Iterable[float]) -> float:
    angles = list(angles)
    return math.atan2(sum(map(math.sin, angles)), sum(map(math.cos, angles))) % (2 * math.pi)


def ring_layout(g: Graph, hubs: Iterable[str], *, inner: float = 0.45) -> dict[str, tuple[float, float]]:
    """Positions for drawing clusters: ``hubs`` on an inner ring, everyone else on the outer ring beside the hubs
    they are tied to (so a cluster's members sit together and fewer ties cross).

    Hubs go clockwise from the top in the order given. Each other node gets the average direction of its hubs;
    the outer ring keeps that order with even spacing. Nodes tied to no hub come last, in the graph's order.
    """
    hubs = _require_nodes(g, hubs, "ring_layout: hubs")
    if len(set(hubs)) != len(hubs):
        raise ValueError("ring_layout: a hub is listed twice")
    if not 0 < inner < 1:
        raise ValueError(f"ring_layout: inner must be between 0 and 1 (the outer ring's radius), got {inner}")
    angle = {hub: 2 * math.pi * i / len(hubs) for i, hub in enumerate(hubs)}
    pos = {hub: (0.0, 0.0) if len(hubs) == 1 else (inner * math.sin(a), inner * math.cos(a))
           for hub, a in angle.items()}
    adjacent = networks.adjacency(g)
    others = [n for n in g.nodes if n not in angle]
    wanted = {n: _circular_mean(angle[h] for h in adjacent[n] if h in angle) for n in others
              if any(h in angle for h in adjacent[n])}
    order = sorted(wanted, key=lambda n: wanted[n]) + [n for n in others if n not in wanted]
    m = len(order)
    if not m:
        return pos
    step = 2 * math.pi / m
    offset = _circular_mean(wanted[n] - i * step for i, n in enumerate(order) if n in wanted) if wanted else 0.0
    pos.update({n: (math.sin(offset + i * step), math.cos(offset + i * step)) for i, n in enumerate(order)})
    return pos


def framework_ties(members: pd.DataFrame | None = None, contributors: pd.DataFrame | None = None
                   ) -> list[tuple[str, str]]:
    """Ties ``(country, framework nation)`` from tables shaped like the course's framework and eFP tables.

    - ``members`` (like ``framework_group_members``): each full member is tied to its group's lead.
    - ``contributors`` (like ``efp_contributors``): each contributor is tied to the framework nation(s) of its host
      that were in charge in the year it started, and each host to its framework nation(s) (not to itself, as
      when a host leads its own battlegroup).

    Pass either table or both; ties come in table order, each once.
    """
    ties: list[tuple[str, str]] = []
    if members is not None:
        ties += [(member, lead) for lead, group in clusters_from_members(members).items() for member in group]
    if contributors is not None:
        missing = [c for c in ("host_iso3", "iso3", "role", "start_year", "end_year") if c not in contributors.columns]
        if missing:
            raise ValueError(f"framework_ties: the contributors table has no column(s) {missing} "
                             "(expected the shape of data.load('efp_contributors'))")
        leads = contributors.loc[contributors["role"] == "framework", ["host_iso3", "iso3", "start_year", "end_year"]]
        served = contributors.loc[contributors["role"] == "contributor"].merge(
            leads, on="host_iso3", suffixes=("", "_lead"))
        in_charge = (served["start_year"] >= served["start_year_lead"]) & (
            served["end_year_lead"].isna() | (served["start_year"] <= served["end_year_lead"]))
        ties += list(zip(served.loc[in_charge, "iso3"], served.loc[in_charge, "iso3_lead"]))
        hosts = leads[leads["host_iso3"] != leads["iso3"]]
        ties += list(zip(hosts["host_iso3"], hosts["iso3"]))
    return list(dict.fromkeys(ties))
