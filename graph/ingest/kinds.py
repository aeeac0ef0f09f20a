"""One registry of input kinds: for each kind's name, the file suffixes that imply it, its reader, and how what it
reads becomes RDF (tables become tasks, prose provisions).

A manifest document's `reader`, `policykg validate --kind` and the validation service all name kinds from `KINDS`;
task tables (`TABLE_KINDS`) can also be read on their own (`read_table`), their kind implied by the file suffix.
Prose kinds ("opinions", "law") give the structure; the format (`TEXT_FORMATS`: .txt, .docx, .html/.htm, .pdf) is
the file's suffix. `detect_kind` tells a file's kind from its content where a suffix cannot (a .docx or .txt holding
a task table, or prose).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
from graph.rdf.namespaces import PKG
from graph.readers import docx_table, docx_text, html_text, pdf_text, prose, tabular, text_export
from graph.readers.base import RawTable, is_header
from graph.readers.encoding import decode_file
from graph.readers.lines import SourceText, read_plain
from graph.readers.prose import ProseDocument

TextReader = Callable[[Path, str | None], SourceText]

# The formats prose is read from, by file suffix: each gives the same lines for the same document.
TEXT_FORMATS: dict[str, TextReader] = {
    ".txt": read_plain,
    ".docx": docx_text.read,
    ".html": html_text.read,
    ".htm": html_text.read,
    ".pdf": pdf_text.read,
}


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

    read: Callable[[Path, str | None, Mapping[str, str] | None], RawTable]
    suffixes: tuple[str, ...]

    def ingest(self, document: Document, registry: Registry) -> Ingested:
        table = interpret(self.read(document.file, document.encoding, document.columns), registry)
        graph = table_graph(document, table, registry)
        return Ingested(graph, table.notices, source_places(document, table, registry), table.encoding, table=table)


def read_text(path: Path, encoding: str | None = None) -> SourceText:
    """A document's lines in reading order, read with the format its suffix names."""
    reader = TEXT_FORMATS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(TEXT_FORMATS)
        raise InputError(
            Location(str(path)),
            f"no prose reader for files ending in {path.suffix or '(no suffix)'!r}; prose is read from {known}",
        )
    return reader(path, encoding)


@dataclass(frozen=True)
class ProseKind:
    """A kind of prose document (opinions, a law): the structure it is read as, from any of the text formats.

    Named in the manifest; a suffix implies the format, never the structure.
    """

    structure: str
    suffixes: tuple[str, ...] = tuple(TEXT_FORMATS)

    def read(self, path: Path, encoding: str | None = None) -> ProseDocument:
        return prose.parse(read_text(path, encoding), self.structure)

    def ingest(self, document: Document, _registry: Registry) -> Ingested:
        prose = self.read(document.file, document.encoding)
        graph, places = prose_graph(document, prose)
        return Ingested(graph, prose.notices, places, prose.encoding, prose=prose)


KINDS: dict[str, TableKind | ProseKind] = {
    "text-export": TableKind(text_export.read, (".txt",)),
    "docx": TableKind(docx_table.read, (".docx",)),
    "csv": TableKind(tabular.read_csv, (".csv",)),
    "xlsx": TableKind(tabular.read_xlsx, (".xlsx",)),
    "opinions": ProseKind("opinions"),
    "law": ProseKind("law"),
}
PROSE_KINDS = {name: kind for name, kind in KINDS.items() if isinstance(kind, ProseKind)}
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


def read_table(
    path: Path, kind: str | None = None, encoding: str | None = None, columns: Mapping[str, str] | None = None
) -> RawTable:
    """Read a task table with the reader for its kind; `columns` maps header words it does not know to roles."""
    return TABLE_KINDS[kind_of(path, kind)].read(path, encoding, columns)


def ingest(document: Document, registry: Registry) -> Ingested:
    """Read and convert one manifest document with the reader its `reader` names."""
    assert document.reader is not None
    kind = KINDS.get(document.reader)
    if kind is None:
        raise ConfigError(f"document {document.id}: no reader {document.reader!r}; readers: {', '.join(sorted(KINDS))}")
    return kind.ingest(document, registry.within(document.jurisdiction))  # its units as its jurisdiction names them


def read_prose(path: Path, kind: str, encoding: str | None = None) -> ProseDocument:
    """Read a prose document of kind `kind` ("opinions" or "law") from whichever format its suffix names."""
    if kind not in PROSE_KINDS:
        raise InputError(Location(str(path)), f"no prose kind {kind!r}; prose kinds: {', '.join(PROSE_KINDS)}")
    return PROSE_KINDS[kind].read(path, encoding)


def detect_kind(path: Path, encoding: str | None = None) -> str:
    """The input kind of a file by its content: a task table where one is (by its header), else prose by its structure.

    .csv and .xlsx are tables; a .docx is a table when one of its tables has the task-table header; a .txt when it
    holds a tab-indented header row (a Word text export); anything else is prose, "law" when articles (第X条) open its
    lines, "opinions" when parts (一、) do. InputError when it is neither.
    """
    suffix = path.suffix.lower()
    if suffix in (".csv", ".xlsx"):
        return kind_of(path)
    if suffix == ".docx" and docx_table.holds_task_table(path):
        return "docx"
    if suffix == ".txt" and _holds_text_export_header(path, encoding):
        return "text-export"
    structure = prose.structure_of(read_text(path, encoding))
    if structure is None:
        raise InputError(
            Location(str(path)),
            "is neither a task table (no header such as 分类 / 任务编号 / 任务内容 / 责任单位) nor prose with numbered "
            "provisions (一、 parts or 第X条 articles)",
        )
    return structure


def _holds_text_export_header(path: Path, encoding: str | None) -> bool:
    lines = decode_file(path, encoding).text.splitlines()
    cells: list[str] = []
    for line in [*lines, ""]:
        if line.startswith("\t"):
            cells.append(line[1:])
            continue
        if cells and is_header(cells):
            return True
        cells = []
    return False


def found_counts(ingested: Ingested) -> dict[str, int]:
    """What a person checks against the file: categories, tasks, unit names, units, lead and participating
    assignments of a table; parts and items of opinions; chapters, sections, articles and paragraphs of a law."""
    if ingested.table is not None:
        units = set(ingested.graph.objects(None, PKG.leadAgency)) | set(
            ingested.graph.objects(None, PKG.participatingAgency)
        )
        counts = ingested.table.counts()
        return {**counts, "units": len(units)}  # names of one body (abbreviation, full name) are one unit
    if ingested.prose is not None:
        opinions = ingested.prose.structure == "opinions"
        levels = ("part", "item") if opinions else ("chapter", "section", "article", "paragraph")
        return {f"{level}s": ingested.prose.count(level) for level in levels}
    return {}
