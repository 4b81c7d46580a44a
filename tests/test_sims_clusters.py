"""The cluster builder: plans, the network they make, paths, the kinds of pairs, measures, and the widget."""

from __future__ import annotations

import math
from itertools import combinations

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from alliance_course import data  # noqa: E402
from alliance_course.sims import clusters as cl  # noqa: E402
from alliance_course.sims import clusters_view as view  # noqa: E402
from alliance_course.sims import networks as nw  # noqa: E402

LEADS = ("DEU", "GBR", "ITA")
SMALL = ("NLD", "CZE", "EST", "NOR", "SVN", "ALB", "AUT", "FIN")


@st.composite
def plans(draw_):
    """Random plans: 1–3 framework nations, each with any subset of eight smaller allies (overlaps allowed)."""
    leads = draw_(st.lists(st.sampled_from(LEADS), min_size=1, max_size=3, unique=True))
    clusters = {lead: draw_(st.lists(st.sampled_from(SMALL), unique=True, max_size=5)) for lead in leads}
    return cl.ClusterPlan.build(clusters, lead_ties=draw_(st.booleans()), member_ties=draw_(st.booleans()))


@st.composite
def graphs(draw_):
    nodes = draw_(st.lists(st.sampled_from("ABCDEFGH"), min_size=2, max_size=8, unique=True))
    possible = list(combinations(nodes, 2))
    chosen = draw_(st.lists(st.sampled_from(possible), max_size=len(possible)))
    return nw.from_pairs(chosen, nodes=nodes)


def _hop_distance(g: nw.Graph, a: str, b: str) -> float:
    """Shortest distance by repeated relaxation (Bellman–Ford style): an independent check on the BFS."""
    dist = {n: (0 if n == a else float("inf")) for n in g.nodes}
    for _ in g.nodes:
        for edge in g.edges:
            x, y = tuple(edge)
            dist[x] = min(dist[x], dist[y] + 1)
            dist[y] = min(dist[y], dist[x] + 1)
    return dist[b]


# --- building a plan ----------------------------------------------------------------------------------------------

def test_build_keeps_order_and_drops_repeated_members():
    plan = cl.ClusterPlan.build({"GBR": ["EST", "NOR", "EST"], "DEU": ["NLD"]}, allies=["POL", "EST"])
    assert plan.framework_nations == ("GBR", "DEU")
    assert plan.members_of("GBR") == ("EST", "NOR")
    assert plan.smaller_allies == ("EST", "NOR", "NLD", "POL")  # POL is in the picture but in no cluster
    assert plan.allies == ("GBR", "DEU", "EST", "NOR", "NLD", "POL")


def test_a_framework_nation_cannot_be_a_member_of_its_own_cluster():
    with pytest.raises(ValueError, match="DEU is the framework nation of its cluster"):
        cl.ClusterPlan.build({"DEU": ["NLD", "DEU"]})


def test_members_given_as_one_string_are_refused_with_a_clear_message():
    with pytest.raises(TypeError, match="members of DEU's cluster must be a list"):
        cl.ClusterPlan.build({"DEU": "NLD"})


def test_a_framework_nation_listed_twice_is_refused():
    with pytest.raises(ValueError, match=r"\['DEU'\] listed twice"):
        cl.ClusterPlan(clusters=(("DEU", ("NLD",)), ("DEU", ("CZE",))))


def test_empty_names_are_refused():
    with pytest.raises(ValueError, match="member of DEU's cluster"):
        cl.ClusterPlan.build({"DEU": ["NLD", " "]})


def test_members_of_an_unknown_framework_nation_names_the_valid_ones():
    plan = cl.ClusterPlan.build({"DEU": ["NLD"]})
    with pytest.raises(KeyError, match="'FRA' is not a framework nation of this plan"):
        plan.members_of("FRA")


# --- the network ----------------------------------------------------------------------------------------------------

def test_spokes_only_tie_each_member_to_its_framework_nation():
    g = cl.graph(cl.ClusterPlan.build({"DEU": ["NLD", "CZE"], "GBR": ["EST"]}))
    assert g.edges == {frozenset(p) for p in [("NLD", "DEU"), ("CZE", "DEU"), ("EST", "GBR")]}


def test_switches_add_member_ties_and_lead_ties():
    plan = cl.ClusterPlan.build({"DEU": ["NLD", "CZE", "AUT"], "GBR": ["EST", "NOR"], "ITA": ["SVN"]},
                                member_ties=True, lead_ties=True)
    g = cl.graph(plan)
    # 6 spokes + within-cluster ties (3 among DEU's three members, 1 among GBR's two) + 3 ties among the leads
    assert len(g.edges) == 6 + 3 + 1 + 3
    assert frozenset(("NLD", "AUT")) in g.edges and frozenset(("GBR", "ITA")) in g.edges
    assert frozenset(("NLD", "EST")) not in g.edges


# --- paths ------------------------------------------------------------------------------------------------------------

def test_separate_clusters_without_lead_ties_are_not_connected():
    plan = cl.ClusterPlan.build({"DEU": ["NLD", "CZE"], "GBR": ["EST", "NOR"]})
    assert cl.interoperability_path(plan, "NLD", "EST") is None
    assert cl.interoperability_path(plan, "NLD", "CZE") == ["NLD", "DEU", "CZE"]


def test_a_shared_member_bridges_two_clusters():
    plan = cl.ClusterPlan.build({"DEU": ["CZE", "FIN"], "GBR": ["FIN", "EST"]})
    assert cl.interoperability_path(plan, "CZE", "EST") == ["CZE", "DEU", "FIN", "GBR", "EST"]


def test_lead_ties_give_a_three_step_path_between_members_of_different_clusters():
    plan = cl.ClusterPlan.build({"DEU": ["CZE", "FIN"], "GBR": ["FIN", "EST"]}, lead_ties=True)
    assert cl.interoperability_path(plan, "CZE", "EST") == ["CZE", "DEU", "GBR", "EST"]


def test_a_path_to_an_ally_outside_the_picture_is_refused():
    plan = cl.ClusterPlan.build({"DEU": ["CZE"]})
    with pytest.raises(KeyError, match="interoperability_path"):
        cl.interoperability_path(plan, "CZE", "POL")


@settings(max_examples=150, deadline=None)
@given(plans(), st.data())
def test_every_path_is_a_shortest_chain_of_real_ties(plan, choice):
    a = choice.draw(st.sampled_from(plan.allies))
    b = choice.draw(st.sampled_from(plan.allies))
    g = cl.graph(plan)
    path = cl.interoperability_path(plan, a, b)
    distance = _hop_distance(g, a, b)
    if path is None:
        assert distance == float("inf")
    else:
        assert path[0] == a and path[-1] == b
        assert all(frozenset(step) in g.edges for step in zip(path, path[1:]))
        assert len(path) - 1 == distance


# --- who connects only through framework nations --------------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(graphs(), st.data())
def test_with_one_hub_pairs_only_through_agrees_with_the_networks_module(g, choice):
    hub = choice.draw(st.sampled_from(g.nodes))
    assert cl.pairs_only_through(g, [hub]) == nw.reachable_only_through(g, hub)


def test_pairs_only_through_several_framework_nations():
    # EST–GBR–FRA–DEU–CZE: cutting GBR alone or DEU alone separates EST from CZE, and so does cutting both.
    g = nw.from_pairs([("EST", "GBR"), ("GBR", "FRA"), ("FRA", "DEU"), ("DEU", "CZE"), ("NOR", "NLD")])
    only = cl.pairs_only_through(g, ["GBR", "DEU"])
    assert frozenset(("EST", "CZE")) in only
    assert frozenset(("EST", "FRA")) in only
    assert frozenset(("NOR", "NLD")) not in only  # they are tied directly
    assert frozenset(("EST", "NOR")) not in only  # never connected at all


def test_pairs_only_through_refuses_a_node_that_is_both_hub_and_pair_member():
    g = nw.from_pairs([("A", "B")])
    with pytest.raises(ValueError, match="both a hub and in 'among'"):
        cl.pairs_only_through(g, ["A"], among=["A", "B"])


def test_pair_kinds_on_a_hand_computed_example():
    # Two clusters of two members each, no lead ties: the two within-cluster pairs go through the framework
    # nation, the four cross pairs are not connected.
    plan = cl.ClusterPlan.build({"DEU": ["NLD", "CZE"], "GBR": ["EST", "NOR"]})
    s = cl.summarise(plan)
    assert s.pairs == 6
    assert s.shares[cl.VIA_FRAMEWORK] == pytest.approx(2 / 6)
    assert s.shares[cl.UNCONNECTED] == pytest.approx(4 / 6)
    assert s.blocs == 2
    assert s.longest_path == 2 and s.mean_path == pytest.approx(2.0)
    assert s.consensus_circle == pytest.approx(2 / 6)


def test_member_ties_turn_within_cluster_pairs_into_direct_ties():
    plan = cl.ClusterPlan.build({"DEU": ["NLD", "CZE", "AUT"]}, member_ties=True)
    assert cl.summarise(plan).shares[cl.DIRECT] == pytest.approx(1.0)


def test_pairs_through_other_smaller_allies_are_counted_separately():
    # With member ties, NLD–AUT is a tie inside DEU's cluster and AUT–SVN one inside ITA's cluster, so the path
    # NLD–AUT–SVN avoids both framework nations.
    plan = cl.ClusterPlan.build({"DEU": ["NLD", "AUT"], "ITA": ["AUT", "SVN"]}, member_ties=True)
    kinds = cl.pair_kinds(cl.graph(plan), plan.framework_nations)
    assert kinds[frozenset(("NLD", "SVN"))] == cl.VIA_OTHERS
    assert kinds[frozenset(("NLD", "AUT"))] == cl.DIRECT


@settings(max_examples=150, deadline=None)
@given(plans())
def test_shares_cover_every_pair_of_smaller_allies(plan):
    s = cl.summarise(plan)
    m = len(plan.smaller_allies)
    assert s.pairs == m * (m - 1) // 2
    if s.pairs:
        assert sum(s.shares.values()) == pytest.approx(1.0)
    assert set(s.shares) == set(cl.PAIR_KINDS)


@settings(max_examples=150, deadline=None)
@given(plans())
def test_tying_the_framework_nations_never_splits_the_alliance_further(plan):
    without = cl.summarise(cl.ClusterPlan(plan.clusters, lead_ties=False, member_ties=plan.member_ties))
    with_ties = cl.summarise(cl.ClusterPlan(plan.clusters, lead_ties=True, member_ties=plan.member_ties))
    # separate pieces = blocs of two or more allies + allies with no tie at all
    assert with_ties.blocs + with_ties.isolated <= without.blocs + without.isolated
    assert with_ties.shares[cl.UNCONNECTED] <= without.shares[cl.UNCONNECTED]
    if all(members for _, members in plan.clusters):
        assert with_ties.blocs == 1


def test_the_alliance_baseline_ties_everyone_directly_and_gives_everyone_a_say():
    plan = cl.ClusterPlan.build({"DEU": ["NLD", "CZE"], "GBR": ["EST", "NOR"]})
    base = cl.alliance_baseline(plan)
    assert base.shares[cl.DIRECT] == 1.0
    assert base.blocs == 1 and base.longest_path == 1
    assert base.consensus_circle == 1.0


def test_a_framework_nation_without_members_is_isolated_and_no_pair_is_connected():
    plan = cl.ClusterPlan.build({"DEU": [], "GBR": []})
    s = cl.summarise(plan)
    assert s.isolated == 2 and s.blocs == 0 and s.pairs == 0
    assert s.longest_path is None and s.mean_path is None


def test_summary_table_puts_the_plan_next_to_the_alliance():
    table = cl.summary_table(cl.ClusterPlan.build({"DEU": ["NLD", "CZE"]}), label="mine")
    assert list(table.columns) == ["mine", "alliance (everyone tied to everyone)"]
    assert table.loc["pairs only through framework nations (%)", "mine"] == 100.0
    assert table.loc["pairs tied directly (%)", "alliance (everyone tied to everyone)"] == 100.0


# --- from the course table ----------------------------------------------------------------------------------------

def test_clusters_from_members_reads_leads_and_skips_observers():
    table = pd.DataFrame({
        "group_id": ["a", "a", "a", "b", "b"],
        "iso3": ["ITA", "SVN", "MKD", "GBR", "EST"],
        "role": ["lead", "member", "observer", "lead", "member"],
    })
    assert cl.clusters_from_members(table) == {"ITA": ["SVN"], "GBR": ["EST"]}
    assert cl.clusters_from_members(table, roles=("member", "observer")) == {"ITA": ["SVN", "MKD"], "GBR": ["EST"]}


def test_clusters_from_members_names_missing_columns_and_missing_leads():
    with pytest.raises(ValueError, match=r"no column\(s\) \['role'\]"):
        cl.clusters_from_members(pd.DataFrame({"group_id": ["a"], "iso3": ["ITA"]}))
    with pytest.raises(ValueError, match="group 'b' has members but no row with role 'lead'"):
        cl.clusters_from_members(pd.DataFrame({"group_id": ["b"], "iso3": ["EST"], "role": ["member"]}))
    with pytest.raises(ValueError, match="more than one row with role 'lead'"):
        cl.clusters_from_members(pd.DataFrame({"group_id": ["a", "a"], "iso3": ["ITA", "DEU"],
                                               "role": ["lead", "lead"]}))


def test_the_course_data_gives_the_jef_its_nine_members_besides_the_uk():
    clusters = cl.clusters_from_members(data.load("framework_group_members"))
    assert sorted(clusters["GBR"]) == ["DNK", "EST", "FIN", "ISL", "LTU", "LVA", "NLD", "NOR", "SWE"]
    assert "MKD" not in clusters["ITA"]  # an observer, not a member


# --- the widget -------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def builder():
    return view.widget()


def test_widget_starts_from_the_course_data(builder):
    expected = cl.clusters_from_members(data.load("framework_group_members"))
    assert builder.preset.value == view.DATA_PRESET
    for lead in LEADS:
        assert set(builder.pickers[lead].value) == set(expected[lead])
    assert "<svg" in builder.image.svg
    assert "France" in builder.left_out.value  # not in any of the three groups


def test_widget_path_and_lead_ties(builder):
    builder.preset.value = view.DATA_PRESET
    builder.lead_ties.value = False
    builder.path_from.value, builder.path_to.value = "EST", "SVN"
    assert "6 ties" in builder.path_text.value and "Finland" in builder.path_text.value
    before = builder.image.svg
    builder.lead_ties.value = True
    assert "3 ties" in builder.path_text.value
    assert "Estonia → United Kingdom → Italy → Slovenia" in builder.path_text.value
    assert builder.image.svg != before
    builder.lead_ties.value = False


def test_widget_picking_members_changes_the_plan_and_the_table(builder):
    builder.preset.value = view.EMPTY_PRESET
    assert all(picker.value == () for picker in builder.pickers.values())
    assert "No path" in builder.path_text.value  # three framework nations and no ties at all
    builder.pickers["DEU"].value = ("POL", "CZE")
    assert builder.plan().members_of("DEU") == ("POL", "CZE")
    assert "Poland" not in builder.left_out.value
    assert "pairs only through framework nations" in builder.table.value
    builder.member_ties.value = True
    assert builder.plan().member_ties is True
    builder.member_ties.value = False


def test_widget_path_choices_follow_the_picture(builder):
    builder.preset.value = view.REGIONAL_PRESET
    codes = [code for _, code in builder.path_from.options]
    assert "POL" in codes and "FRA" not in codes
    builder.path_from.value, builder.path_to.value = "POL", "EST"
    assert "No path" in builder.path_text.value  # regional clusters with no shared member and no lead ties


def test_widget_refuses_unknown_presets_and_unnamed_framework_nations():
    with pytest.raises(ValueError, match="unknown preset 'nope'"):
        view.widget(preset="nope")
    with pytest.raises(ValueError, match=r"no name for framework nation\(s\) \['XXX'\]"):
        view.ClusterBuilder({"DEU": "Germany"}, ["XXX"], {"empty": {}})


# --- layout ---------------------------------------------------------------------------------------------------------

def test_ring_layout_puts_hubs_inside_and_members_beside_their_hub():
    plan = cl.ClusterPlan.build({"DEU": ["NLD", "CZE"], "GBR": ["EST", "NOR"], "ITA": ["SVN", "ALB"]})
    g = cl.graph(plan)
    pos = cl.ring_layout(g, plan.framework_nations, inner=0.4)
    assert set(pos) == set(g.nodes)
    for lead in plan.framework_nations:
        assert math.hypot(*pos[lead]) == pytest.approx(0.4)
    for member in plan.smaller_allies:
        assert math.hypot(*pos[member]) == pytest.approx(1.0)
    # each member is nearer its own framework nation than any other framework nation
    for lead, members in plan.clusters:
        for member in members:
            nearest = min(plan.framework_nations, key=lambda h: math.dist(pos[h], pos[member]))
            assert nearest == lead


def test_ring_layout_checks_its_input():
    g = nw.from_pairs([("A", "B")])
    with pytest.raises(KeyError, match="ring_layout: hubs"):
        cl.ring_layout(g, ["Z"])
    with pytest.raises(ValueError, match="between 0 and 1"):
        cl.ring_layout(g, ["A"], inner=1.5)
    with pytest.raises(ValueError, match="listed twice"):
        cl.ring_layout(g, ["A", "A"])


# --- ties from the course tables ------------------------------------------------------------------------------------

def _contributors(rows):
    return pd.DataFrame(rows, columns=["host_iso3", "iso3", "role", "start_year", "end_year"]).astype(
        {"start_year": "Int64", "end_year": "Int64"})


def test_framework_ties_follow_the_framework_nation_in_charge_and_skip_self_ties():
    table = _contributors([
        ("SVK", "CZE", "framework", 2022, 2024),
        ("SVK", "ESP", "framework", 2024, None),
        ("SVK", "DEU", "contributor", 2022, None),   # joined under Czechia
        ("SVK", "ROU", "contributor", 2025, None),   # joined under Spain
        ("HUN", "HUN", "framework", 2022, None),     # the host leads its own battlegroup
        ("HUN", "HRV", "contributor", 2022, None),
    ])
    ties = cl.framework_ties(contributors=table)
    assert ("DEU", "CZE") in ties and ("DEU", "ESP") not in ties
    assert ("ROU", "ESP") in ties and ("ROU", "CZE") not in ties
    assert ("SVK", "CZE") in ties and ("SVK", "ESP") in ties  # the host is tied to both of its framework nations
    assert ("HRV", "HUN") in ties
    assert all(a != b for a, b in ties)


def test_framework_ties_combine_groups_and_battlegroups_from_the_course_data():
    members = data.load("framework_group_members")
    contributors = data.load("efp_contributors")
    groups_only = cl.framework_ties(members)
    both = cl.framework_ties(members, contributors)
    assert ("ISL", "GBR") in groups_only and ("AUT", "ITA") in groups_only
    assert set(groups_only) < set(both)
    assert ("EST", "GBR") in both  # host → framework nation
    assert ("FRA", "GBR") in both  # France contributed to the UK-led battlegroup in Estonia
    assert len(both) == len(set(both))


def test_framework_ties_names_missing_columns():
    with pytest.raises(ValueError, match=r"no column\(s\) \['start_year', 'end_year'\]"):
        cl.framework_ties(contributors=pd.DataFrame({"host_iso3": ["EST"], "iso3": ["GBR"], "role": ["framework"]}))


def test_node_colours_use_the_course_meanings():
    colours = view.node_colours(["DEU", "NLD", "AUT"], ["DEU"], partners=["AUT"])
    assert colours == {"DEU": view.plots.KIND_COLOURS["coalition"], "NLD": view.plots.KIND_COLOURS["alliance"],
                       "AUT": view.plots.PALETTE["green"]}


def test_summary_table_keeps_counts_as_whole_numbers():
    table = cl.summary_table(cl.ClusterPlan.build({"DEU": ["NLD", "CZE"]}))
    assert table.loc["allies in the picture", "your clusters"] == 3
    assert isinstance(table.loc["allies in the picture", "your clusters"], int)


# --- review 04-06: shapes as well as colours, the by-construction result labelled, a clear message -----------------

def test_node_types_differ_by_shape_too():
    markers = view.node_markers(["DEU", "NLD", "CHE"], ["DEU"], ["CHE"])
    colours = view.node_colours(["DEU", "NLD", "CHE"], ["DEU"], ["CHE"])
    assert len(set(markers.values())) == 3 and len(set(colours.values())) == 3


def test_cluster_widget_says_the_path_result_is_by_construction_and_rejects_no_leads():
    builder = view.widget()
    assert "by construction" in builder.box.children[1].value
    with pytest.raises(ValueError, match="at least one framework nation"):
        view.widget(framework_nations=())
