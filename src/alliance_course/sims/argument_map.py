"""Argument maps: positions, the claims that support them, evidence and objections, drawn as a tree.

An **argument map** sets out a debate as a tree. At the top stands a **position** (what an author argues
overall). Under it hang the **claims** (reasons) offered for it. Each claim should rest on **evidence**
(a fact, a source, an example) or be marked honestly as an **assertion** (a claim stated without support).
**Objections** attack a claim; evidence may also back an objection. The rules, one per kind:

=========  ==========================  ===============================================
kind       attaches to                 check
=========  ==========================  ===============================================
position   nothing (top of the map)    has at least one claim
claim      a position                  has evidence, or is marked as an assertion
evidence   a claim or an objection     --
objection  a claim                     --
=========  ==========================  ===============================================

``ArgumentMap.check()`` returns every broken rule as a :class:`Problem` with a message that names the node;
an empty list means the structure is sound. :func:`layout` places the map as a tree (positions at the top,
evidence and objections below their claims); :mod:`.argument_map_view` draws it (``render(amap)``) and holds
``widget(amap)``, a thin ipywidgets builder over the same model. Maps convert to and from plain dictionaries
and JSON files for export.

Example::

    >>> m = ArgumentMap("Svoboda (seed 000)")
    >>> p = m.add("position", "Coalitions of the willing harm the Alliance")
    >>> c = m.add("claim", "They erode Article 5", parent=p.id)
    >>> [problem.code for problem in m.check()]
    ['no-evidence']
    >>> _ = m.add("evidence", "Article 5: an attack on one is an attack on all", parent=c.id)
    >>> m.check()
    []
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from alliance_course._common import forward_to_view

__all__ = [
    "KINDS", "PARENT_KINDS", "Node", "Problem", "ArgumentMap", "ArgumentMapError", "from_positions",
    "layout",
]

KINDS: tuple[str, ...] = ("position", "claim", "evidence", "objection")
# Which kinds of node each kind may attach to (an empty tuple: it stands at the top).
PARENT_KINDS: dict[str, tuple[str, ...]] = {
    "position": (),
    "claim": ("position",),
    "evidence": ("claim", "objection"),
    "objection": ("claim",),
}
_PREFIX = {"position": "p", "claim": "c", "evidence": "e", "objection": "o"}
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_FIELDS = ("id", "kind", "text", "parent", "source", "assertion")


class ArgumentMapError(ValueError):
    """Bad input for a map (unknown kind, empty text, duplicate id, unreadable file); the message says which."""


@dataclass(frozen=True)
class Node:
    """One box of the map. ``parent`` is the id of the node it attaches to (``None`` for a position)."""

    id: str
    kind: str
    text: str
    parent: str | None = None
    source: str = ""
    assertion: bool = False

    def label(self, width: int = 40) -> str:
        """``kind 'id' (text)``, the text shortened to ``width`` characters, for messages and menus."""
        return f"{self.kind} '{self.id}' ({textwrap.shorten(self.text, width=width, placeholder='…')})"

    def _sentence(self) -> str:
        label = self.label()
        return label[0].upper() + label[1:]


@dataclass(frozen=True)
class Problem:
    """A broken structural rule: the node it concerns (if any), a short code and a plain-language message."""

    node: str | None
    code: str  # no-claims, no-evidence, orphan, unknown-parent, wrong-parent, cycle
    message: str

    def __str__(self) -> str:
        return self.message


class ArgumentMap:
    """A mutable argument map: nodes in the order they were added, keyed by id."""

    def __init__(self, title: str = "") -> None:
        self.title = title
        self._nodes: dict[str, Node] = {}

    # ----------------------------------------------------------------------------------------- reading

    @property
    def nodes(self) -> tuple[Node, ...]:
        """All nodes, in the order they were added."""
        return tuple(self._nodes.values())

    def __len__(self) -> int:
        return len(self._nodes)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._nodes

    def __getitem__(self, node_id: str) -> Node:
        try:
            return self._nodes[node_id]
        except KeyError:
            known = ", ".join(self._nodes) or "none yet"
            raise ArgumentMapError(f"No node {node_id!r} in the map (ids: {known}).") from None

    def children(self, node_id: str) -> list[Node]:
        """The nodes attached directly to ``node_id``, in the order they were added."""
        return [node for node in self._nodes.values() if node.parent == node_id]

    def counts(self) -> dict[str, int]:
        """How many nodes of each kind the map holds (every kind listed, zeros included)."""
        return {kind: sum(node.kind == kind for node in self._nodes.values()) for kind in KINDS}

    def to_frame(self) -> pd.DataFrame:
        """The nodes as a pandas DataFrame (one row per node: id, kind, text, parent, source, assertion)."""
        return pd.DataFrame([asdict(node) for node in self._nodes.values()], columns=list(_FIELDS))

    # ----------------------------------------------------------------------------------------- editing

    def add(self, kind: str, text: str, parent: str | None = None, *, id: str | None = None,  # noqa: A002
            source: str = "", assertion: bool = False) -> Node:
        """Add a node and return it. The id is made up (``c1``, ``e2`` …) unless given.

        Input errors (unknown kind, empty text, a taken or malformed id, ``assertion`` on anything but a
        claim) raise :class:`ArgumentMapError`. Structural problems (a missing or wrong parent) are allowed
        here and reported by :meth:`check`, so a learner can see what the checker says about them.
        """
        kind = str(kind).strip().lower()
        if kind not in KINDS:
            raise ArgumentMapError(f"Unknown kind {kind!r}: a node is one of {', '.join(KINDS)}.")
        text = " ".join(str(text).split())
        if not text:
            raise ArgumentMapError(f"The {kind} has no text: write what it says.")
        if assertion and kind != "claim":
            raise ArgumentMapError(f"Only a claim can be marked as an assertion, not a {kind}.")
        node_id = self._new_id(kind) if id is None else str(id).strip()
        if not _ID.match(node_id):
            raise ArgumentMapError(f"Node id {node_id!r} is not usable: use letters, digits, '-', '_' or '.'.")
        if node_id in self._nodes:
            raise ArgumentMapError(f"There is already a node {node_id!r} in the map: choose another id.")
        parent = None if parent is None or str(parent).strip() == "" else str(parent).strip()
        node = Node(node_id, kind, text, parent, " ".join(str(source).split()), bool(assertion))
        self._nodes[node_id] = node
        return node

    def remove(self, node_id: str) -> list[str]:
        """Remove a node and everything attached below it; return the removed ids."""
        self[node_id]  # raises a clear error for an unknown id
        removed, stack = [], [node_id]
        while stack:
            current = stack.pop()
            if current in self._nodes and current not in removed:
                removed.append(current)
                stack.extend(child.id for child in self.children(current))
        for gone in removed:
            del self._nodes[gone]
        return removed

    def mark_assertion(self, node_id: str, assertion: bool = True) -> Node:
        """Mark a claim as an assertion (stated without evidence), or unmark it."""
        node = self[node_id]
        if node.kind != "claim":
            raise ArgumentMapError(f"Only a claim can be marked as an assertion; {node.label()} is not a claim.")
        updated = Node(node.id, node.kind, node.text, node.parent, node.source, bool(assertion))
        self._nodes[node_id] = updated
        return updated

    def _new_id(self, kind: str) -> str:
        number = 1
        while f"{_PREFIX[kind]}{number}" in self._nodes:
            number += 1
        return f"{_PREFIX[kind]}{number}"

    # ----------------------------------------------------------------------------------------- checking

    def check(self) -> list[Problem]:
        """Every broken structural rule, in the order of the nodes; an empty list means the map is sound."""
        problems: list[Problem] = []
        looped = self._nodes_in_cycles()
        for node in self._nodes.values():
            problems.extend(self._node_problems(node, looped))
        return problems

    def _node_problems(self, node: Node, looped: set[str]) -> list[Problem]:
        allowed = PARENT_KINDS[node.kind]
        if node.id in looped:
            return [Problem(node.id, "cycle", f"{node._sentence()} is part of a loop of parents: "
                                              "follow the parents upwards and break the loop.")]
        if not allowed:  # a position
            if node.parent is not None:
                return [Problem(node.id, "wrong-parent", f"{node._sentence()} is attached to "
                                f"'{node.parent}'; a position stands at the top of the map, with no parent.")]
            if not any(child.kind == "claim" for child in self.children(node.id)):
                return [Problem(node.id, "no-claims", f"{node._sentence()} has no claims yet: "
                                                      "attach at least one claim that supports it.")]
            return []
        wanted = " or ".join(f"{_article(kind)} {kind}" for kind in allowed)
        if node.parent is None:
            return [Problem(node.id, "orphan", f"{node._sentence()} is not attached to anything: "
                                               f"attach it to {wanted}.")]
        if node.parent not in self._nodes:
            return [Problem(node.id, "unknown-parent", f"{node._sentence()} is attached to "
                            f"'{node.parent}', which is not in the map: attach it to {wanted}.")]
        parent = self._nodes[node.parent]
        problems = []
        if parent.kind not in allowed:
            problems.append(Problem(node.id, "wrong-parent", f"{node._sentence()} is attached to "
                                    f"{parent.label()}; {_article(node.kind)} {node.kind} attaches to {wanted}."))
        if node.kind == "claim" and not node.assertion and not any(
                child.kind == "evidence" for child in self.children(node.id)):
            problems.append(Problem(node.id, "no-evidence", f"{node._sentence()} has no evidence: "
                                    "attach evidence, or mark it as an assertion if it rests on none."))
        return problems

    def _nodes_in_cycles(self) -> set[str]:
        looped: set[str] = set()
        for start in self._nodes:
            seen: list[str] = []
            current: str | None = start
            while current is not None and current in self._nodes and current not in seen:
                seen.append(current)
                current = self._nodes[current].parent
            if current is not None and current in seen:
                looped.update(seen[seen.index(current):])
        return looped

    # ----------------------------------------------------------------------------------------- export

    def to_dict(self) -> dict[str, Any]:
        """A plain dictionary (title and a list of nodes) that :meth:`from_dict` turns back into a map."""
        return {"title": self.title, "nodes": [asdict(node) for node in self._nodes.values()]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "argument map") -> ArgumentMap:
        """Build a map from :meth:`to_dict`'s form; a bad entry raises an error naming the node and field."""
        if not isinstance(data, Mapping):
            raise ArgumentMapError(f"{where}: expected an object with 'title' and 'nodes', got {type(data).__name__}.")
        nodes = data.get("nodes")
        if not isinstance(nodes, list):
            raise ArgumentMapError(f"{where}: 'nodes' must be a list of nodes.")
        amap = cls(str(data.get("title", "")))
        for number, raw in enumerate(nodes, start=1):
            if not isinstance(raw, Mapping):
                raise ArgumentMapError(f"{where}: node {number} is not an object with fields {', '.join(_FIELDS)}.")
            label = f"node {number}" + (f" ({raw['id']!r})" if "id" in raw else "")
            unknown = sorted(set(raw) - set(_FIELDS))
            if unknown:
                raise ArgumentMapError(f"{where}: {label}: unknown field {unknown[0]!r} "
                                       f"(allowed: {', '.join(_FIELDS)}).")
            for field in ("id", "kind", "text"):
                if field not in raw:
                    raise ArgumentMapError(f"{where}: {label}: missing field {field!r}.")
            try:
                amap.add(raw["kind"], raw["text"], raw.get("parent"), id=raw["id"],
                         source=raw.get("source") or "", assertion=bool(raw.get("assertion", False)))
            except ArgumentMapError as error:
                raise ArgumentMapError(f"{where}: {label}: {error}") from None
        return amap

    def save(self, path: str | Path) -> Path:
        """Write the map as JSON (UTF-8) and return the path."""
        path = Path(path)
        path.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: str | Path) -> ArgumentMap:
        """Read a map saved with :meth:`save`; a missing or broken file raises an error naming it."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ArgumentMapError(f"{path}: no such file.") from None
        except (OSError, UnicodeDecodeError) as error:
            raise ArgumentMapError(f"{path}: cannot be read ({error}).") from None
        except json.JSONDecodeError as error:
            raise ArgumentMapError(f"{path}: not valid JSON (line {error.lineno}: {error.msg}).") from None
        return cls.from_dict(data, where=str(path))


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def from_positions(positions: pd.DataFrame, position: str, *, seed: str | None = None,
                   speakers: Iterable[str] | None = None, title: str = "") -> ArgumentMap:
    """A starting map from rows of the course's ``positions`` table.

    One position node (``position`` is its text) with one claim per selected row: the row's ``claim`` as
    text, its ``position_id`` as id and its first source key as source. Select rows by ``seed`` (e.g.
    ``"seed-000"``) and/or by ``speakers``. The claims carry no evidence yet, so :meth:`ArgumentMap.check`
    reports each one until evidence is attached or the claim is marked as an assertion.
    """
    rows = positions
    if seed is not None:
        rows = rows[rows["seed"].astype(str) == seed]
    if speakers is not None:
        rows = rows[rows["speaker"].isin(list(speakers))]
    if rows.empty:
        raise ArgumentMapError(f"No rows of the positions table match seed={seed!r}, speakers={speakers!r}.")
    amap = ArgumentMap(title)
    root = amap.add("position", position)
    for record in rows.itertuples(index=False):
        source = str(record.source).split(";")[0].strip()
        amap.add("claim", str(record.claim), parent=root.id, id=str(record.position_id), source=source)
    return amap


# --------------------------------------------------------------------------------------------- layout

def layout(amap: ArgumentMap) -> dict[str, tuple[float, float]]:
    """Tree positions ``{id: (x, depth)}``: leaves side by side one unit apart, each parent centred over
    its children, depth 0 at the top. Nodes outside any tree (orphans, loops) start trees of their own."""
    placed: dict[str, tuple[float, float]] = {}
    next_leaf = [0.0]

    def place(node_id: str, depth: int, trail: frozenset[str]) -> float:
        kids = [child.id for child in amap.children(node_id) if child.id not in trail and child.id not in placed]
        if kids:
            xs = [place(kid, depth + 1, trail | {node_id}) for kid in kids]
            x = (min(xs) + max(xs)) / 2
        else:
            x = next_leaf[0]
            next_leaf[0] += 1.0
        placed[node_id] = (x, float(depth))
        return x

    roots = [node.id for node in amap.nodes if node.parent is None or node.parent not in amap]
    for root in roots:
        place(root, 0, frozenset())
    for node in amap.nodes:  # whatever is left sits in a loop of parents
        if node.id not in placed:
            place(node.id, 0, frozenset())
    return placed


# The drawing and the builder widget live in argument_map_view; these names are looked up there when first used.
__getattr__ = forward_to_view(__name__, ["render", "widget", "ArgumentMapBuilder"])
