"""The SPARQL endpoint in-process: protocol errors, formats, service description, writes, what it refuses."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Callable, Iterator

import pyoxigraph
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from graph import bundled
from graph.ingest.agencies import load_registry
from tests.api.conftest import BROWSER

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
COUNT_TASKS = "SELECT (COUNT(?t) AS ?n) WHERE { ?t a pkg:Task }"
FORM = {"content-type": "application/x-www-form-urlencoded"}


def count_tasks(client: TestClient) -> int:
    response = client.get("/sparql", params={"query": COUNT_TASKS}, headers={"accept": "application/json"})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture
def listener() -> Iterator[list[str]]:
    """A loopback HTTP server that records any request; the endpoint must never send it one."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 18080), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield seen
    server.shutdown()
    server.server_close()


def test_query_by_get_form_post_and_direct_post_agree(client: TestClient) -> None:
    by_get = client.get("/sparql", params={"query": COUNT_TASKS})
    by_form = client.post("/sparql", content=f"query={COUNT_TASKS}", headers=FORM)
    by_body = client.post("/sparql", content=COUNT_TASKS, headers={"content-type": "application/sparql-query"})
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/sparql-results+json; charset=utf-8"
        assert response.json()["results"]["bindings"][0]["n"]["value"] == "19"


@pytest.mark.parametrize(
    "content_type",
    ['application/sparql-query; charset="UTF-8"', 'application/sparql-query; profile="x; charset=latin1"'],
)
def test_a_quoted_content_type_parameter_is_one_value(client: TestClient, content_type: str) -> None:
    """A quoted parameter value may hold a `;` (RFC 9110 quoted-string): it is not read as another parameter."""
    response = client.post("/sparql", content=COUNT_TASKS, headers={"content-type": content_type})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "19"


def test_dataset_parameters_select_graphs(client: TestClient) -> None:
    registry = "https://w3id.org/policykg/graph/agencies"
    query = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?type }"
    only_registry = client.get("/sparql", params={"query": query, "default-graph-uri": registry})
    everything = client.get("/sparql", params={"query": query})
    units = len(load_registry(bundled.registry_file()).units)  # the registry's units, Beijing's and national bodies
    assert int(only_registry.json()["results"]["bindings"][0]["n"]["value"]) == units
    assert int(everything.json()["results"]["bindings"][0]["n"]["value"]) > 200


@pytest.mark.parametrize(
    ("request_args", "status", "code"),
    [
        ({"method": "GET", "url": "/sparql?query=SELECT%20*%20WHERE%20%7B"}, 400, "query_syntax"),
        ({"method": "GET", "url": "/sparql?query=ASK%7B%7D&query=ASK%7B%7D"}, 400, "bad_request"),
        ({"method": "POST", "url": "/sparql", "content": "ASK {}", "headers": {"content-type": "text/plain"}}, 415, None),
        ({"method": "POST", "url": "/sparql", "content": "query=ASK%7B%7D"}, 415, None),
        ({"method": "PUT", "url": "/sparql?query=ASK%7B%7D"}, 405, None),
        ({"method": "POST", "url": "/sparql", "content": "query=ASK%7B%7D&update=CLEAR%20ALL", "headers": FORM}, 400, None),
        ({"method": "GET", "url": "/sparql?update=CLEAR%20ALL"}, 400, None),
        ({"method": "GET", "url": "/sparql?query=DROP%20ALL"}, 400, "query_syntax"),
        (
            {"method": "POST", "url": "/sparql", "content": "ASK {}".encode("utf-16"),
             "headers": {"content-type": "application/sparql-query; charset=UTF-16"}},
            415, None,
        ),
    ],
)  # fmt: skip
def test_protocol_errors(client: TestClient, request_args: dict[str, object], status: int, code: str | None) -> None:
    response = client.request(**request_args)  # type: ignore[arg-type]
    assert response.status_code == status
    if code:
        assert response.json()["error"] == code


def test_syntax_errors_give_the_parsers_position(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert re.search(r"error at 1:\d+: expected", response.json()["message"])
    assert "Traceback" not in response.text and "/work" not in response.text


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        (BROWSER, "text/html"),
    ],
)
def test_select_formats(client: TestClient, accept: str, content_type: str) -> None:
    response = client.get("/sparql", params={"query": COUNT_TASKS}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(content_type)
    assert response.headers["vary"].startswith("Accept") or content_type == "text/html"


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", pyoxigraph.RdfFormat.TURTLE),
        ("application/ld+json", pyoxigraph.RdfFormat.JSON_LD),
        ("application/rdf+xml", pyoxigraph.RdfFormat.RDF_XML),
        ("application/n-triples", pyoxigraph.RdfFormat.N_TRIPLES),
    ],
)
def test_construct_formats_parse(client: TestClient, accept: str, fmt: pyoxigraph.RdfFormat) -> None:
    query = "CONSTRUCT { ?t pkg:leadAgency ?a } WHERE { ?t pkg:leadAgency ?a }"
    response = client.get("/sparql", params={"query": query}, headers={"accept": accept})
    assert response.headers["content-type"].startswith(accept)
    assert len(list(pyoxigraph.parse(response.content, fmt))) == 19


def test_format_parameter_and_406(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": COUNT_TASKS, "format": "csv"}, headers={"accept": "text/html"})
    assert response.headers["content-type"].startswith("text/csv")
    refused = client.get("/sparql", params={"query": COUNT_TASKS}, headers={"accept": "application/rdf+xml"})
    assert refused.status_code == 406
    assert "application/sparql-results+json" in refused.json()["message"]
    huge = client.get("/sparql", params={"query": COUNT_TASKS}, headers={"accept": "text/csv, " + "x/y;q=0.1, " * 800})
    assert huge.status_code in (200, 400, 406, 431)


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/rdf+xml", "xml")])
def test_service_description(client: TestClient, accept: str, fmt: str) -> None:
    response = client.get("/sparql", headers={"accept": accept})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format=fmt)
    (service,) = graph.subjects(RDF.type, SD.Service)
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in graph  # read-only without a token
    names = set(graph.objects(None, SD.name))
    assert URIRef("https://w3id.org/policykg/graph/beijing-2022-task-division-table") in names


def test_updates_are_refused_without_a_token_and_nothing_changes(client: TestClient) -> None:
    before = count_tasks(client)
    for body, headers in [
        ("DROP ALL", {"content-type": "application/sparql-update"}),
        ("update=DROP%20ALL", FORM),
        ("INSERT DATA { <http://e/s> a <https://w3id.org/policykg/ontology#Task> }", {"content-type": "application/sparql-update"}),
    ]:  # fmt: skip
        response = client.post("/sparql", content=body, headers=headers)
        assert response.status_code == 403 and response.json()["error"] == "read_only"
    assert count_tasks(client) == before == 19


def test_updates_need_the_right_bearer_token(writable_client: Callable[..., TestClient]) -> None:
    client = writable_client(token="s3cret")
    update = {"content-type": "application/sparql-update"}
    # updates see the store's own default graph, not the union queries see: name the graphs
    delete = "DELETE WHERE { GRAPH ?g { ?t pkg:leadAgency ?a ; pkg:taskNumber 19 } }"
    assert client.post("/sparql", content=delete, headers=update).status_code == 401
    wrong = client.post("/sparql", content=delete, headers={**update, "authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"].startswith("Bearer")
    assert count_tasks(client) == 19
    ok = client.post("/sparql", content=delete, headers={**update, "authorization": "Bearer s3cret"})
    assert ok.status_code == 204
    lead = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?t pkg:leadAgency ?a }"})
    assert lead.json()["results"]["bindings"][0]["n"]["value"] == "18"
    description = Graph().parse(data=client.get("/sparql", headers={"accept": "text/turtle"}).text, format="turtle")
    assert (None, SD.supportedLanguage, SD.SPARQL11Update) in description


def test_graph_store_reads_are_open_and_writes_need_the_token(
    client: TestClient, writable_client: Callable[..., TestClient]
) -> None:
    registry = "https://w3id.org/policykg/graph/agencies"
    response = client.get("/graph-store", params={"graph": registry}, headers={"accept": "application/n-triples"})
    assert response.status_code == 200
    count = client.get(
        "/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{registry}> {{ ?s ?p ?o }} }}"}
    )
    triples = int(count.json()["results"]["bindings"][0]["n"]["value"])
    assert len(list(pyoxigraph.parse(response.content, pyoxigraph.RdfFormat.N_TRIPLES))) == triples > 0
    dataset = client.get("/graph-store", headers={"accept": "application/n-quads"})
    quads = list(pyoxigraph.parse(dataset.content, pyoxigraph.RdfFormat.N_QUADS))
    assert len({q.graph_name for q in quads}) >= 5
    assert client.get("/graph-store", params={"graph": "http://example.org/none"}).status_code == 404
    turtle = {"content-type": "text/turtle"}
    assert (
        client.put(
            "/graph-store", params={"graph": "http://e/g"}, content="<http://e/s> <http://e/p> 1 .", headers=turtle
        ).status_code
        == 403
    )
    writable = writable_client(token="t")
    auth = {**turtle, "authorization": "Bearer t"}
    created = writable.put(
        "/graph-store", params={"graph": "http://e/g"}, content="<http://e/s> <http://e/p> 1 .", headers=auth
    )
    assert created.status_code == 201
    added = writable.post(
        "/graph-store", params={"graph": "http://e/g"}, content="<http://e/s> <http://e/p> 2 .", headers=auth
    )
    assert added.status_code == 204
    read = writable.get("/graph-store", params={"graph": "http://e/g"}, headers={"accept": "application/n-triples"})
    assert len(read.text.strip().splitlines()) == 2
    xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    refused = writable.put("/graph-store", params={"graph": "http://e/g"}, content=xxe,
                           headers={"content-type": "application/rdf+xml", "authorization": "Bearer t"})  # fmt: skip
    assert refused.status_code == 400 and "passwd" not in refused.text
    assert (
        writable.delete(
            "/graph-store", params={"graph": "http://e/g"}, headers={"authorization": "Bearer t"}
        ).status_code
        == 204
    )
    assert writable.get("/graph-store", params={"graph": "http://e/g"}).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:18080/x> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://127.0.0.1:18080/latest/meta-data/> { ?a ?b ?c } } }",
        "SELECT * WHERE { VALUES ?ep { <http://127.0.0.1:18080/x> } SERVICE ?ep { ?s ?p ?o } }",
        "select * where { service <http://127.0.0.1:18080/x> { ?s ?p ?o } }",
    ],
)
def test_service_is_refused_with_no_egress(client: TestClient, listener: list[str], query: str) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400 and response.json()["error"] == "service_not_allowed"
    assert listener == []


def test_from_never_reads_files_or_urls(client: TestClient, listener: list[str]) -> None:
    for query in [
        "SELECT ?o FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT ?o FROM NAMED <http://127.0.0.1:18080/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    ]:
        response = client.get("/sparql", params={"query": query})
        assert response.status_code == 200 and response.json()["results"]["bindings"] == []
    assert listener == []


def test_deep_nesting_is_refused_before_the_engine_and_the_service_survives(client: TestClient) -> None:
    filters = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 10000 + "1" + ")" * 10000 + ") }"
    braces = "SELECT * WHERE " + "{" * 1000 + "?s ?p ?o" + "}" * 1000
    for query in (filters, braces):
        response = client.post("/sparql", content=query, headers={"content-type": "application/sparql-query"})
        assert response.status_code == 400 and response.json()["error"] == "too_complex"
    assert count_tasks(client) == 19


def test_large_bodies_are_refused(writable_client: Callable[..., TestClient]) -> None:
    client = writable_client(max_query_bytes=1000)
    response = client.post(
        "/sparql", content="ASK {} #" + "x" * 2000, headers={"content-type": "application/sparql-query"}
    )
    assert response.status_code == 413


def test_cors_reads_without_credentials(client: TestClient) -> None:
    preflight = client.options(
        "/sparql",
        headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
    )
    assert preflight.headers.get("access-control-allow-credentials") != "true"
    response = client.get("/sparql", params={"query": COUNT_TASKS}, headers={"origin": "https://app.example"})
    assert response.headers["access-control-allow-origin"] == "*"
