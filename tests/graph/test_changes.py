"""Digests of resources and the difference of two releases (graph.release.changes)."""

from __future__ import annotations

import pyoxigraph

from graph.rdf import iris
from graph.release.changes import diff, digests

EX = "https://w3id.org/policykg/x/"
GRAPH = pyoxigraph.NamedNode(EX + "graph")


def quad(s: object, p: str, o: object, graph: pyoxigraph.NamedNode = GRAPH) -> pyoxigraph.Quad:
    return pyoxigraph.Quad(s, pyoxigraph.NamedNode(EX + p), o, graph)  # type: ignore[arg-type]


def described(blank: str, value: str) -> list[pyoxigraph.Quad]:
    node, item = pyoxigraph.NamedNode(EX + "a"), pyoxigraph.BlankNode(blank)
    return [quad(node, "has", item), quad(item, "value", pyoxigraph.Literal(value))]


def test_a_digest_does_not_depend_on_blank_node_labels_but_on_what_they_hold() -> None:
    first, second = digests(described("b1", "甲")), digests(described("zz9", "甲"))
    assert first[EX + "a"].sha256 == second[EX + "a"].sha256
    assert digests(described("b1", "乙"))[EX + "a"].sha256 != first[EX + "a"].sha256
    assert set(first) == {EX + "a"}  # blank nodes are part of a description, not resources of their own


def test_the_provenance_graph_is_left_out() -> None:
    provenance = pyoxigraph.NamedNode(str(iris.PROVENANCE_GRAPH))
    build = quad(pyoxigraph.NamedNode(EX + "build"), "ended", pyoxigraph.Literal("2026-11-30T08:00:00Z"), provenance)
    assert digests([build]) == {}


def test_labels_types_and_graphs_are_kept_for_the_feed() -> None:
    node = pyoxigraph.NamedNode(EX + "a")
    label = pyoxigraph.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    kind = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    found = digests(
        [
            pyoxigraph.Quad(node, label, pyoxigraph.Literal("甲", language="zh"), GRAPH),
            pyoxigraph.Quad(node, label, pyoxigraph.Literal("A", language="en"), GRAPH),
            pyoxigraph.Quad(node, kind, pyoxigraph.NamedNode(EX + "Thing"), GRAPH),
        ]
    )[EX + "a"]
    assert (found.label_zh, found.label_en, found.types, found.graphs) == ("甲", "A", (EX + "Thing",), (GRAPH.value,))


def test_diff_sorts_added_changed_and_withdrawn() -> None:
    before = digests([*described("b", "甲"), quad(pyoxigraph.NamedNode(EX + "gone"), "p", pyoxigraph.Literal("x"))])
    after = digests([*described("b", "乙"), quad(pyoxigraph.NamedNode(EX + "new"), "p", pyoxigraph.Literal("x"))])
    added, changed, withdrawn = diff(before, after)
    assert [r.iri for r in added] == [EX + "new"]
    assert [r.iri for r in changed] == [EX + "a"]
    assert [r.iri for r in withdrawn] == [EX + "gone"]
    assert diff(None, after) == ([], [], [])
