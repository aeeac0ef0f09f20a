"""A task table's automatic links on arrival: its tasks to the measures of the documents it carries out.

`policykg add` runs the linker (graph.links.linker, unchanged: the same parameters for every pair) from each task
table it adds to each document the table carries out: the documents it implements, and those implemented by the
document it is attached to, up the attachment chain (落实《实施意见》任务分工表 → 实施意见 → 国办发〔2021〕26号). What
a document implements is read from its manifest entry and from the graph (`eli:implements`, curated or found by
graph.links.citing in 为贯彻落实《…》), in the documents being added and in the current release. A document the graph
does not hold yet gives no links: `policykg link` makes them once it is there.

Only what the linker reads is taken from the store: the target document and its provisions (their types, labels,
headings and wording), so the work is proportional to the documents linked, never to the release.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph
from rdflib import Graph, URIRef

from graph.errors import ConfigError
from graph.ingest.manifest import Manifest
from graph.links import linker
from graph.links.linkset import AUTOMATIC_GRAPH, Link
from graph.rdf.namespaces import DCTERMS, ELI, PKG, RDF
from graph.rdf.terms import graph_of

_DOCUMENT = pyoxigraph.NamedNode(str(PKG.document))
_IMPLEMENTS = pyoxigraph.NamedNode(str(ELI.implements))
_ATTACHMENT_OF = pyoxigraph.NamedNode(str(PKG.attachmentOf))


@dataclass(frozen=True)
class Arrival:
    """One run of the linker made on arrival: which pair, and the links it proposed."""

    linking: linker.Linking
    links: list[Link]

    @property
    def file_name(self) -> str:
        """The candidate file `policykg link` would write for the same pair."""
        return f"{self.linking.source_id}--{self.linking.target_id}.ttl"


def carried_out(table: URIRef, graph: Graph, store: pyoxigraph.Store) -> list[URIRef]:
    """The documents a table carries out: those it, or a document it is attached to (up the chain), implements."""
    chain, node, seen = [table], table, {table}
    while (parent := _one(graph, store, node, PKG.attachmentOf, _ATTACHMENT_OF)) is not None and parent not in seen:
        chain.append(parent)
        seen.add(parent)
        node = parent
    found: dict[URIRef, None] = {}
    for document in chain:
        for target in _all(graph, store, document, ELI.implements, _IMPLEMENTS):
            if target not in seen:
                found[target] = None
    return list(found)


def arrival_links(
    tables: Iterable[str], manifest: Manifest, graph: Graph, store: pyoxigraph.Store, started: dt.datetime,
    parameters: linker.Parameters | None = None,
) -> list[Arrival]:  # fmt: skip
    """The linker's candidates from each added table (by manifest id) to each document it carries out that the
    graph (the documents added, `graph`) or the release (`store`) holds with provisions to link to."""
    parameters = parameters or linker.Parameters()
    ids = {document.iri: document.id for document in manifest.documents}
    arrivals = []
    for table_id in tables:
        table = manifest.document(table_id).iri
        for target in carried_out(table, graph, store):
            if target not in ids:
                continue
            units = _with_target(graph, store, target)
            try:
                links = linker.propose(units, table, target, parameters)
            except ConfigError:  # the target is not in the graph yet, or has no provisions to link to
                continue
            linking = linker.Linking(table_id, ids[target], table, target, parameters, started)
            arrivals.append(Arrival(linking, links))
    return arrivals


def links_graph(arrivals: Iterable[Arrival]) -> Graph:
    """Every arrival's links with their provenance, in the automatic-links graph."""
    graph = Graph(identifier=AUTOMATIC_GRAPH)
    for arrival in arrivals:
        graph += arrival.linking.graph(arrival.links)
    return graph


def _with_target(graph: Graph, store: pyoxigraph.Store, target: URIRef) -> Graph:
    """The added documents' graph with the target document as the linker reads it (when the store holds it)."""
    units = Graph()
    units += graph
    if (target, RDF.type, PKG.Policy) in graph:
        return units
    node = pyoxigraph.NamedNode(str(target))
    graph_of(store.quads_for_pattern(node, pyoxigraph.NamedNode(str(RDF.type)), None), units)
    graph_of(store.quads_for_pattern(node, pyoxigraph.NamedNode(str(DCTERMS.title)), None), units)
    for quad in store.quads_for_pattern(None, _DOCUMENT, node):
        graph_of(store.quads_for_pattern(quad.subject, None, None), units)
    return units


def _all(
    graph: Graph, store: pyoxigraph.Store, node: URIRef, term: URIRef, stored: pyoxigraph.NamedNode
) -> list[URIRef]:
    """The IRIs `node term ?x` names, in the added graph and in the release."""
    found = [o for o in graph.objects(node, term) if isinstance(o, URIRef)]
    found += [
        URIRef(q.object.value)
        for q in store.quads_for_pattern(pyoxigraph.NamedNode(str(node)), stored, None)
        if isinstance(q.object, pyoxigraph.NamedNode)
    ]
    return sorted(dict.fromkeys(found))


def _one(
    graph: Graph, store: pyoxigraph.Store, node: URIRef, term: URIRef, stored: pyoxigraph.NamedNode
) -> URIRef | None:
    found = _all(graph, store, node, term, stored)
    return found[0] if found else None
