"""The dataset describes itself: VoID, a DCAT catalogue, downloadable dumps, dereferenceable IRIs."""

from __future__ import annotations

import pyoxigraph
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, RDF, VOID

from tests.api.conftest import BROWSER

BASE = "https://w3id.org/policykg/"


def parse(client: TestClient, path: str, accept: str = "text/turtle") -> Graph:
    response = client.get(path, headers={"accept": accept})
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.text, format="turtle" if accept == "text/turtle" else "xml")


def test_void(client: TestClient) -> None:
    void = parse(client, "/.well-known/void")
    dataset = URIRef(BASE + "dataset")
    assert (dataset, RDF.type, VOID.Dataset) in void
    assert (dataset, VOID.sparqlEndpoint, URIRef(BASE + "sparql")) in void
    triples = int(void.value(dataset, VOID.triples))
    count = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"})
    assert triples == int(count.json()["results"]["bindings"][0]["n"]["value"])
    dumps = {str(d) for d in void.objects(dataset, VOID.dataDump)}
    assert BASE + "dumps/policykg.ttl" in dumps and len(dumps) == 5
    partitions = {
        void.value(p, VOID["class"]): int(void.value(p, VOID.entities))
        for p in void.objects(dataset, VOID.classPartition)
    }
    assert partitions[URIRef("https://w3id.org/policykg/ontology#Task")] == 19
    in_agencies = client.get(
        "/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{BASE}graph/agencies> {{ ?s ?p ?o }} }}"}
    )
    agencies = int(in_agencies.json()["results"]["bindings"][0]["n"]["value"])
    assert agencies > 0 and (URIRef(BASE + "graph/agencies"), VOID.triples, Literal(agencies)) in void


def test_dcat_catalogue_and_dumps(client: TestClient) -> None:
    catalogue = parse(client, "/catalog", "application/rdf+xml")
    dataset = URIRef(BASE + "dataset")
    assert (URIRef(BASE + "catalog"), DCAT.dataset, dataset) in catalogue
    services = set(catalogue.subjects(RDF.type, DCAT.DataService))
    assert {catalogue.value(s, DCAT.endpointURL) for s in services} == {
        URIRef(BASE + "sparql"),
        URIRef(BASE + "reconcile"),
    }
    distributions = [d for d in catalogue.objects(dataset, DCAT.distribution) if catalogue.value(d, DCAT.downloadURL)]
    assert len(distributions) == 5  # the dumps; the change feed is a distribution with an access URL only
    for distribution in distributions:
        url = str(catalogue.value(distribution, DCAT.downloadURL))
        local = "/" + url[len(BASE) :]
        response = client.get(local)
        assert response.status_code == 200
        assert len(response.content) == int(catalogue.value(distribution, DCAT.byteSize))
    turtle = client.get("/dumps/policykg.nq")
    assert len(list(pyoxigraph.parse(turtle.content, pyoxigraph.RdfFormat.N_QUADS))) > 1000
    assert client.get("/dumps/../../etc/passwd").status_code == 404
    assert client.get("/dumps/secret.txt").status_code == 404


@pytest.mark.parametrize("extension", ["ttl", "jsonld", "rdf", "nt"])
def test_extensions_select_the_format(client: TestClient, extension: str) -> None:
    response = client.get(f"/eli/cn-bj/jingkezhuanfa/2022/226/attachment/1/task/8.{extension}")
    assert response.status_code == 200
    fmt = {"ttl": pyoxigraph.RdfFormat.TURTLE, "jsonld": pyoxigraph.RdfFormat.JSON_LD,
           "rdf": pyoxigraph.RdfFormat.RDF_XML, "nt": pyoxigraph.RdfFormat.N_TRIPLES}[extension]  # fmt: skip
    triples = list(pyoxigraph.parse(response.content, fmt))
    subjects = {t.subject.value for t in triples}
    assert BASE + "eli/cn-bj/jingkezhuanfa/2022/226/attachment/1/task/8" in subjects


def test_every_minted_iri_dereferences(client: TestClient) -> None:
    query = "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s) && STRSTARTS(STR(?s), STR(<https://w3id.org/policykg/>))) }"
    subjects = [b["s"]["value"] for b in client.get("/sparql", params={"query": query}).json()["results"]["bindings"]]
    assert len(subjects) > 150
    for iri in subjects:
        path = "/" + iri[len(BASE) :].split("#", 1)[0]
        response = client.get(path, headers={"accept": "application/n-triples"})
        assert response.status_code == 200, iri
        assert response.headers["vary"].startswith("Accept")
        assert 'rel="alternate"' in response.headers.get("link", "") or path == "/ontology"


def test_unknown_iris_are_404_json(client: TestClient) -> None:
    response = client.get("/agency/no-such-agency", headers={"accept": "text/turtle"})
    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_browsers_get_html_for_resources(client: TestClient) -> None:
    response = client.get("/agency/bj-finance", headers={"accept": BROWSER})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
