"""`policykg add`: one new document into the current release, in time proportional to that document.

A full build re-reads and re-validates the whole corpus. Adding one document needs only:

1. the document read and converted exactly as a build does it (graph.ingest.kinds), with its catalogue record;
2. SHACL validation of that graph together with its *context*, looked up in the current store: the description
   of every IRI it points at but does not describe (the units of the registry it names, the documents it
   implements or is attached to), and the `rdf:type` of what those point at. Shapes that check the class of a
   unit or a policy see it; results about context nodes are dropped (they were validated by their own build), so
   only the new document's nodes are judged, and the rest of the corpus is never read. An IRI the store does not
   know stays undescribed, so a task naming a unit missing from the release fails validation as in a build;
3. a checkpoint of the current store (RocksDB hard-links its immutable files, so this does not copy the corpus),
   the new quads added to it, and the result written as a new release that becomes `current` atomically.

The dumps of the new release are written as a build writes them (graph.release.write): policykg.nq is the release
before's N-Quads as written plus the new quads (less the unresolved citations the document answers), the others
come from the new store. That step is proportional to
the corpus (a dump is the whole dataset) and is timed apart in `Added.seconds`. Curated links of the new document
(data/links.toml) and the provenance record of the release come with the next full build. The citations come
with the document (`arriving_citations`): its own, resolved against the release, and those of the release that
cited it before it was there, which become links.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph
from rdflib import Graph, URIRef

from graph.checks.report import report_json
from graph.checks.shacl import Report, validate
from graph.errors import ConfigError
from graph.ingest.agencies import Registry
from graph.ingest.kinds import Ingested, ingest
from graph.ingest.manifest import Document, Manifest
from graph.ingest.triples import catalogue_graph, new_graph
from graph.links.citing import CITATIONS_GRAPH, Works, citation_links, resolve_pending
from graph.rdf import iris
from graph.rdf.namespaces import DCTERMS, ELI, PKG, RDF
from graph.rdf.prefixes import PREFIXES
from graph.rdf.terms import graph_of, quads_of, to_oxigraph
from graph.release.build import Built, Inputs, Progress, Source, release_id
from graph.release.write import new_release, record_version, source_record, write_dumps, write_record
from graph.store.releases import STORE, current_release

_TYPE = pyoxigraph.NamedNode(PREFIXES["rdf"] + "type")


@dataclass
class Added:
    """What `add_document` did; `built` is the one-document build (its report, notices and counts)."""

    built: Built
    release: Path | None
    context_triples: int
    seconds: dict[str, float] = field(default_factory=dict)


def check_document(
    document: Document, manifest: Manifest, registry: Registry, store: pyoxigraph.Store, inputs: Inputs
) -> tuple[Built, int, dict[str, float]]:
    """Ingest and validate one document against the shapes, with its context from `store`."""
    seconds: dict[str, float] = {}
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    clock = time.perf_counter()
    data = document.file.read_bytes()
    ingested = ingest(document, registry)
    entry = catalogue_graph(manifest, only=document)
    seconds["ingest"] = time.perf_counter() - clock

    clock = time.perf_counter()
    context = context_graph([ingested.graph, entry], store)
    ontology = inputs.ontology_graph()
    shapes = inputs.shapes_graph()
    merged = Graph()
    for part in (ingested.graph, entry, context):
        merged += part
    full = validate(merged, shapes, ontology)
    own = {s for part in (ingested.graph, entry) for s in part.subjects()}
    report = Report([result for result in full.results if result.focus in own], full.graph)
    seconds["validate"] = time.perf_counter() - clock

    source = Source(document, hashlib.sha256(data).hexdigest(), len(data), ingested.encoding)
    ended = dt.datetime.now(dt.UTC).replace(microsecond=0)
    built = _one_document_build(document, manifest, ingested, entry, report, source, started, ended)
    return built, len(context), seconds


def context_graph(graphs: list[Graph], store: pyoxigraph.Store) -> Graph:
    """What the store says about the IRIs these graphs point at without describing them, and their targets' types."""
    described = {s for graph in graphs for s in graph.subjects()}
    pointed = sorted({o for graph in graphs for o in graph.objects() if isinstance(o, URIRef)} - described)
    context = new_graph()
    typed: set[pyoxigraph.NamedNode | pyoxigraph.BlankNode] = set()
    for iri in pointed:
        description = list(store.quads_for_pattern(pyoxigraph.NamedNode(str(iri)), None, None))  # in every graph
        graph_of(description, context)
        targets = {q.object for q in description if isinstance(q.object, pyoxigraph.NamedNode | pyoxigraph.BlankNode)}
        for target in targets - typed:
            graph_of(store.quads_for_pattern(target, _TYPE, None), context)
        typed |= targets
    return context


def add_document(
    out: Path, document_id: str, manifest: Manifest, registry: Registry, inputs: Inputs,
    keep: int = 3, progress: Progress | None = None,
) -> Added:  # fmt: skip
    """Validate `document_id` and, if it conforms, write current + that document as the new current release."""
    say = progress or (lambda _message: None)
    previous = current_release(out)
    if previous is None:
        raise ConfigError(f"{out}: no build yet; run `policykg build` first")
    document = manifest.document(document_id)
    if document.reader is None:
        raise ConfigError(f"document {document_id}: no reader; only documents with content can be added")
    graph_name = pyoxigraph.NamedNode(str(iris.named_graph(document.id)))
    current = pyoxigraph.Store.read_only(str(previous / STORE))
    if current.contains_named_graph(graph_name):
        raise ConfigError(f"document {document_id} is already in release {previous.name}; run `policykg build`")
    say(f"reading and validating {document.file.name}")
    built, context_size, seconds = check_document(document, manifest, registry, current, inputs)
    if not built.report.conforms:
        return Added(built, None, context_size, seconds)
    cited, settled = arriving_citations(current, built.graphs)
    built.graphs.append(cited)
    new = list(dict.fromkeys(quads_of(built.graphs)))
    with new_release(out, built.release, keep) as release:
        say("adding it to a checkpoint of the current store")
        clock = time.perf_counter()
        current.backup(str(release.folder / STORE))
        store = pyoxigraph.Store(str(release.folder / STORE))
        store.extend(new)
        for quad in settled:
            store.remove(quad)
        store.flush()
        seconds["load"] = time.perf_counter() - clock
        clock = time.perf_counter()
        stored = list(store)
        del store
        triples = write_dumps(release.folder, stored, _as_built(previous, stored, new, set(settled)), say)
        _records(previous, release.folder, built, triples)
        record_version(release.folder, built.release, built.ended, previous, stored)  # version, checksums, changes
    seconds["dumps"] = time.perf_counter() - clock
    return Added(built, release.final, context_size, seconds)


def _as_built(
    previous: Path, stored: list[pyoxigraph.Quad], new: list[pyoxigraph.Quad], removed: set[pyoxigraph.Quad]
) -> list[pyoxigraph.Quad]:
    """The previous release's N-Quads as written (the store writes some literals its own way) and the new quads,
    less the removed ones; the store's quads for a store made elsewhere, which has no N-Quads dump."""
    dump = previous / "policykg.nq"
    if not dump.is_file():
        return stored
    before = pyoxigraph.parse(path=str(dump), format=pyoxigraph.RdfFormat.N_QUADS)
    return [quad for quad in dict.fromkeys([*before, *new]) if quad not in removed]


# --- citations ------------------------------------------------------------------------------------------------
_CITATION_TERMS = [pyoxigraph.NamedNode(str(term)) for term in (DCTERMS.title, PKG.documentNumber, ELI.date_document)]


def arriving_citations(store: pyoxigraph.Store, graphs: list[Graph]) -> tuple[Graph, list[pyoxigraph.Quad]]:
    """The citation links of the documents in `graphs` (their own citations, resolved against them and the
    documents of `store`) and of the unresolved citations of `store` they answer; and the quads of those
    unresolved citations, which the links replace (graph.links.citing)."""
    arriving = new_graph()
    for graph in graphs:
        arriving += graph
    catalogue = _catalogue(store)
    catalogue += arriving

    def exists(iri: URIRef) -> bool:
        if (iri, RDF.type, PKG.Provision) in arriving:
            return True
        return next(store.quads_for_pattern(pyoxigraph.NamedNode(str(iri)), _TYPE, _PROVISION), None) is not None

    documents = sorted(node for node in arriving.subjects(RDF.type, PKG.Policy) if isinstance(node, URIRef))
    own = citation_links(arriving + catalogue, documents, Works.of(catalogue, exists))
    pending = _pending(store, catalogue)
    resolved, removed = resolve_pending(pending, Works.of(arriving, exists))
    settled = [
        pyoxigraph.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), _CITATIONS)  # type: ignore[arg-type]
        for s, p, o in removed
    ]
    own += resolved
    return own, settled


_PROVISION = pyoxigraph.NamedNode(str(PKG.Provision))
_CITATIONS = pyoxigraph.NamedNode(str(CITATIONS_GRAPH))


def _catalogue(store: pyoxigraph.Store) -> Graph:
    """The documents of `store` as citations name them: type, titles, numbers and dates."""
    found = new_graph()
    for quad in store.quads_for_pattern(None, _TYPE, pyoxigraph.NamedNode(str(PKG.Policy))):
        graph_of([quad], found)
        for term in _CITATION_TERMS:
            graph_of(store.quads_for_pattern(quad.subject, term, None), found)
    return found


def _pending(store: pyoxigraph.Store, catalogue: Graph) -> Graph:
    """The unresolved citations of `store`, with the documents' dates (the version a citation means)."""
    pending = new_graph()
    kind = pyoxigraph.NamedNode(str(PKG.UnresolvedCitation))
    for quad in store.quads_for_pattern(None, _TYPE, kind, _CITATIONS):
        graph_of(store.quads_for_pattern(quad.subject, None, None, _CITATIONS), pending)
    for document, date in catalogue.subject_objects(ELI.date_document):
        pending.add((document, ELI.date_document, date))
    return pending


def _records(previous: Path, folder: Path, built: Built, triples: int) -> None:
    """build.json and report.json of the previous release, with the added document."""
    info = _json(previous / "build.json") or {"graphs": {}, "sources": []}
    source = built.sources[0]
    info.update(
        release=built.release, started=built.started.isoformat(), ended=built.ended.isoformat(), triples=triples
    )
    info["sources"].append(source_record(source))
    for graph in built.graphs:
        key = str(graph.identifier)
        info["graphs"][key] = info["graphs"].get(key, 0) + len(graph)
    info["added"] = [*info.get("added", []), {"document": source.document.id, "to": previous.name}]
    write_record(folder / "build.json", info)
    report = _json(previous / "report.json") or {"conforms": True, "counts": {}, "summary": {}, "findings": []}
    added = report_json(built)
    report.update(release=built.release)
    report["findings"] += added["findings"]
    for severity, count in added["summary"].items():
        report["summary"][severity] = report["summary"].get(severity, 0) + count
    write_record(folder / "report.json", report)


def _json(path: Path) -> dict[str, Any] | None:
    """A release's record, or None for a store made elsewhere (a restored or generated one) that has none."""
    return json.loads(path.read_text("utf-8")) if path.is_file() else None


def _one_document_build(
    document: Document, manifest: Manifest, ingested: Ingested, entry: Graph, report: Report, source: Source,
    started: dt.datetime, ended: dt.datetime,
) -> Built:  # fmt: skip
    return Built(
        release=release_id(started, [f"{source.sha256}+{document.id}".encode()]),
        started=started,
        ended=ended,
        manifest=manifest,
        graphs=[ingested.graph, entry],
        report=report,
        notices=ingested.notices,
        tables={document.id: ingested.table} if ingested.table else {},
        sources=[source],
        places=ingested.places,
        proses={document.id: ingested.prose} if ingested.prose else {},
    )
