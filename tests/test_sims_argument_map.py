"""The argument-map model: input validation, structural checks, export, layout, rendering and the widget."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance_course import data
from alliance_course.sims import argument_map as am
from alliance_course.sims.argument_map import ArgumentMap, ArgumentMapError


def sound_map() -> ArgumentMap:
    """Position → two claims; one with evidence and an objection (itself backed), one marked as an assertion."""
    m = ArgumentMap("Test")
    m.add("position", "Coalitions weaken NATO", id="p")
    m.add("claim", "They erode Article 5", parent="p", id="c1")
    m.add("evidence", "Article 5 text", parent="c1", id="e1", source="nato-treaty-1949")
    m.add("objection", "Article 5 still binds all allies", parent="c1", id="o1")
    m.add("evidence", "No ally has left NATO over a coalition", parent="o1", id="e2")
    m.add("claim", "They bypass legitimacy", parent="p", id="c2", assertion=True)
    return m


def codes(m: ArgumentMap) -> list[tuple[str | None, str]]:
    return [(problem.node, problem.code) for problem in m.check()]


# ---------------------------------------------------------------------------------------------- input


def test_sound_map_has_no_problems():
    assert sound_map().check() == []


def test_ids_are_generated_per_kind():
    m = ArgumentMap()
    p = m.add("position", "P")
    c = m.add("claim", "C", parent=p.id)
    assert (p.id, c.id, m.add("claim", "D", parent=p.id).id) == ("p1", "c1", "c2")


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(kind="reason", text="x"), "Unknown kind 'reason'"),
    (dict(kind="claim", text="   "), "has no text"),
    (dict(kind="evidence", text="x", assertion=True), "Only a claim can be marked"),
    (dict(kind="claim", text="x", id="c 1"), "not usable"),
])
def test_bad_input_is_refused_with_a_clear_message(kwargs, fragment):
    m = ArgumentMap()
    with pytest.raises(ArgumentMapError, match=fragment):
        m.add(**kwargs)
    assert len(m) == 0


def test_duplicate_id_is_refused():
    m = sound_map()
    with pytest.raises(ArgumentMapError, match="already a node 'c1'"):
        m.add("claim", "Again", parent="p", id="c1")


def test_text_whitespace_is_normalised():
    m = ArgumentMap()
    assert m.add("position", "  two\n  lines ").text == "two lines"


def test_unknown_node_lookup_names_the_known_ids():
    with pytest.raises(ArgumentMapError, match="No node 'x'.*p, c1"):
        sound_map()["x"]


# ---------------------------------------------------------------------------------------------- checks


def test_claim_without_evidence_is_reported_until_marked_as_assertion():
    m = sound_map()
    m.add("claim", "Allies will be told to find a coalition", parent="p", id="c3")
    assert codes(m) == [("c3", "no-evidence")]
    assert "attach evidence, or mark it as an assertion" in str(m.check()[0])
    m.mark_assertion("c3")
    assert m.check() == []


def test_an_objection_alone_is_not_evidence():
    m = ArgumentMap()
    m.add("position", "P", id="p")
    m.add("claim", "C", parent="p", id="c")
    m.add("objection", "O", parent="c", id="o")
    assert codes(m) == [("c", "no-evidence")]


def test_objection_attached_to_evidence_is_reported():
    m = sound_map()
    m.add("objection", "The text is old", parent="e1", id="o2")
    [problem] = m.check()
    assert (problem.node, problem.code) == ("o2", "wrong-parent")
    assert "attached to evidence 'e1'" in problem.message and "an objection attaches to a claim" in problem.message


def test_evidence_attached_to_a_position_is_reported():
    m = sound_map()
    m.add("evidence", "A poll", parent="p", id="e9")
    [problem] = m.check()
    assert problem.code == "wrong-parent"
    assert "a claim or an objection" in problem.message


def test_claim_attached_to_a_claim_is_reported():
    m = sound_map()
    m.add("claim", "Sub-claim", parent="c1", id="c9", assertion=True)
    assert codes(m) == [("c9", "wrong-parent")]


def test_orphan_and_unknown_parent_are_reported():
    m = sound_map()
    m.add("evidence", "Floating fact", id="e8")
    m.add("objection", "Points nowhere", parent="zz", id="o8")
    assert codes(m) == [("e8", "orphan"), ("o8", "unknown-parent")]
    messages = [str(problem) for problem in m.check()]
    assert "not attached to anything" in messages[0]
    assert "'zz', which is not in the map" in messages[1]


def test_position_needs_claims_and_no_parent():
    m = ArgumentMap()
    m.add("position", "Lonely", id="p")
    assert codes(m) == [("p", "no-claims")]
    m.add("position", "Child position", parent="p", id="q")
    assert ("q", "wrong-parent") in codes(m)


def test_loop_of_parents_is_reported():
    m = ArgumentMap.from_dict({"title": "", "nodes": [
        {"id": "p", "kind": "position", "text": "P"},
        {"id": "c", "kind": "claim", "text": "C", "parent": "o", "assertion": True},
        {"id": "o", "kind": "objection", "text": "O", "parent": "c"},
    ]})
    assert sorted(codes(m)) == [("c", "cycle"), ("o", "cycle"), ("p", "no-claims")]


def test_remove_takes_the_branch_below():
    m = sound_map()
    assert sorted(m.remove("c1")) == ["c1", "e1", "e2", "o1"]
    assert [node.id for node in m.nodes] == ["p", "c2"]
    assert m.check() == []


def test_mark_assertion_refuses_other_kinds():
    with pytest.raises(ArgumentMapError, match="not a claim"):
        sound_map().mark_assertion("e1")


def test_counts_and_frame():
    m = sound_map()
    assert m.counts() == {"position": 1, "claim": 2, "evidence": 2, "objection": 1}
    frame = m.to_frame()
    assert list(frame.columns) == ["id", "kind", "text", "parent", "source", "assertion"]
    assert frame.groupby("kind").size().to_dict() == {"claim": 2, "evidence": 2, "objection": 1, "position": 1}


# ---------------------------------------------------------------------------------------------- export


def test_dict_round_trip():
    m = sound_map()
    again = ArgumentMap.from_dict(json.loads(json.dumps(m.to_dict())))
    assert again.nodes == m.nodes and again.title == "Test"


@pytest.mark.parametrize("payload, fragment", [
    ([], "expected an object"),
    ({"nodes": {}}, "'nodes' must be a list"),
    ({"nodes": ["x"]}, "node 1 is not an object"),
    ({"nodes": [{"id": "p", "text": "P"}]}, "node 1 ('p'): missing field 'kind'"),
    ({"nodes": [{"id": "p", "kind": "position", "text": "P", "colour": "red"}]}, "unknown field 'colour'"),
    ({"nodes": [{"id": "p", "kind": "position", "text": "P"}, {"id": "p", "kind": "claim", "text": "C"}]},
     "node 2 ('p'): There is already a node 'p'"),
])
def test_from_dict_names_the_bad_node_and_field(payload, fragment):
    with pytest.raises(ArgumentMapError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        ArgumentMap.from_dict(payload, where="map.json")


def test_save_and_load(tmp_path):
    path = sound_map().save(tmp_path / "svoboda.json")
    assert ArgumentMap.load(path).nodes == sound_map().nodes


def test_load_reports_missing_and_broken_files(tmp_path):
    with pytest.raises(ArgumentMapError, match="no such file"):
        ArgumentMap.load(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{nodes: [", encoding="utf-8")
    with pytest.raises(ArgumentMapError, match=r"broken\.json: not valid JSON \(line 1"):
        ArgumentMap.load(broken)


def test_from_positions_uses_the_course_table():
    positions = data.load("positions")
    m = am.from_positions(positions, "Coalitions of the willing harm the Alliance", seed="seed-000")
    svoboda = positions[positions["seed"] == "seed-000"]
    assert m.counts()["claim"] == len(svoboda) >= 2
    assert {node.id for node in m.nodes if node.kind == "claim"} == set(svoboda["position_id"])
    assert all(node.source == "seed-000" for node in m.nodes if node.kind == "claim")
    assert {problem.code for problem in m.check()} == {"no-evidence"}


def test_from_positions_refuses_an_empty_selection():
    with pytest.raises(ArgumentMapError, match="No rows"):
        am.from_positions(data.load("positions"), "P", speakers=["Nobody"])


# ---------------------------------------------------------------------------------------------- layout


node_kinds = st.sampled_from(am.KINDS[1:])


@st.composite
def valid_maps(draw) -> ArgumentMap:
    """Random maps that follow every attachment rule, built top-down."""
    m = ArgumentMap()
    for _ in range(draw(st.integers(1, 3))):
        m.add("position", "P")
    for _ in range(draw(st.integers(0, 14))):
        kind = draw(node_kinds)
        parents = [n.id for n in m.nodes if n.kind in am.PARENT_KINDS[kind]]
        if parents:
            m.add(kind, kind, parent=draw(st.sampled_from(parents)), assertion=draw(st.booleans()) and kind == "claim")
    return m


@settings(max_examples=60, deadline=None)
@given(valid_maps())
def test_rule_abiding_maps_only_miss_evidence_or_claims(m):
    for problem in m.check():
        assert problem.code in {"no-evidence", "no-claims"}, problem
    assert ArgumentMap.from_dict(m.to_dict()).nodes == m.nodes


@settings(max_examples=60, deadline=None)
@given(valid_maps())
def test_layout_centres_parents_and_never_overlaps(m):
    where = am.layout(m)
    assert set(where) == {node.id for node in m.nodes}
    for node in m.nodes:
        kids = m.children(node.id)
        if kids:
            xs = [where[kid.id][0] for kid in kids]
            assert min(xs) <= where[node.id][0] <= max(xs)
            assert all(where[kid.id][1] == where[node.id][1] + 1 for kid in kids)
    spots = list(where.values())
    assert len(spots) == len(set(spots)), "two nodes share a place"


def test_render_draws_every_node_and_flags_problems():
    m = sound_map()
    m.add("evidence", "Floating fact", id="e8")
    fig = am.render(m, caption="seed 000")
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert ax.get_title(loc="left") == "Test"
    assert sum("·" in t for t in texts) == len(m)
    assert any(t.startswith("⚠ EVIDENCE · e8") for t in texts)
    assert not any(t.startswith("⚠") and "· c1" in t for t in texts)
    assert any(t == "Source: seed 000" for t in texts)
    plt.close(fig)


# ---------------------------------------------------------------------------------------------- widget


def builder() -> am.ArgumentMapBuilder:
    m = ArgumentMap("W")
    m.add("position", "Coalitions weaken NATO", id="p")
    return am.ArgumentMapBuilder(m, draw=False)


def test_widget_adds_a_claim_and_lists_the_new_parent():
    b = builder()
    b.kind.value, b.parent.value, b.text.value = "claim", "p", "They erode Article 5"
    b.add_button.click()
    assert [node.id for node in b.amap.nodes] == ["p", "c1"]
    assert b.amap["c1"].parent == "p"
    assert "✓ Added claim 'c1'" in b.feedback.value
    assert "c1" in [value for _, value in b.parent.options]
    assert b.text.value == ""


def test_widget_refuses_empty_text():
    b = builder()
    b.kind.value = "objection"
    b.add_button.click()
    assert len(b.amap) == 1
    assert "Write the text of the objection first" in b.feedback.value


def test_widget_check_lists_problems_then_reports_sound():
    b = builder()
    b.check_button.click()
    assert "✗ 1 rule broken" in b.feedback.value and "no claims yet" in b.feedback.value
    b.kind.value, b.parent.value, b.text.value, b.assertion.value = "claim", "p", "Either we are allies", True
    b.add_button.click()
    b.check_button.click()
    assert "✓ The structure is sound" in b.feedback.value


def test_widget_undo_removes_the_last_added_box():
    b = builder()
    b.undo_button.click()
    assert "Nothing to undo" in b.feedback.value
    b.kind.value, b.parent.value, b.text.value = "claim", "p", "C"
    b.add_button.click()
    b.undo_button.click()
    assert [node.id for node in b.amap.nodes] == ["p"]
    assert "Removed 'c1'" in b.feedback.value


def test_widget_displays_as_a_widget():
    b = am.widget(sound_map())
    assert b.draw
    assert "application/vnd.jupyter.widget-view+json" in b._repr_mimebundle_()


def test_a_chart_drawn_when_first_shown_fits_the_map_it_draws():
    """In a kernel the builder's chart is drawn when a browser first shows it (after "Run all": once every queued
    cell has run). Its size used to be worked out from the map when update() ran, its boxes from the map when
    drawn: a map edited in between (``debate_map.add(...)`` in a later cell) was squeezed into the old size."""
    import re

    m = ArgumentMap("W")
    m.add("position", "Coalitions weaken NATO", id="p")
    b = am.widget(m)
    b.image._view_count = 0  # as in a kernel: wait for the browser
    b.image.observe(b.image._on_views, names="_view_count")
    b.redraw()
    for n in range(6):  # the notebook edits the map; nothing redraws the builder
        m.add("claim", f"Claim number {n}", parent="p", assertion=True)
    b.image._view_count = 1  # the browser shows the builder
    svg = b.image.svg
    drawn = svg.count(">CLAIM (assertion) · ")
    width = int(re.search(r'<svg [^>]*width="(\d+)"', svg).group(1))
    assert width == round(max(7.0, 2.1 * max(drawn, 1)) * 80), (drawn, width)
