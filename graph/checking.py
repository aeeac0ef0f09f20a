"""`policykg validate FILE`: check one table or RDF file against the shapes without building anything."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from graph import iris, resources
from graph.agencies import Registry, load_registry
from graph.errors import Location, Notice
from graph.manifest import Document, Manifest
from graph.rdfinput import is_rdf, parse_rdf_file
from graph.readers import read_table
from graph.table import interpret
from graph.triples import catalogue_graph, registry_graph, source_places, table_graph
from graph.validation import Report, validate


@dataclass
class Checked:
    report: Report
    notices: list[Notice]
    places: dict[Node, Location]
    graph: Graph


def check_file(
    path: Path,
    kind: str | None = None,
    encoding: str | None = None,
    registry: Registry | None = None,
) -> Checked:
    """Validate a task table (.txt, .docx, .csv, .xlsx) or RDF file; InputError if it cannot be read."""
    registry = registry or load_registry(resources.registry_file())
    ontology = Graph().parse(resources.ontology_file(), format="turtle")
    shapes = Graph().parse(resources.shapes_file(), format="turtle")
    context = registry_graph(registry)
    if kind is None and is_rdf(path):
        data = parse_rdf_file(path)
        return Checked(validate(data + context, shapes, ontology), [], {}, data)
    raw = read_table(path, kind, encoding)
    document = _upload_document(path)
    table = interpret(raw, registry)
    data = table_graph(document, table, registry)
    places = source_places(document, table, registry)
    catalogue = catalogue_graph(Manifest(path=path, documents=(document,)))
    report = validate(data + catalogue + context, shapes, ontology)
    return Checked(report, table.notices, places, data + catalogue)


def _upload_document(path: Path) -> Document:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return Document(
        id="upload",
        file=path,
        title=f"待校验表格 {path.name}",
        title_en=f"Table under validation: {path.name}",
        kind="task-division-table",
        iri=URIRef(f"{iris.BASE}upload/{digest}"),
    )
