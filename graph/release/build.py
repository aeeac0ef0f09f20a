"""`policykg build`: ingest the manifest's documents, validate the whole graph, and describe the result."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

import graph as package
from graph import bundled
from graph.checks.shacl import Report, validate
from graph.errors import ConfigError, InputError, Location, Notice
from graph.ingest.agencies import Registry, load_registry
from graph.ingest.kinds import ingest
from graph.ingest.manifest import (
    Document,
    Manifest,
    is_registry_id,
    load_manifest,
    manifest_chain,
    manifest_folders,
)
from graph.ingest.table import TaskTable
from graph.ingest.triples import catalogue_graph, new_graph, provenance_graph, registry_graph
from graph.links.citing import citation_links
from graph.links.linkset import AUTOMATIC_GRAPH, CURATED_GRAPH, links_graph, load_linkset, without_rejected
from graph.rdf import iris
from graph.rdf.namespaces import PKG, RDF
from graph.rdf.parse import parse_rdf_file
from graph.readers.prose import ProseDocument

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Inputs:
    """The files a build reads; defaults are the bundled ones."""

    manifest: Path = field(default_factory=bundled.manifest_file)
    registry: Path = field(default_factory=bundled.registry_file)
    ontology: Path = field(default_factory=bundled.ontology_file)
    shapes: Path = field(default_factory=bundled.shapes_file)
    links: Path | None = None  # the curated linkset; every links.toml beside the manifest chain when None

    def linksets(self) -> list[Path]:
        """The links.toml beside each manifest of the chain, the one furthest out first: the build folder's
        manifest extends the one in use, so its curated links (`policykg curate`) come after the bundled ones."""
        if self.links:
            return [self.links]
        found = [folder / "links.toml" for folder in reversed(self.manifest_folders())]
        return [path for path in found if path.is_file()]

    def automatic_links_folder(self) -> Path:
        """Where `policykg link` writes its candidates and a build reads them: links-automatic/ beside the manifest."""
        return self.manifest.parent / "links-automatic"

    def automatic_links(self) -> list[Path]:
        """The candidate files of `policykg link`, beside the manifest and the manifests it extends; a file of the
        same name nearer the manifest replaces the one further out."""
        found: dict[str, Path] = {}
        for folder in self.manifest_folders():
            for path in sorted((folder / "links-automatic").glob("*.ttl")):
                found.setdefault(path.name, path)
        return sorted(found.values())

    def manifest_folders(self) -> tuple[Path, ...]:
        """The manifest's folder and those of the manifests it extends, its own first."""
        try:
            return manifest_folders(self.manifest)
        except ConfigError:  # a broken manifest is reported by the build that reads it
            return (self.manifest.parent,)

    def ontology_graph(self) -> Graph:
        """The ontology, in its named graph; ConfigError if the file is missing or not Turtle."""
        return _turtle(self.ontology, iris.ONTOLOGY_GRAPH)

    def shapes_graph(self) -> Graph:
        """The SHACL shapes; ConfigError if the file is missing or not Turtle."""
        return _turtle(self.shapes, None)


@dataclass(frozen=True)
class Source:
    document: Document
    sha256: str
    size: int
    encoding: str | None


@dataclass
class Built:
    """Everything one build produced, before anything is written."""

    release: str
    started: dt.datetime
    ended: dt.datetime
    manifest: Manifest
    graphs: list[Graph]
    report: Report
    notices: list[Notice]
    tables: dict[str, TaskTable]
    sources: list[Source]
    places: dict[Node, Location]
    proses: dict[str, ProseDocument] = field(default_factory=dict)

    def dataset(self) -> Dataset:
        dataset = Dataset()
        for graph in self.graphs:
            for prefix, namespace in graph.namespaces():
                dataset.bind(prefix, namespace, replace=True)
            dataset.graph(graph.identifier).__iadd__(graph)
        return dataset

    def union(self) -> Graph:
        union = new_graph()
        for graph in self.graphs:
            union += graph
        return union


def build(inputs: Inputs | None = None, progress: Progress | None = None) -> Built:
    """Read, convert and validate every document of the manifest. Raises InputError or ConfigError."""
    inputs = inputs or Inputs()
    say = progress or (lambda _message: None)
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    registry = load_registry(inputs.registry)
    manifest = load_manifest(inputs.manifest)
    _check_issuers(manifest, registry)
    ontology = inputs.ontology_graph()
    shapes = inputs.shapes_graph()

    graphs: list[Graph] = []
    tables: dict[str, TaskTable] = {}
    proses: dict[str, ProseDocument] = {}
    sources: list[Source] = []
    notices: list[Notice] = []
    places: dict[Node, Location] = {}
    for document in manifest.documents:
        say(f"reading {document.file.name}")
        source = _source(document)
        if document.reader:
            ingested = ingest(document, registry)
            source = Source(document, source.sha256, source.size, ingested.encoding)
            if ingested.table is not None:
                tables[document.id] = ingested.table
            if ingested.prose is not None:
                proses[document.id] = ingested.prose
            notices.extend(ingested.notices)
            graphs.append(ingested.graph)
            places.update(ingested.places)
        sources.append(source)
    graphs += [registry_graph(registry), catalogue_graph(manifest, registry=registry)]
    say("adding the curated links")
    linkset = load_linkset(inputs.linksets(), manifest)
    graphs.append(links_graph(linkset.links, CURATED_GRAPH))
    places.update(linkset.places)
    automatic = _automatic_links(inputs.automatic_links(), places, linkset.rejected)
    if len(automatic):
        say("adding the automatic link candidates")
        graphs.append(automatic)
    say("reading the citations in the texts")
    merged = _merge(graphs)
    cited = citation_links(merged)
    graphs.append(cited)
    merged += cited

    say("validating against the SHACL shapes")
    report = validate(merged, shapes, ontology)
    ended = dt.datetime.now(dt.UTC).replace(microsecond=0)
    release = release_id(started, _read(sources, inputs))
    graphs.append(
        provenance_graph(
            release,
            started,
            ended,
            [(s.document, s.sha256, s.size, s.encoding) for s in sources],
            package.__version__,
        )
    )
    graphs.insert(0, ontology)
    return Built(release, started, ended, manifest, graphs, report, notices, tables, sources, places, proses)


def _turtle(path: Path, identifier: URIRef | None) -> Graph:
    graph = new_graph(identifier)
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise ConfigError(f"{path}: not found") from None
    except Exception as error:  # rdflib raises several unrelated types for bad Turtle
        raise ConfigError(f"{path}: not valid Turtle ({error})") from None
    return graph


def _automatic_links(
    paths: list[Path], places: dict[Node, Location], rejected: Mapping[tuple[URIRef, URIRef], Location]
) -> Graph:
    """The candidate files in the automatic-links graph, less the candidates curators rejected (links.toml
    `[[rejected]]`); each link is placed in its file for the report."""
    graph = new_graph(AUTOMATIC_GRAPH)
    for path in paths:
        candidates = parse_rdf_file(path)
        without_rejected(candidates, rejected)
        places.update((link, Location(str(path))) for link in candidates.subjects(RDF.type, PKG.Link))
        graph += candidates
    return graph


def _merge(graphs: list[Graph]) -> Graph:
    merged = Graph()
    for graph in graphs:
        merged += graph
    return merged


def _check_issuers(manifest: Manifest, registry: Registry) -> None:
    for document in manifest.documents:
        for issuer in document.issuers:
            if is_registry_id(issuer) and issuer not in registry.units:  # a name is read within its jurisdiction
                raise ConfigError(
                    f"{manifest.path}: document {document.id} names issuer {issuer!r}, which is not in the registry"
                )


def _source(document: Document) -> Source:
    try:
        data = document.file.read_bytes()
    except FileNotFoundError:
        raise InputError(Location(str(document.file)), f"no such file (listed for document {document.id})") from None
    return Source(document, hashlib.sha256(data).hexdigest(), len(data), None)


def release_id(started: dt.datetime, read: Iterable[bytes]) -> str:
    """A release's id: the second it started, and a digest of what it read."""
    digest = hashlib.sha256()
    for data in read:
        digest.update(data)
    return f"{started:%Y%m%dT%H%M%SZ}-{digest.hexdigest()[:8]}".lower()


def _read(sources: list[Source], inputs: Inputs) -> Iterator[bytes]:
    """What a build's release id digests: each source's SHA-256 and the bytes of every other input file."""
    for source in sources:
        yield source.sha256.encode()
    read = (*manifest_chain(inputs.manifest), inputs.registry, inputs.ontology, inputs.shapes)
    for path in (*read, *inputs.linksets(), *inputs.automatic_links()):
        if path.is_file():
            yield path.read_bytes()
