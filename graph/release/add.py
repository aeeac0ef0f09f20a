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

A task table added gets its automatic measure links in the same release (graph.links.arrival), also written as
`policykg link` candidate files beside the manifest, so a later build keeps them.

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
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from rdflib import Graph, URIRef
from rdflib.term import Node

from graph import bundled
from graph.checks.shacl import Report, validate
from graph.errors import ConfigError, InputError, Location, PolicyKGError
from graph.ingest.agencies import Registry
from graph.ingest.kinds import Ingested, ingest
from graph.ingest.manifest import Document, Manifest
from graph.ingest.triples import catalogue_graph, new_graph
from graph.links.arrival import Arrival, arrival_links, links_graph
from graph.links.citing import CITATIONS_GRAPH, Works, citation_links, resolve_pending
from graph.rdf import iris
from graph.rdf.namespaces import DCTERMS, ELI, PKG, RDF
from graph.rdf.prefixes import PREFIXES
from graph.rdf.terms import graph_of, quads_of, to_oxigraph
from graph.release.build import Built, Inputs, Progress, Source, release_id
from graph.release.write import write_next_release
from graph.store.releases import STORE, current_release

_TYPE = pyoxigraph.NamedNode(PREFIXES["rdf"] + "type")


@dataclass
class Rejected:
    """A document of the command that did not go in: why, and its findings when it could be read."""

    document: Document
    reason: str
    built: Built | None = None  # its findings, when it was read and validated
    error: PolicyKGError | None = None  # why it could not be read


@dataclass
class Added:
    """What `add_documents` did; `built` is the build of the documents added (their report, notices and counts)."""

    built: Built
    release: Path | None
    context_triples: int
    seconds: dict[str, float] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)
    arrivals: list[Arrival] = field(default_factory=list)  # the added tables' automatic links (graph.links.arrival)


def check_document(
    document: Document, manifest: Manifest, registry: Registry, store: pyoxigraph.Store, inputs: Inputs
) -> tuple[Built, int, dict[str, float]]:
    """Ingest and validate one document against the shapes, with its context from `store`."""
    seconds: dict[str, float] = {}
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    clock = time.perf_counter()
    data = document.file.read_bytes()
    ingested = ingest(document, registry)
    entry = catalogue_graph(manifest, only=document, registry=registry)
    seconds["ingest"] = time.perf_counter() - clock

    clock = time.perf_counter()
    parts = [ingested.graph, entry]
    full, context_size = validate_in_context(parts, store, inputs.shapes_graph(), inputs.ontology_graph())
    report = full.about({s for part in parts for s in part.subjects()})
    seconds["validate"] = time.perf_counter() - clock

    source = Source(document, hashlib.sha256(data).hexdigest(), len(data), ingested.encoding)
    ended = dt.datetime.now(dt.UTC).replace(microsecond=0)
    built = _one_document_build(document, manifest, ingested, entry, report, source, started, ended)
    return built, context_size, seconds


def validate_in_context(
    graphs: list[Graph], store: pyoxigraph.Store, shapes: Graph, ontology: Graph
) -> tuple[Report, int]:
    """The graphs validated together with their context from `store` (context_graph); the report covers the
    context nodes too, so take `Report.about` the nodes judged. Also returns the size of the context."""
    context = context_graph(graphs, store)
    merged = Graph()
    for part in (*graphs, context):
        merged += part
    return validate(merged, shapes, ontology), len(context)


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
    added = add_documents(out, [document_id], manifest, registry, inputs, keep, progress, all_or_nothing=True)
    for rejected in added.rejected:
        if rejected.error is not None:
            raise rejected.error  # a file that cannot be read stops the command, naming where
        if rejected.built is not None:
            return Added(rejected.built, None, added.context_triples, added.seconds, added.rejected)
    return added


@dataclass
class _Candidate:
    """One document of the command, read and converted, waiting for validation with the others."""

    document: Document
    ingested: Ingested
    entry: Graph
    source: Source
    report: Report | None = None

    @property
    def graphs(self) -> list[Graph]:
        return [self.ingested.graph, self.entry]


def add_documents(
    out: Path, document_ids: list[str], manifest: Manifest, registry: Registry, inputs: Inputs,
    keep: int = 3, progress: Progress | None = None, all_or_nothing: bool = False,
) -> Added:  # fmt: skip
    """Validate the documents together (they may refer to each other) with their context from the current store,
    and write current + those that conform as ONE new release. A document that cannot be read or does not conform
    is rejected with its reason, and those that refer to it with it; with `all_or_nothing` nothing is written then."""
    say = progress or (lambda _message: None)
    previous = current_release(out)
    if previous is None:
        raise ConfigError(f"{out}: no build yet; run `policykg build` first")
    current = pyoxigraph.Store.read_only(str(previous / STORE))
    documents = [_addable(manifest.document(doc_id), current, previous) for doc_id in document_ids]
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    clock = time.perf_counter()
    candidates, rejected = _read_all(documents, manifest, registry, say)
    seconds = {"ingest": time.perf_counter() - clock}
    clock = time.perf_counter()
    kept, context_size = _validate_all(candidates, manifest, current, inputs, rejected, all_or_nothing, say)
    seconds["validate"] = time.perf_counter() - clock
    built = _batch_build(kept, manifest, started)
    if not kept or (all_or_nothing and rejected):
        return Added(built, None, context_size, seconds, rejected)
    cited, settled = arriving_citations(current, built.graphs)
    built.graphs.append(cited)
    clock = time.perf_counter()
    tables = [candidate.document.id for candidate in kept if candidate.ingested.table is not None]
    arrivals = arrival_links(tables, manifest, built.union(), current, started) if tables else []
    if arrivals:
        built.graphs.append(links_graph(arrivals))
    seconds["link"] = time.perf_counter() - clock
    new = list(dict.fromkeys(quads_of(built.graphs)))
    folder, timed = write_next_release(out, previous, current, built, new, settled, keep, say)
    seconds.update(timed)
    _keep_candidates(arrivals, inputs)
    return Added(built, folder, context_size, seconds, rejected, arrivals)


def _keep_candidates(arrivals: list[Arrival], inputs: Inputs) -> None:
    """The arrival links as `policykg link` writes them, beside the manifest the documents were entered in, so the
    next build has them too; not beside the installed manifest (a package's files are not ours to change)."""
    if not arrivals or bundled.is_bundled(inputs.manifest):
        return
    folder = inputs.automatic_links_folder()
    for arrival in arrivals:
        arrival.linking.write(folder / arrival.file_name, arrival.links)


def _addable(document: Document, current: pyoxigraph.Store, previous: Path) -> Document:
    if document.reader is None:
        raise ConfigError(f"document {document.id}: no reader; only documents with content can be added")
    if current.contains_named_graph(pyoxigraph.NamedNode(str(iris.named_graph(document.id)))):
        raise ConfigError(f"document {document.id} is already in release {previous.name}; run `policykg build`")
    return document


def _read_all(
    documents: list[Document], manifest: Manifest, registry: Registry, say: Progress
) -> tuple[list[_Candidate], list[Rejected]]:
    """Each document read and converted as a build does it; one that cannot be read is rejected with the reason."""
    candidates, rejected = [], []
    for index, document in enumerate(documents, start=1):
        say(f"{index}/{len(documents)} reading {document.file.name}")
        try:
            data = document.file.read_bytes()
            ingested = ingest(document, registry)
        except InputError as error:
            rejected.append(Rejected(document, error.message, error=error))
            continue
        entry = catalogue_graph(manifest, only=document, registry=registry)
        source = Source(document, hashlib.sha256(data).hexdigest(), len(data), ingested.encoding)
        candidates.append(_Candidate(document, ingested, entry, source))
    return candidates, rejected


def _validate_all(
    candidates: list[_Candidate], manifest: Manifest, store: pyoxigraph.Store, inputs: Inputs,
    rejected: list[Rejected], all_or_nothing: bool, say: Progress,
) -> tuple[list[_Candidate], int]:  # fmt: skip
    """The candidates that conform together. Those with violations are rejected, with those that refer to them, and
    the rest validated again, until what remains conforms (or, with `all_or_nothing`, at the first failure)."""
    shapes, ontology = inputs.shapes_graph(), inputs.ontology_graph()
    kept, context_size = _without_dependents(candidates, rejected), 0
    while kept and not (all_or_nothing and rejected):
        say(f"validating {len(kept)} document(s) against the SHACL shapes")
        graphs = [graph for candidate in kept for graph in candidate.graphs]
        full, context_size = validate_in_context(graphs, store, shapes, ontology)
        failing = []
        for candidate in kept:
            candidate.report = full.about({s for graph in candidate.graphs for s in graph.subjects()})
            if not candidate.report.conforms:
                failing.append(candidate)
        if not failing:
            break
        for candidate in failing:
            count = len(candidate.report.of("violation")) if candidate.report else 0
            built = _batch_build([candidate], manifest, dt.datetime.now(dt.UTC).replace(microsecond=0))
            rejected.append(Rejected(candidate.document, f"{count} violation(s)", built))
        kept = _without_dependents([c for c in kept if c not in failing], rejected)
    return kept, context_size


def _without_dependents(candidates: list[_Candidate], rejected: list[Rejected]) -> list[_Candidate]:
    """The candidates that refer to no rejected document (through others too); the rest are rejected."""
    kept = list(candidates)
    while True:
        refused = {r.document.id for r in rejected}
        dependents = [c for c in kept if refused & {*c.document.implements, c.document.attachment_of or ""}]
        if not dependents:
            return kept
        for candidate in dependents:
            rejected.append(Rejected(candidate.document, "it refers to a document of this command that was not added"))
        kept = [c for c in kept if c not in dependents]


def _batch_build(candidates: list[_Candidate], manifest: Manifest, started: dt.datetime) -> Built:
    """The build of the documents added: their graphs, findings, notices, tables and sources."""
    graphs = [graph for candidate in candidates for graph in candidate.graphs]
    results = [r for c in candidates if c.report is not None for r in c.report.results]
    report_graph = next((c.report.graph for c in candidates if c.report is not None), Graph())
    ended = dt.datetime.now(dt.UTC).replace(microsecond=0)
    read = [f"{c.source.sha256}+{c.document.id}".encode() for c in candidates]
    places: dict[Node, Location] = {}
    for candidate in candidates:
        places.update(candidate.ingested.places)
    return Built(
        release=release_id(started, read),
        started=started,
        ended=ended,
        manifest=manifest,
        graphs=graphs,
        report=Report(results, report_graph),
        notices=[notice for c in candidates for notice in c.ingested.notices],
        tables={c.document.id: c.ingested.table for c in candidates if c.ingested.table},
        sources=[c.source for c in candidates],
        places=places,
        proses={c.document.id: c.ingested.prose for c in candidates if c.ingested.prose},
    )


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
