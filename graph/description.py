"""The dataset describing itself: SPARQL Service Description, VoID and a DCAT catalogue.

Every IRI here is under the base, so each is served by this server like any other resource.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD

from graph import resources
from graph.namespaces import PREFIXES
from graph.queries import load_queries
from graph.store import GraphStore as Store

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
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
    queries = load_queries(resources.folder("queries") / "views")
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
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCTERMS.title, Literal("PolicyKG SPARQL 端点", lang="zh")))
    graph.add((service, DCTERMS.title, Literal("PolicyKG SPARQL endpoint", lang="en")))
    graph.add((service, DCAT.endpointURL, URIRef(base + "sparql")))
    graph.add((service, DCAT.endpointDescription, URIRef(base + "sparql")))
    graph.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    graph.add((service, DCAT.servesDataset, dataset))
    _reconciliation_service(graph, catalog, dataset, URIRef(base + "reconcile"))
    for name in available_dumps(release):
        assert release is not None
        distribution = URIRef(f"{base}dumps/{name}#distribution")
        media = URIRef("https://www.iana.org/assignments/media-types/" + DUMP_TYPES[name])
        size = Literal((release / name).stat().st_size, datatype=XSD.nonNegativeInteger)
        graph.add((dataset, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCAT.downloadURL, URIRef(f"{base}dumps/{name}")))
        graph.add((distribution, DCAT.mediaType, media))
        graph.add((distribution, DCAT.byteSize, size))
        graph.add((distribution, DCTERMS.license, LICENSE))
    return graph


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
