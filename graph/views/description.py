"""The dataset describing itself: SPARQL Service Description, VoID and a DCAT catalogue.

Every IRI here is under the base, so each is served by this server like any other resource.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, VOID, XSD

from graph import bundled
from graph.rdf.namespaces import PREFIXES
from graph.store.base import Store
from graph.store.queries import load_queries
from graph.store.releases import kept_releases, release_info

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
DCAT3 = Namespace(str(DCAT))  # rdflib's DCAT is DCAT 2 and lacks the version terms of DCAT 3
SPDX = Namespace("http://spdx.org/rdf/terms#")
PAV = Namespace("http://purl.org/pav/")
IANA = "https://www.iana.org/assignments/media-types/"
LICENSE = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                   "Turtle", "N-Triples", "JSON-LD", "RDF_XML")  # fmt: skip
_VOCABULARIES = ("pkg", "eli", "org", "skos", "dct", "prov", "foaf", "dcat")
DUMP_TYPES = {
    "policykg.ttl": "text/turtle",
    "policykg.nt": "application/n-triples",
    "policykg.trig": "application/trig",
    "policykg.nq": "application/n-quads",
    "policykg.jsonld": "application/ld+json",
}


@dataclass(frozen=True)
class Sizes:
    triples: int
    graphs: dict[str, int]
    classes: dict[str, int]


def sizes(store: Store) -> Sizes:
    queries = load_queries(bundled.folder("queries") / "views")
    graphs = {}
    for row in store.query(queries["graph-sizes"].text):  # type: ignore[union-attr]
        graphs[row["graph"].value] = int(row["triples"].value)
    classes = {}
    for row in store.query(queries["class-sizes"].text):  # type: ignore[union-attr]
        if isinstance(row["class"], pyoxigraph.NamedNode):
            classes[row["class"].value] = int(row["entities"].value)
    return Sizes(len(store), graphs, classes)


def _graph() -> Graph:
    graph = Graph()
    for prefix, namespace in {**PREFIXES, "sd": str(SD), "formats": str(FORMATS)}.items():
        graph.bind(prefix, namespace, replace=True)
    return graph


def service_description(endpoint: str, store: Store, writable: bool) -> Graph:
    graph = _graph()
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if writable:
        graph.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    graph.add((service, SD.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
    for name in _RESULT_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    dataset, default = BNode(), BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    measured = sizes(store)
    graph.add((default, VOID.triples, Literal(measured.triples)))
    for name, count in measured.graphs.items():
        named, described = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, SD.Graph))
        graph.add((described, VOID.triples, Literal(count)))
    return graph


def dataset_iri(base: str) -> URIRef:
    return URIRef(base + "dataset")


def void_description(base: str, store: Store, dumps: list[str], example: str | None = None) -> Graph:
    graph = _graph()
    dataset = dataset_iri(base)
    measured = sizes(store)
    graph.add((dataset, RDF.type, VOID.Dataset))
    _titles(graph, dataset)
    graph.add((dataset, DCTERMS.license, LICENSE))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(base + "sparql")))
    graph.add((dataset, VOID.uriSpace, Literal(base)))
    graph.add((dataset, VOID.triples, Literal(measured.triples)))
    graph.add((dataset, VOID.classes, Literal(len(measured.classes))))
    graph.add((dataset, VOID.rootResource, URIRef(base)))
    for prefix in _VOCABULARIES:
        graph.add((dataset, VOID.vocabulary, URIRef(PREFIXES[prefix])))
    for name in dumps:
        graph.add((dataset, VOID.dataDump, URIRef(f"{base}dumps/{name}")))
    if example:
        graph.add((dataset, VOID.exampleResource, URIRef(example)))
    for cls, count in sorted(measured.classes.items()):
        partition = URIRef(f"{base}dataset/class/{cls.rsplit('#', 1)[-1].rsplit('/', 1)[-1]}")
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(cls)))
        graph.add((partition, VOID.entities, Literal(count)))
    for name, count in measured.graphs.items():
        graph.add((dataset, VOID.subset, URIRef(name)))
        graph.add((URIRef(name), RDF.type, VOID.Dataset))
        graph.add((URIRef(name), VOID.triples, Literal(count)))
    return graph


def _titles(graph: Graph, node: URIRef) -> None:
    graph.add((node, DCTERMS.title, Literal("PolicyKG 政策知识图谱", lang="zh")))
    graph.add((node, DCTERMS.title, Literal("PolicyKG policy knowledge graph", lang="en")))
    graph.add(
        (node, DCTERMS.description, Literal("中国政府政策文件、任务分工、责任单位及其角色的关联数据。", lang="zh"))
    )
    graph.add((node, DCTERMS.description, Literal(
        "Chinese government policy documents, their task divisions, responsible agencies and roles, as linked data.",
        lang="en")))  # fmt: skip


def dcat_catalogue(base: str, release: Path | None) -> Graph:
    graph = _graph()
    catalog, dataset, service = URIRef(base + "catalog"), dataset_iri(base), URIRef(base + "sparql-service")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    _titles(graph, catalog)
    graph.add((catalog, DCAT.dataset, dataset))
    graph.add((catalog, DCAT.service, service))
    graph.add((catalog, FOAF.homepage, URIRef(base)))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    _titles(graph, dataset)
    graph.add((dataset, DCTERMS.license, LICENSE))
    graph.add((dataset, DCAT.keyword, Literal("科技成果评价", lang="zh")))
    graph.add((dataset, DCAT.keyword, Literal("policy", lang="en")))
    graph.add((dataset, DCTERMS.conformsTo, URIRef(base + "ontology")))
    graph.add((dataset, DCTERMS.conformsTo, URIRef(base + "shapes")))
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCTERMS.title, Literal("PolicyKG SPARQL 端点", lang="zh")))
    graph.add((service, DCTERMS.title, Literal("PolicyKG SPARQL endpoint", lang="en")))
    graph.add((service, DCAT.endpointURL, URIRef(base + "sparql")))
    graph.add((service, DCAT.endpointDescription, URIRef(base + "sparql")))
    graph.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    graph.add((service, DCAT.servesDataset, dataset))
    _reconciliation_service(graph, catalog, dataset, URIRef(base + "reconcile"))
    _feed(graph, base, dataset)
    if release is not None:
        _versions(graph, base, dataset, release)
    return graph


def _versions(graph: Graph, base: str, dataset: URIRef, release: Path) -> None:
    """The version served, its dumps with checksums, and every release still kept as a version of the dataset."""
    info = release_info(release)
    graph.add((dataset, DCAT3.version, Literal(release.name)))
    graph.add((dataset, OWL.versionInfo, Literal(release.name)))
    if isinstance(info.get("issued"), str):
        graph.add((dataset, DCTERMS.modified, Literal(info["issued"], datatype=XSD.dateTime)))
    _distributions(graph, base, dataset, release, info)
    kept = kept_releases(release.parent)
    names = {folder.name for folder in kept}
    for folder in kept:
        version, details = URIRef(f"{base}catalog#release-{folder.name}"), release_info(folder)
        graph.add((dataset, DCTERMS.hasVersion, version))
        graph.add((dataset, PAV.hasVersion, version))
        graph.add((version, RDF.type, DCAT.Dataset))
        graph.add((version, DCTERMS.isVersionOf, dataset))
        graph.add((version, DCAT3.version, Literal(folder.name)))
        graph.add((version, DCTERMS.title, Literal(f"PolicyKG 版本 {folder.name}", lang="zh")))
        graph.add((version, DCTERMS.title, Literal(f"PolicyKG release {folder.name}", lang="en")))
        if isinstance(details.get("issued"), str):
            graph.add((version, DCTERMS.issued, Literal(details["issued"], datatype=XSD.dateTime)))
        previous = details.get("previous")
        if isinstance(previous, str) and previous in names:
            graph.add((version, DCAT3.previousVersion, URIRef(f"{base}catalog#release-{previous}")))
            graph.add((version, PAV.previousVersion, URIRef(f"{base}catalog#release-{previous}")))
        _distributions(graph, base, version, folder, details)
    if kept and kept[0].name == release.name:
        graph.add((dataset, DCAT3.hasCurrentVersion, URIRef(f"{base}catalog#release-{release.name}")))


def _distributions(graph: Graph, base: str, dataset: URIRef, release: Path, info: dict[str, object]) -> None:
    """One distribution per dump of `release`, at its versioned URL, with size, SHA-256 and issue date."""
    checksums = info.get("dumps") if isinstance(info.get("dumps"), dict) else {}
    assert isinstance(checksums, dict)
    for name in available_dumps(release):
        url = f"{base}dumps/{release.name}/{name}"
        distribution = URIRef(url + "#distribution")
        graph.add((dataset, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCAT.downloadURL, URIRef(url)))
        graph.add((distribution, DCAT.accessURL, URIRef(url)))
        graph.add((distribution, DCAT.mediaType, URIRef(IANA + DUMP_TYPES[name])))
        size = (release / name).stat().st_size
        graph.add((distribution, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
        graph.add((distribution, DCTERMS.license, LICENSE))
        if isinstance(info.get("issued"), str):
            graph.add((distribution, DCTERMS.issued, Literal(info["issued"], datatype=XSD.dateTime)))
        recorded = checksums.get(name)
        if isinstance(recorded, dict) and recorded.get("bytes") == size:
            checksum = URIRef(url + "#sha256")  # one node, however many versions list the distribution
            graph.add((distribution, SPDX.checksum, checksum))
            graph.add((checksum, RDF.type, SPDX.Checksum))
            graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            graph.add((checksum, SPDX.checksumValue, Literal(recorded["sha256"], datatype=XSD.hexBinary)))


def _feed(graph: Graph, base: str, dataset: URIRef) -> None:
    """The change feed, as a distribution other registries follow to sync incrementally."""
    feed = URIRef(base + "feed.atom#distribution")
    graph.add((dataset, DCAT.distribution, feed))
    graph.add((feed, RDF.type, DCAT.Distribution))
    graph.add((feed, DCTERMS.title, Literal("变更订阅（Atom）", lang="zh")))
    graph.add((feed, DCTERMS.title, Literal("Change feed (Atom)", lang="en")))
    graph.add((feed, DCAT.accessURL, URIRef(base + "feed.atom")))
    graph.add((feed, DCAT.mediaType, URIRef(IANA + "application/atom+xml")))
    graph.add((feed, DCTERMS.conformsTo, URIRef("https://www.rfc-editor.org/rfc/rfc4287")))


def _reconciliation_service(graph: Graph, catalog: URIRef, dataset: URIRef, service: URIRef) -> None:
    """The W3C Reconciliation Service API endpoint (OpenRefine's reconciliation) as a second data service."""
    graph.add((catalog, DCAT.service, service))
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCTERMS.title, Literal("PolicyKG 对账服务（责任单位、任务、文件）", lang="zh")))
    graph.add(
        (service, DCTERMS.title, Literal("PolicyKG reconciliation service (agencies, tasks, policies)", lang="en"))
    )
    graph.add((service, DCAT.endpointURL, service))
    graph.add((service, DCAT.endpointDescription, service))  # GET without parameters: the service manifest
    graph.add((service, DCTERMS.conformsTo, URIRef("https://reconciliation-api.github.io/specs/0.2/")))
    graph.add((service, DCAT.servesDataset, dataset))


def available_dumps(release: Path | None) -> list[str]:
    if release is None:
        return []
    return [name for name in DUMP_TYPES if (release / name).is_file()]
