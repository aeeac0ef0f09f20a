"""SHACL validation against PolicyKG's own shapes, never against shapes shipped inside the data."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from graph.rdf.namespaces import SH

SEVERITIES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True)
class Result:
    """One SHACL result, in plain terms."""

    severity: str
    focus: Node
    shape: str
    path: str | None
    value: Node | None
    message_en: str
    message_zh: str


@dataclass
class Report:
    results: list[Result]
    graph: Graph = field(repr=False)

    @property
    def conforms(self) -> bool:
        return not self.of("violation")

    def of(self, severity: str) -> list[Result]:
        return [result for result in self.results if result.severity == severity]

    def about(self, nodes: Collection[Node]) -> Report:
        """The results whose focus is one of `nodes` (those of a part of the graph validated)."""
        return Report([result for result in self.results if result.focus in nodes], self.graph)


def strip_shapes(data: Graph) -> Graph:
    """A copy of `data` without SHACL terms, so uploaded data cannot bring or switch off shapes."""
    clean = Graph()
    for prefix, namespace in data.namespaces():
        clean.bind(prefix, namespace)
    for s, p, o in data:
        if str(p).startswith(str(SH)) or (p == RDF.type and str(o).startswith(str(SH))):
            continue
        clean.add((s, p, o))
    return clean


def validate(data: Graph, shapes: Graph, ontology: Graph) -> Report:
    """Validate `data` (with the ontology's class hierarchy) against `shapes`."""
    _, results_graph, _ = pyshacl.validate(
        strip_shapes(data),
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        allow_warnings=True,
        allow_infos=True,
        do_owl_imports=False,
    )
    parents = {prop: node for node, prop in shapes.subject_objects(SH.property)}
    results = [
        _result(results_graph, shapes, parents, node) for node in results_graph.subjects(RDF.type, SH.ValidationResult)
    ]
    results.sort(key=lambda r: (list(SEVERITIES.values()).index(r.severity), str(r.focus), r.path or ""))
    return Report(results, results_graph)


def _result(graph: Graph, shapes: Graph, parents: dict[Node, Node], node: Node) -> Result:
    source = graph.value(node, SH.sourceShape)
    top = source
    while top in parents:
        top = parents[top]
    path = graph.value(node, SH.resultPath)
    messages = {m.language: str(m) for m in graph.objects(node, SH.resultMessage) if isinstance(m, Literal)}
    if not messages and source is not None:
        messages = {m.language: str(m) for m in shapes.objects(source, SH.message) if isinstance(m, Literal)}
    fallback = next(iter(messages.values()), "constraint not met")
    return Result(
        severity=SEVERITIES.get(URIRef(str(graph.value(node, SH.resultSeverity))), "violation"),
        focus=graph.value(node, SH.focusNode),  # type: ignore[arg-type]
        shape=_name(top),
        path=str(path) if isinstance(path, URIRef) else None,
        value=graph.value(node, SH.value),
        message_en=messages.get("en", fallback),
        message_zh=messages.get("zh", fallback),
    )


def _name(shape: Node | None) -> str:
    if shape is None or isinstance(shape, BNode):
        return "(anonymous shape)"
    return str(shape).rsplit("#", 1)[-1]
