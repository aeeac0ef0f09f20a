"""One registry of input kinds: for each kind's name, the file suffixes that imply it, its reader, and how what it
reads becomes RDF (tables become tasks, prose provisions).

A manifest document's `reader`, `policykg validate --kind` and the validation service all name kinds from `KINDS`;
task tables (`TABLE_KINDS`) can also be read on their own (`read_table`), their kind implied by the file suffix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.term import Node

from graph.errors import ConfigError, InputError, Location, Notice
from graph.ingest.agencies import Registry
from graph.ingest.manifest import Document
from graph.ingest.provisions import prose_graph
from graph.ingest.table import TaskTable, interpret
from graph.ingest.triples import source_places, table_graph
from graph.readers import docx_table, tabular, text_export
from graph.readers.base import RawTable
from graph.readers.prose import ProseDocument, read_law, read_opinions


@dataclass
class Ingested:
    graph: Graph
    notices: list[Notice]
    places: dict[Node, Location]
    encoding: str | None
    table: TaskTable | None = None
    prose: ProseDocument | None = None


@dataclass(frozen=True)
class TableKind:
    """A task table's format: its reader (each gives the same RawTable for the same table) and its file suffixes."""

    read: Callable[[Path, str | None], RawTable]
    suffixes: tuple[str, ...]

    def ingest(self, document: Document, registry: Registry) -> Ingested:
        table = interpret(self.read(document.file, document.encoding), registry)
        graph = table_graph(document, table, registry)
        return Ingested(graph, table.notices, source_places(document, table, registry), table.encoding, table=table)


@dataclass(frozen=True)
class ProseKind:
    """A kind of prose document (opinions, a law): its reader; named in the manifest, never implied by a suffix."""

    read: Callable[[Path, str | None], ProseDocument]
    suffixes: tuple[str, ...] = ()

    def ingest(self, document: Document, _registry: Registry) -> Ingested:
        prose = self.read(document.file, document.encoding)
        graph, places = prose_graph(document, prose)
        return Ingested(graph, prose.notices, places, prose.encoding, prose=prose)


KINDS: dict[str, TableKind | ProseKind] = {
    "text-export": TableKind(text_export.read, (".txt",)),
    "docx": TableKind(docx_table.read, (".docx",)),
    "csv": TableKind(tabular.read_csv, (".csv",)),
    "xlsx": TableKind(tabular.read_xlsx, (".xlsx",)),
    "opinions": ProseKind(read_opinions),
    "law": ProseKind(read_law),
}
TABLE_KINDS = {name: kind for name, kind in KINDS.items() if isinstance(kind, TableKind)}
_BY_SUFFIX = {suffix: name for name, kind in TABLE_KINDS.items() for suffix in kind.suffixes}


def kind_of(path: Path, kind: str | None = None) -> str:
    """The table kind of a file: the one given, else the one its suffix implies."""
    chosen = kind or _BY_SUFFIX.get(path.suffix.lower())
    if chosen not in TABLE_KINDS:
        known = ", ".join(sorted(TABLE_KINDS))
        what = f"input kind {kind!r}" if kind else f"files ending in {path.suffix or '(no suffix)'!r}"
        raise InputError(Location(str(path)), f"no reader for {what}; readers exist for {known}")
    return chosen


def read_table(path: Path, kind: str | None = None, encoding: str | None = None) -> RawTable:
    """Read a task-division table with the reader for its kind."""
    return TABLE_KINDS[kind_of(path, kind)].read(path, encoding)


def ingest(document: Document, registry: Registry) -> Ingested:
    """Read and convert one manifest document with the reader its `reader` names."""
    assert document.reader is not None
    kind = KINDS.get(document.reader)
    if kind is None:
        raise ConfigError(f"document {document.id}: no reader {document.reader!r}; readers: {', '.join(sorted(KINDS))}")
    return kind.ingest(document, registry.within(document.jurisdiction))  # its units as its jurisdiction names them
