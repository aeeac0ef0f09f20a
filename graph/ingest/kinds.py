"""One registry from a document's reader kind to how it becomes RDF: tables become tasks, prose provisions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph
from rdflib.term import Node

from graph.errors import ConfigError, Location, Notice
from graph.ingest.agencies import Registry
from graph.ingest.manifest import Document
from graph.ingest.provisions import prose_graph
from graph.ingest.table import TaskTable, interpret
from graph.ingest.triples import source_places, table_graph
from graph.readers import READERS, read_table
from graph.readers.prose import ProseDocument, read_law, read_opinions


@dataclass
class Ingested:
    graph: Graph
    notices: list[Notice]
    places: dict[Node, Location]
    encoding: str | None
    table: TaskTable | None = None
    prose: ProseDocument | None = None


def _table(document: Document, registry: Registry) -> Ingested:
    table = interpret(read_table(document.file, document.reader, document.encoding), registry)
    graph = table_graph(document, table, registry)
    return Ingested(graph, table.notices, source_places(document, table, registry), table.encoding, table=table)


def _prose(reader: Callable[..., ProseDocument]) -> Callable[[Document, Registry], Ingested]:
    def ingest(document: Document, _registry: Registry) -> Ingested:
        prose = reader(document.file, document.encoding)
        graph, places = prose_graph(document, prose)
        return Ingested(graph, prose.notices, places, prose.encoding, prose=prose)

    return ingest


INGESTERS: dict[str, Callable[[Document, Registry], Ingested]] = {
    **dict.fromkeys(READERS, _table),
    "opinions": _prose(read_opinions),
    "law": _prose(read_law),
}


def ingest(document: Document, registry: Registry) -> Ingested:
    """Read and convert one manifest document with the reader its `reader` names."""
    assert document.reader is not None
    ingester = INGESTERS.get(document.reader)
    if ingester is None:
        raise ConfigError(
            f"document {document.id}: no reader {document.reader!r}; readers: {', '.join(sorted(INGESTERS))}"
        )
    return ingester(document, registry)
