"""Real SPARQL clients written by others, against a real `policykg serve` process, agree with the store."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from graph.rdf.namespaces import PKG
from graph.rdf.terms import graph_of
from graph.release.build import Built
from graph.release.write import write_release
from graph.store.embedded import EmbeddedStore
from graph.store.releases import STORE, current_release
from tests.live import serving

PREFIX = "PREFIX pkg: <https://w3id.org/policykg/ontology#>\n"
SELECT = PREFIX + "SELECT ?task ?number WHERE { ?task a pkg:Task ; pkg:taskNumber ?number } ORDER BY ?number"
ASK = PREFIX + "ASK { ?task pkg:participatingAgency <https://w3id.org/policykg/agency/bj-finance> }"
CONSTRUCT = PREFIX + "CONSTRUCT { ?t pkg:leadAgency ?a ; pkg:text ?x } WHERE { ?t pkg:leadAgency ?a ; pkg:text ?x }"
DESCRIBE = "DESCRIBE <https://w3id.org/policykg/agency/bj-finance>"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory, built: Built) -> Path:
    out = tmp_path_factory.mktemp("live") / "build"
    write_release(built, out)
    return out


@pytest.fixture(scope="module")
def endpoint(out: Path) -> Iterator[str]:
    with serving("--out", out) as base:
        yield f"{base}/sparql"


@pytest.fixture(scope="module")
def local(out: Path) -> EmbeddedStore:
    release = current_release(out)
    assert release is not None
    return EmbeddedStore.open(release / STORE)


def expected_rows(local: EmbeddedStore) -> set[tuple[str, str]]:
    result = local.query(SELECT)
    assert isinstance(result, pyoxigraph.QuerySolutions)
    rows = {(row["task"].value, row["number"].value) for row in result}
    assert len(rows) == 19
    return rows


def expected_graph(local: EmbeddedStore, query: str) -> Graph:
    result = local.query(query)
    assert isinstance(result, pyoxigraph.QueryTriples)
    graph = graph_of(result)
    assert len(graph) >= 5  # a comparison worth making: the DESCRIBE of 市财政局 has 5 triples, CONSTRUCT 38
    return graph


def client(endpoint: str, query: str, fmt: str, method: str | None = None) -> SPARQLWrapper:
    wrapper = SPARQLWrapper(endpoint, returnFormat=fmt)
    wrapper.setQuery(query)
    if method:
        wrapper.setMethod(method)
    return wrapper


@pytest.mark.parametrize("method", [None, POST])
def test_sparqlwrapper_select_in_every_results_format(endpoint: str, local: EmbeddedStore, method: str | None) -> None:
    expected = expected_rows(local)
    as_json = client(endpoint, SELECT, JSON, method).query().convert()
    assert {(b["task"]["value"], b["number"]["value"]) for b in as_json["results"]["bindings"]} == expected
    as_xml = client(endpoint, SELECT, XML, method).query().convert()
    results = as_xml.getElementsByTagName("result")
    assert len(results) == 19
    for fmt, delimiter in ((CSV, ","), (TSV, "\t")):
        text = client(endpoint, SELECT, fmt, method).query().convert().decode("utf-8")
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        assert len(rows) == 20, fmt
        if fmt == CSV:
            assert {(task, number) for task, number in rows[1:]} == expected
        else:
            assert rows[0] == ["?task", "?number"]
            assert {(task.strip("<>"), number) for task, number in rows[1:]} == expected


def test_sparqlwrapper_ask(endpoint: str) -> None:
    assert client(endpoint, ASK, JSON).query().convert()["boolean"] is True
    document = client(endpoint, ASK, XML).query().convert()
    assert document.getElementsByTagName("boolean")[0].firstChild.data == "true"


# SPARQLWrapper's own JSON-LD conversion builds an rdflib ConjunctiveGraph, which rdflib 7.6 deprecates.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD, XML])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_sparqlwrapper_graphs_in_every_rdf_format(endpoint: str, local: EmbeddedStore, query: str, fmt: str) -> None:
    converted = client(endpoint, query, fmt).query().convert()
    # SPARQLWrapper converts RDF/XML and JSON-LD to an rdflib Graph and hands Turtle/N3 back as bytes
    graph = converted if isinstance(converted, Graph) else Graph().parse(data=converted, format="turtle")
    assert isomorphic(graph, expected_graph(local, query))


def test_rdflib_sparqlstore(endpoint: str, local: EmbeddedStore) -> None:
    remote = Graph(store=SPARQLStore(query_endpoint=endpoint, returnFormat="json"))
    rows = {(str(task), str(number)) for task, number in remote.query(SELECT)}
    assert rows == expected_rows(local)
    finance = URIRef("https://w3id.org/policykg/agency/bj-finance")
    tasks = sorted(str(task) for task in remote.subjects(PKG.participatingAgency, finance))
    assert [task.rsplit("/", 1)[1] for task in tasks] == ["18", "8"]
    assert remote.query(ASK).askAnswer is True
    labels = set(remote.objects(finance, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")))
    assert Literal("北京市财政局", lang="zh") in labels


def test_curl_like_requests_get_the_right_content_type_and_parse(endpoint: str) -> None:
    base = endpoint.rsplit("/", 1)[0]
    for accept, parse in [
        ("application/sparql-results+json", json.loads),
        ("application/sparql-results+xml", lambda text: text.startswith("<?xml")),
        ("text/csv", lambda text: list(csv.reader(io.StringIO(text)))),
        ("text/tab-separated-values", lambda text: text.splitlines()),
    ]:
        response = httpx.get(endpoint, params={"query": SELECT}, headers={"accept": accept})
        assert response.headers["content-type"].startswith(accept), accept
        assert parse(response.text)
    for accept, fmt in [("text/turtle", pyoxigraph.RdfFormat.TURTLE), ("application/ld+json", pyoxigraph.RdfFormat.JSON_LD),
                        ("application/rdf+xml", pyoxigraph.RdfFormat.RDF_XML),
                        ("application/n-triples", pyoxigraph.RdfFormat.N_TRIPLES)]:  # fmt: skip
        response = httpx.get(f"{base}/agency/bj-finance", headers={"accept": accept})
        assert response.headers["content-type"].startswith(accept), accept
        assert response.headers["vary"].startswith("Accept")
        assert len(list(pyoxigraph.parse(response.content, fmt))) > 5, accept
    assert httpx.get(endpoint, params={"query": SELECT}, headers={"accept": "application/pdf"}).status_code == 406


@pytest.mark.parametrize(
    ("path", "accept", "fmt"),
    [
        ("/agency/bj-finance", "text/turtle", pyoxigraph.RdfFormat.TURTLE),
        ("/agency/bj-finance", "application/ld+json", pyoxigraph.RdfFormat.JSON_LD),
        ("/agency/bj-finance", "application/rdf+xml", pyoxigraph.RdfFormat.RDF_XML),
        ("/agency/bj-finance", "application/n-triples", pyoxigraph.RdfFormat.N_TRIPLES),
        ("/sparql", "text/turtle", pyoxigraph.RdfFormat.TURTLE),
        ("/graph-store", "application/trig", pyoxigraph.RdfFormat.TRIG),
        ("/graph-store", "application/n-quads", pyoxigraph.RdfFormat.N_QUADS),
    ],
)
def test_curl_gets_the_right_content_type(endpoint: str, path: str, accept: str, fmt: pyoxigraph.RdfFormat) -> None:
    """What the issue asks literally: `curl` with each Accept type gets that type and a body that parses."""
    base = endpoint.rsplit("/", 1)[0]
    run = subprocess.run(
        ["curl", "-sS", "-H", f"Accept: {accept}", "-w", "\n%{content_type}", base + path],
        capture_output=True, timeout=60, check=True,
    )  # fmt: skip
    body, _, content_type = run.stdout.rpartition(b"\n")
    assert content_type.decode().startswith(accept)
    assert len(list(pyoxigraph.parse(body, fmt))) > 5
