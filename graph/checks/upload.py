"""`policykg validate FILE` and the validation service: check one table or RDF file against the shapes."""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from graph import bundled
from graph.checks.report import findings, severity_counts
from graph.checks.shacl import Report, validate
from graph.errors import InputError, Location, Notice, PolicyKGError
from graph.ingest.agencies import Registry, load_registry
from graph.ingest.entries import text_of
from graph.ingest.kinds import PROSE_KINDS, TABLE_KINDS, detect_kind, kind_of, read_prose, read_table
from graph.ingest.manifest import KINDS, Document, Manifest
from graph.ingest.metadata import DocumentMetadata, infer_metadata
from graph.ingest.provisions import prose_graph
from graph.ingest.table import interpret
from graph.ingest.triples import catalogue_graph, registry_graph, source_places, table_graph
from graph.rdf import iris
from graph.rdf.namespaces import PKG
from graph.rdf.parse import is_rdf, parse_rdf_file
from graph.readers.header import Column


@dataclass
class Checked:
    report: Report
    notices: list[Notice]
    places: dict[Node, Location]
    graph: Graph
    kind: str = ""  # what the file was read as: an input kind (a table's format, opinions, law), or "rdf"
    counts: dict[str, int] = field(default_factory=dict)  # what was found in it
    metadata: DocumentMetadata | None = None  # what its text says about the document, with evidence
    columns: list[Column] = field(default_factory=list)  # a table's columns and what each was read as


def check_file(
    path: Path,
    kind: str | None = None,
    encoding: str | None = None,
    registry: Registry | None = None,
    columns: Mapping[str, str] | None = None,
) -> Checked:
    """Validate a task table (.txt, .docx, .csv, .xlsx), a prose document (.txt, .docx, .html, .pdf: opinions or a
    law, told apart by content unless `kind` says) or an RDF file; InputError if it cannot be read. `columns` maps a
    table's header words PolicyKG does not know to roles (`--column 责任主体=lead`)."""
    registry = registry or load_registry(bundled.registry_file())
    ontology = Graph().parse(bundled.ontology_file(), format="turtle")
    shapes = Graph().parse(bundled.shapes_file(), format="turtle")
    context = registry_graph(registry)
    if kind is None and is_rdf(path):
        data = parse_rdf_file(path)
        report = validate(data + context, shapes, ontology)
        return Checked(report, [], {}, data, "rdf", {"triples": len(data), "subjects": len(set(data.subjects()))})
    kind = kind or _kind_by_content(path, encoding)
    if kind in PROSE_KINDS:
        return _check_prose(path, kind, encoding, (shapes, ontology, context))
    kind = kind_of(path, kind)
    raw = read_table(path, kind, encoding, columns)
    document = _upload_document(path)
    table = interpret(raw, registry)
    data = table_graph(document, table, registry)
    places = source_places(document, table, registry)
    catalogue = catalogue_graph(Manifest(path=path, documents=(document,)))
    report = validate(data + catalogue + context, shapes, ontology)
    units = set(data.objects(None, PKG.leadAgency)) | set(data.objects(None, PKG.participatingAgency))
    found = {**table.counts(), "units": len(units)}  # names of one body (abbreviation, full name) are one unit
    layout = list(raw.layout.columns) if raw.layout else []
    metadata = _metadata(path, kind, encoding)
    return Checked(report, table.notices, places, data + catalogue, kind, found, metadata, layout)


def _kind_by_content(path: Path, encoding: str | None) -> str | None:
    """A .txt or .docx may hold a table or prose: decided by what it holds. Left to the table reader (whose errors
    name the missing column) when it is neither, and for the formats that only ever hold tables."""
    if path.suffix.lower() not in (".txt", ".docx", ".html", ".htm", ".pdf"):
        return None
    try:
        return detect_kind(path, encoding)
    except InputError:
        if path.suffix.lower() in (".txt", ".docx"):
            return None
        raise


def _check_prose(path: Path, kind: str, encoding: str | None, against: tuple[Graph, Graph, Graph]) -> Checked:
    shapes, ontology, context = against
    prose = read_prose(path, kind, encoding)
    metadata = _metadata(path, kind, encoding)
    document = _upload_document(path, _manifest_kind(kind, metadata))
    data, places = prose_graph(document, prose)
    catalogue = catalogue_graph(Manifest(path=path, documents=(document,)))
    report = validate(data + catalogue + context, shapes, ontology)
    levels = ("part", "item") if prose.structure == "opinions" else ("chapter", "section", "article", "paragraph")
    found = {f"{level}s": prose.count(level) for level in levels}
    return Checked(report, prose.notices, places, data + catalogue, kind, found, metadata)


def _metadata(path: Path, kind: str, encoding: str | None) -> DocumentMetadata | None:
    """The document's metadata as its text gives it (a table's: the text around the table, as `policykg add`
    reads it); None for a file with no text to read."""
    try:
        return infer_metadata(text_of(path, kind, encoding).text)
    except InputError:
        return None


def _manifest_kind(structure: str, metadata: DocumentMetadata | None) -> str:
    inferred = metadata.kind.value.slug if metadata and metadata.kind else None
    if inferred in KINDS:
        return inferred
    return "law" if structure == "law" else "implementation-opinions"


def _upload_document(path: Path, kind: str = "task-division-table") -> Document:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return Document(
        id="upload",
        file=path,
        title=f"待校验文件 {path.name}",
        title_en=f"File under validation: {path.name}",
        kind=kind,
        iri=URIRef(f"{iris.BASE}upload/{digest}"),
    )


# --- uploads (the validation service) --------------------------------------------------------------------
# Input kinds an upload may name, with the file suffix that selects its reader and the media types that mean it;
# a table's suffix is its kind's (graph.ingest.kinds).
_TABLE_TYPES = {
    "text-export": ("text/plain",),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
    "csv": ("text/csv",),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
}
UPLOAD_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    **{name: (TABLE_KINDS[name].suffixes[0], types) for name, types in _TABLE_TYPES.items()},
    "turtle": (".ttl", ("text/turtle", "application/x-turtle")),
    "ntriples": (".nt", ("application/n-triples",)),
    "nquads": (".nq", ("application/n-quads",)),
    "trig": (".trig", ("application/trig",)),
    "jsonld": (".jsonld", ("application/ld+json",)),
    "rdfxml": (".rdf", ("application/rdf+xml",)),
}
_SUFFIXES = {suffix: kind for kind, (suffix, _) in UPLOAD_KINDS.items()} | {
    ".turtle": "turtle", ".json": "jsonld", ".xml": "rdfxml", ".owl": "rdfxml",
}  # fmt: skip
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


@dataclass(frozen=True)
class UploadReport:
    """What validating one upload found, in plain data (it crosses a process boundary)."""

    file: str
    kind: str
    conforms: bool = False
    summary: dict[str, int] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)
    report: bytes = b""  # the sh:ValidationReport as N-Triples
    error: str | None = None  # the file cannot be read: where and why


def upload_kind(filename: str, kind: str | None = None, media_type: str | None = None) -> str | None:
    """The input kind of an upload: the one named, else by its file suffix, else by its media type."""
    if kind:
        return kind if kind in UPLOAD_KINDS else None
    suffix = Path(filename).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    return next((name for name, (_, types) in UPLOAD_KINDS.items() if media_type in types), None)


def safe_name(filename: str, kind: str) -> str:
    """The upload's own file name (so reports name it), without any path or characters a file system refuses."""
    name = _UNSAFE.sub("_", Path(filename.replace("\\", "/")).name).strip(". ")[:120] or "upload"
    suffix = UPLOAD_KINDS[kind][0]
    return name if upload_kind(name) == kind and Path(name).suffix else f"{name}{suffix}"


def check_upload(
    data: bytes,
    filename: str,
    kind: str,
    encoding: str | None = None,
    registry: Path | None = None,
    folder: Path | None = None,
) -> UploadReport:
    """Validate uploaded bytes as a file of `kind`, reporting places by the upload's own file name.

    The file is written into `folder` (which the caller removes: a killed validation cannot clean up after
    itself), or into a temporary folder of its own."""
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="policykg-upload-") as own:
            return check_upload(data, filename, kind, encoding, registry, Path(own))
    name = safe_name(filename, kind)
    path = folder / name
    path.write_bytes(data)
    try:
        units = load_registry(registry) if registry else None
        checked = check_file(path, kind if kind in TABLE_KINDS else None, encoding, units)
    except InputError as error:
        return UploadReport(name, kind, error=f"{error.where.relative_to(folder).describe()}: {error.message}")
    except PolicyKGError as error:
        return UploadReport(name, kind, error=str(error).replace(f"{folder}/", ""))
    found = findings(checked.report, checked.notices, checked.places.get, folder, checked.graph)
    return UploadReport(
        file=name,
        kind=kind,
        conforms=checked.report.conforms,
        summary=severity_counts(found),
        findings=[finding.as_dict() for finding in found],
        report=checked.report.graph.serialize(format="nt", encoding="utf-8"),
    )
