"""Alliance and coalition networks: construction, measures, paths, cut pairs, layout and drawing."""

from __future__ import annotations

import math
from itertools import combinations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from alliance_course.plots import PALETTE  # noqa: E402
from alliance_course.sims import networks as nw  # noqa: E402

NAMES = st.lists(st.text(alphabet="ABCDEFGHIJ", min_size=1, max_size=3), min_size=1, max_size=9, unique=True)


@st.composite
def graphs(draw_):
    nodes = draw_(NAMES)
    possible = list(combinations(nodes, 2))
    chosen = draw_(st.lists(st.sampled_from(possible), max_size=len(possible))) if possible else []
    return nw.from_pairs(chosen, nodes=nodes)


def _distances(g: nw.Graph) -> dict[tuple[str, str], float]:
    """All-pairs shortest distances by Floyd–Warshall: an independent check on the BFS."""
    d = {(a, b): 0.0 if a == b else (1.0 if frozenset((a, b)) in g.edges else math.inf)
         for a in g.nodes for b in g.nodes}
    for k in g.nodes:
        for a in g.nodes:
            for b in g.nodes:
                d[a, b] = min(d[a, b], d[a, k] + d[k, b])
    return d


# --- construction -------------------------------------------------------------------------------------------------

def test_complete_ties_every_pair():
    g = nw.complete(["UK", "France", "Germany", "Italy"])
    assert g.nodes == ("UK", "France", "Germany", "Italy")
    assert len(g.edges) == 6
    assert frozenset(("Germany", "UK")) in g.edges


def test_hub_and_spoke_ties_only_to_the_hub():
    g = nw.hub_and_spoke("USA", ["UK", "Egypt", "Syria"])
    assert g.nodes == ("USA", "UK", "Egypt", "Syria")
    assert g.edges == {frozenset(("USA", s)) for s in ("UK", "Egypt", "Syria")}
    assert g.neighbours("UK") == ["USA"]


def test_from_pairs_keeps_order_merges_repeats_and_adds_isolated_nodes():
    g = nw.from_pairs([("B", "A"), ("A", "B"), ("C", "B")], nodes=["Z"])
    assert g.nodes == ("Z", "B", "A", "C")
    assert len(g.edges) == 2
    assert nw.degree(g) == {"Z": 0, "B": 2, "A": 1, "C": 1}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: nw.from_pairs([("A", "A")]), "ties 'A' to itself"),
        (lambda: nw.from_pairs([("A", "B", "C")]), "pair 0 must have exactly two"),
        (lambda: nw.Graph(("A", "A"), frozenset()), "listed twice"),
        (lambda: nw.Graph(("A",), frozenset({frozenset(("A", "B"))})), "unknown node(s) ['B']"),
        (lambda: nw.Graph(("A", ""), frozenset()), "non-empty string"),
    ],
)
def test_bad_graphs_are_refused_with_a_clear_message(make, message):
    with pytest.raises(ValueError) as err:
        make()
    assert message in str(err.value)


def test_graph_is_frozen():
    g = nw.complete(["A", "B"])
    with pytest.raises(AttributeError):
        g.nodes = ("C",)  # type: ignore[misc]


def test_unknown_node_is_named_in_the_error():
    g = nw.complete(["A", "B"])
    with pytest.raises(KeyError, match="'Q' is not a node"):
        nw.shortest_path(g, "A", "Q")


# --- measures -----------------------------------------------------------------------------------------------------

def test_density_of_the_two_shapes():
    assert nw.density(nw.complete(list("ABCDE"))) == 1.0
    assert nw.density(nw.hub_and_spoke("H", list("ABCD"))) == pytest.approx(4 / 10)
    assert nw.density(nw.complete(["A"])) == 0.0
    assert nw.density(nw.from_pairs([], nodes=["A", "B"])) == 0.0


@given(st.integers(min_value=2, max_value=30))
def test_alliance_is_dense_and_coalition_density_falls_with_size(n):
    members = [f"m{i}" for i in range(n)]
    assert nw.density(nw.complete(members)) == 1.0
    assert set(nw.degree(nw.complete(members)).values()) == {n - 1}
    star = nw.hub_and_spoke(members[0], members[1:])
    assert nw.density(star) == pytest.approx(2 / n)
    assert nw.degree(star)[members[0]] == n - 1


@given(graphs())
def test_degrees_sum_to_twice_the_ties(g):
    assert sum(nw.degree(g).values()) == 2 * len(g.edges)
    assert 0.0 <= nw.density(g) <= 1.0


# --- paths --------------------------------------------------------------------------------------------------------

def test_shortest_path_in_a_coalition_goes_through_the_lead():
    g = nw.hub_and_spoke("USA", ["UK", "France", "Egypt"])
    assert nw.shortest_path(g, "UK", "Egypt") == ["UK", "USA", "Egypt"]
    assert nw.shortest_path(g, "UK", "UK") == ["UK"]
    assert nw.shortest_path(nw.complete(["UK", "France", "Egypt"]), "UK", "Egypt") == ["UK", "Egypt"]


def test_shortest_path_is_none_when_unreachable():
    g = nw.from_pairs([("A", "B"), ("C", "D")])
    assert nw.shortest_path(g, "A", "D") is None


@given(graphs(), st.data())
def test_bfs_matches_floyd_warshall_and_walks_real_ties(g, data):
    a = data.draw(st.sampled_from(g.nodes))
    b = data.draw(st.sampled_from(g.nodes))
    path = nw.shortest_path(g, a, b)
    expected = _distances(g)[a, b]
    if math.isinf(expected):
        assert path is None
    else:
        assert path is not None and path[0] == a and path[-1] == b
        assert len(path) - 1 == expected
        assert all(edge in g.edges for edge in nw.path_edges(path))


def test_path_edges():
    assert nw.path_edges(["A", "B", "C"]) == [frozenset("AB"), frozenset("BC")]
    assert nw.path_edges(["A"]) == []


# --- cut pairs ----------------------------------------------------------------------------------------------------

def test_every_partner_pair_depends_on_the_lead_nation():
    g = nw.hub_and_spoke("USA", ["UK", "France", "Egypt"])
    assert nw.reachable_only_through(g, "USA") == {
        frozenset(("UK", "France")), frozenset(("UK", "Egypt")), frozenset(("France", "Egypt"))}
    assert nw.reachable_only_through(g, "UK") == set()


def test_no_pair_depends_on_one_ally():
    g = nw.complete(["A", "B", "C", "D"])
    assert all(nw.reachable_only_through(g, n) == set() for n in g.nodes)


def test_two_clusters_joined_by_their_framework_nations():
    # DEU leads A, B; GBR leads C; the two framework nations are tied to each other.
    g = nw.from_pairs([("DEU", "A"), ("DEU", "B"), ("GBR", "C"), ("DEU", "GBR")])
    assert nw.reachable_only_through(g, "DEU") == {
        frozenset(p) for p in [("A", "B"), ("A", "GBR"), ("A", "C"), ("B", "GBR"), ("B", "C")]}
    assert nw.reachable_only_through(g, "GBR") == {frozenset(p) for p in [("C", "DEU"), ("C", "A"), ("C", "B")]}


def test_unconnected_pairs_are_not_counted():
    g = nw.from_pairs([("H", "A")], nodes=["H", "A", "Z"])
    assert nw.reachable_only_through(g, "H") == set()


@given(graphs(), st.data())
def test_cut_pairs_agree_with_removing_the_node(g, data):
    via = data.draw(st.sampled_from(g.nodes))
    rest = g.without(via)
    expected = {frozenset((a, b)) for a, b in combinations(rest.nodes, 2)
                if nw.shortest_path(g, a, b) is not None and nw.shortest_path(rest, a, b) is None}
    assert nw.reachable_only_through(g, via) == expected


# --- layout and drawing -------------------------------------------------------------------------------------------

def test_circle_layout_puts_nodes_on_the_unit_circle_from_the_top():
    g = nw.complete(["A", "B", "C", "D"])
    pos = nw.circle_layout(g)
    assert pos["A"] == pytest.approx((0.0, 1.0))
    assert pos["B"] == pytest.approx((1.0, 0.0))  # clockwise
    assert all(math.hypot(*p) == pytest.approx(1.0) for p in pos.values())


def test_circle_layout_with_a_centre_and_with_several_centres():
    g = nw.hub_and_spoke("H", ["A", "B", "C"])
    pos = nw.circle_layout(g, centre="H")
    assert pos["H"] == (0.0, 0.0)
    assert all(math.hypot(*pos[n]) == pytest.approx(1.0) for n in "ABC")
    two = nw.circle_layout(g, centre=["H", "A"])
    assert math.hypot(*two["H"]) == pytest.approx(0.4) and math.hypot(*two["A"]) == pytest.approx(0.4)
    with pytest.raises(KeyError, match="'Q' is not a node"):
        nw.circle_layout(g, centre="Q")


def test_draw_puts_every_tie_and_label_on_the_axes():
    g = nw.hub_and_spoke("USA", ["UK", "France", "Egypt"])
    fig, ax = plt.subplots()
    path = nw.shortest_path(g, "UK", "Egypt")
    out = nw.draw(g, ax, pos=nw.circle_layout(g, centre="USA"), highlight=["USA", *nw.path_edges(path)],
                  node_colours={"USA": PALETTE["orange"]}, title="Gulf War coalition")
    assert out is ax
    assert [t.get_text() for t in ax.texts] == ["USA", "UK", "France", "Egypt"]
    assert ax.get_title() == "Gulf War coalition"
    ties = {c.get_gid(): c for c in ax.collections if c.get_gid()}
    assert len(ties["ties"].get_segments()) == 1 and ties["ties"].get_linewidth()[0] < 2  # France-USA
    thick = ties["highlighted ties"]  # UK-USA and USA-Egypt, the path
    assert len(thick.get_segments()) == 2 and thick.get_linewidth()[0] > 2
    assert matplotlib.colors.to_hex(thick.get_color()[0]) == PALETTE["vermillion"].lower()
    nodes = next(c for c in ax.collections if not c.get_gid())
    faces = [matplotlib.colors.to_hex(face) for face in nodes.get_facecolor()]
    assert faces == [PALETTE["orange"].lower()] + [PALETTE["blue"].lower()] * 3  # USA first, as in g.nodes
    outlines = [matplotlib.colors.to_hex(edge) for edge in nodes.get_edgecolor()]
    assert outlines[0] == "#000000" and set(outlines[1:]) == {"#ffffff"}  # the highlighted node is outlined
    plt.close(fig)


def test_draw_frames_circle_layouts_alike_and_fits_other_layouts():
    fig, (a, b, c) = plt.subplots(1, 3)
    nw.draw(nw.complete(list("ABCDEFGH")), a)
    star = nw.hub_and_spoke("H", ["A", "B", "C"])
    nw.draw(star, b, pos=nw.circle_layout(star, centre="H"))
    assert a.get_xlim() == b.get_xlim() == a.get_ylim() == b.get_ylim()
    nw.draw(nw.from_pairs([("A", "B")]), c, pos={"A": (10.0, 0.0), "B": (14.0, 2.0)})
    (x0, x1), (y0, y1) = c.get_xlim(), c.get_ylim()
    assert x0 < 10 and x1 > 14 and y0 < 0 and y1 > 2
    plt.close(fig)


def test_draw_refuses_missing_positions():
    g = nw.complete(["A", "B"])
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"no position for node\(s\) \['B'\]"):
        nw.draw(g, ax, pos={"A": (0.0, 0.0)})
    plt.close(fig)


def test_draw_takes_a_marker_per_node():
    from matplotlib.markers import MarkerStyle
    g = nw.from_pairs([("A", "B")])
    fig, ax = plt.subplots()
    nw.draw(g, ax, pos={"A": (0.0, 0.0), "B": (1.0, 0.0)}, node_markers={"A": "s"})
    square = MarkerStyle("s").get_path().transformed(MarkerStyle("s").get_transform())
    paths = [c.get_paths()[0] for c in ax.collections if not c.get_gid()]  # the node scatters, not the ties
    assert any(len(p.vertices) == len(square.vertices) for p in paths)
    assert len({len(p.vertices) for p in paths}) == 2  # a square and a circle
    plt.close(fig)
