"""Hostile SPARQL requests (HOSTILE-INPUTS 1-6, 10, 11, 14, 15, 18-20): each gets a stable JSON error or a safe
answer, never a 500, never egress, never file contents. Timeouts, cross products, concurrency and memory caps
(7-9, 12, 13, 16, 17) are tested with the query workers, in tests/api/."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from tests.live import serving
from tests.security.conftest import Listener, error_of, leaked, triple_count

QUERY = {"content-type": "application/sparql-query"}
UPDATE = {"content-type": "application/sparql-update"}
FORM = {"content-type": "application/x-www-form-urlencoded"}
JSON = {"accept": "application/sparql-results+json"}
RESULT_TYPES = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values", "text/html")  # fmt: skip


def ask_answers(client: TestClient) -> None:
    """The service still evaluates queries."""
    response = client.get("/sparql", params={"query": "ASK { ?s a pkg:Task }"}, headers=JSON)
    assert response.status_code == 200 and response.json()["boolean"] is True


# --- the witnesses: a listener that hears requests, a log that sees opened files ----------------------------
def test_the_listener_records_requests_and_the_log_records_opened_files(
    listener: Listener, opened: list[str], tmp_path: Path
) -> None:
    httpx.get(f"{listener.base}/probe", timeout=5)
    assert listener.seen == ["GET /probe"]
    (tmp_path / "probe.txt").write_text("x", encoding="utf-8")
    assert str(tmp_path / "probe.txt") in opened


# --- syntax, size, nesting ---------------------------------------------------------------------------------
def test_malformed_sparql_is_400_query_syntax_with_line_and_column(service: TestClient) -> None:
    query = "SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  FILTER( }"
    message = error_of(service.get("/sparql", params={"query": query}), 400, "query_syntax")
    assert re.search(r"\b4:\d+\b", message), message  # line 4, the FILTER


def test_drop_all_as_a_query_is_400_query_syntax_and_runs_nothing(service: TestClient) -> None:
    before = triple_count(service)
    error_of(service.get("/sparql", params={"query": "DROP ALL"}), 400, "query_syntax")
    assert triple_count(service) == before


@pytest.mark.parametrize("megabytes", [2, 10], ids=["2MB", "10MB"])
def test_a_query_body_over_max_query_bytes_is_413_too_large(service: TestClient, megabytes: int) -> None:
    body = b"ASK {} #" + b"x" * (megabytes * 1024 * 1024)
    started = time.monotonic()
    message = error_of(service.post("/sparql", content=body, headers=QUERY), 413, "too_large")
    assert "1,000,000 bytes" in message  # the default max_query_bytes
    assert time.monotonic() - started < 5
    form = b"query=ASK%20%7B%7D%20%23" + b"x" * (megabytes * 1024 * 1024)
    error_of(service.post("/sparql", content=form, headers=FORM), 413, "too_large")


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * 1000 + "?s ?p ?o" + "}" * 1000,
        "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 10000 + "1" + ")" * 10000 + ") }",
        "SELECT * WHERE { ?s ?p " + "[ ?p " * 2000 + "1" + " ]" * 2000 + " }",
    ],
    ids=["braces-1000", "parentheses-10000", "blank-nodes-2000"],
)
def test_deep_nesting_is_400_too_complex_and_the_service_survives(service: TestClient, query: str) -> None:
    started = time.monotonic()
    message = error_of(service.post("/sparql", content=query, headers=QUERY), 400, "too_complex")
    assert "at most 64" in message
    assert time.monotonic() - started < 2  # refused before any parser or engine
    ask_answers(service)


def test_a_huge_values_block_within_the_size_limit_answers_or_is_refused_never_500(service: TestClient) -> None:
    values = " ".join(f'"v{i}"' for i in range(100_000))
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?x {{ {values} }} }}"
    assert 800_000 < len(query.encode()) < 1_000_000
    response = service.post("/sparql", content=query, headers={**QUERY, **JSON})
    if response.status_code == 200:
        assert response.json()["results"]["bindings"][0]["n"]["value"] == "100000"
    else:
        error_of(response, response.status_code, {"too_large", "too_complex", "query_timeout"})
        assert response.status_code in (400, 413, 504)
    ask_answers(service)


# --- no egress: SERVICE, FROM, LOAD ------------------------------------------------------------------------
SERVICE_FORMS = {
    "iri": "SELECT * WHERE {{ SERVICE <{base}/x> {{ ?s ?p ?o }} }}",
    "silent-in-optional": "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE SILENT <{base}/latest/meta-data/> {{ ?a ?b ?c }} }} }}",
    "variable": "SELECT * WHERE {{ VALUES ?ep {{ <{base}/x> }} SERVICE ?ep {{ ?s ?p ?o }} }}",
    "silent-variable": "SELECT * WHERE {{ BIND(<{base}/x> AS ?ep) SERVICE SILENT ?ep {{ ?s ?p ?o }} }}",
    "lower-case": "select * where {{ service silent <{base}/x> {{ ?s ?p ?o }} }}",
    "no-spaces": "SELECT*WHERE{{SERVICE<{base}/x>{{?s ?p ?o}}}}",
    "comment-between": "SELECT * WHERE {{ SERVICE # a comment\n SILENT <{base}/x> {{ ?s ?p ?o }} }}",
    "prefixed-name": "PREFIX remote: <{base}/> SELECT * WHERE {{ SERVICE SILENT remote:x {{ ?s ?p ?o }} }}",
    "relative-to-base": "BASE <{base}/> SELECT * WHERE {{ SERVICE SILENT <x> {{ ?s ?p ?o }} }}",
    "in-filter-exists": "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE SILENT <{base}/x> {{ ?a ?b ?c }} }} }}",
    "in-subquery": "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE SILENT <{base}/x> {{ ?a ?b ?c }} }} }} }}",
    "in-construct": "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE SILENT <{base}/x> {{ ?s ?p ?o }} }}",
    "other-loopback": "SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.2:18080/latest/meta-data/> {{ ?s ?p ?o }} }}",
    "localhost": "SELECT * WHERE {{ SERVICE SILENT <http://localhost:18080/x> {{ ?s ?p ?o }} }}",
    "ipv6-loopback": "SELECT * WHERE {{ SERVICE SILENT <http://[::1]:18080/x> {{ ?s ?p ?o }} }}",
}


@pytest.mark.parametrize("how", ["get", "form", "direct"])
@pytest.mark.parametrize("form", SERVICE_FORMS)
def test_service_in_every_form_is_400_service_not_allowed_with_no_egress(
    service: TestClient, listener: Listener, form: str, how: str
) -> None:
    query = SERVICE_FORMS[form].format(base=listener.base)
    if how == "get":
        response = service.get("/sparql", params={"query": query})
    elif how == "form":
        response = service.post("/sparql", data={"query": query}, headers=FORM)
    else:
        response = service.post("/sparql", content=query, headers=QUERY)
    assert "SERVICE" in error_of(response, 400, "service_not_allowed")
    assert listener.seen == []


def test_service_in_an_update_is_400_service_not_allowed_even_with_the_token(
    writable_client: Callable[..., TestClient], listener: Listener
) -> None:
    client = writable_client(token="s3cret")
    before = triple_count(client)
    update = f"INSERT {{ GRAPH <http://e/g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{listener.base}/x> {{ ?s ?p ?o }} }}"
    response = client.post("/sparql", content=update, headers={**UPDATE, "authorization": "Bearer s3cret"})
    error_of(response, 400, "service_not_allowed")
    assert listener.seen == [] and triple_count(client) == before


def test_service_hidden_behind_a_less_than_sign_is_400_service_not_allowed_with_no_egress(
    service: TestClient, listener: Listener
) -> None:
    query = f"SELECT * WHERE {{ BIND(1 AS ?x) FILTER(?x<2)SERVICE#>\nSILENT <{listener.base}/bypass> {{ ?s ?p ?o }} }}"
    response = service.get("/sparql", params={"query": query}, headers=JSON)
    assert listener.seen == []
    error_of(response, 400, "service_not_allowed")


def test_nesting_hidden_behind_a_less_than_sign_is_400_too_complex_and_the_server_survives(
    release_out: Path,
) -> None:
    query = "SELECT * WHERE { BIND(1 AS ?x) FILTER(?x<" + "(" * 10000 + "1#>\n" + ")" * 10000 + ") }"
    with serving("--out", release_out) as base:  # its own process: the crash must not take pytest with it
        try:
            response = httpx.post(f"{base}/sparql", content=query, headers=QUERY, timeout=30)
        finally:
            health = httpx.get(f"{base}/health", timeout=5)  # raises when the server died
        assert health.status_code == 200
        error_of(response, 400, "too_complex")


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?o FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT ?o FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "SELECT ?o FROM NAMED <{base}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "SELECT ?o FROM <{base}/g> WHERE {{ ?s ?p ?o }}",
    ],
    ids=["from-file", "from-named-file", "from-named-url", "from-url"],
)
def test_from_a_file_or_url_gives_an_empty_result_and_reads_nothing(
    service: TestClient, listener: Listener, opened: list[str], query: str
) -> None:
    text = query.format(base=listener.base) if "{base}" in query else query
    response = service.get("/sparql", params={"query": text}, headers=JSON)
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"] == []
    assert "root:" not in response.text and "/bin/" not in response.text
    assert listener.seen == [] and not [path for path in opened if "passwd" in path]


def test_from_file_in_the_dataset_parameters_reads_nothing(
    service: TestClient, listener: Listener, opened: list[str]
) -> None:
    params = {"query": "SELECT ?o WHERE { ?s ?p ?o }", "default-graph-uri": "file:///etc/passwd",
              "named-graph-uri": f"{listener.base}/g"}  # fmt: skip
    response = service.get("/sparql", params=params, headers=JSON)
    assert response.status_code == 200 and response.json()["results"]["bindings"] == []
    assert listener.seen == [] and not [path for path in opened if "passwd" in path]


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_a_dataset_iri_with_a_nul_is_400_bad_request(release_out: Path, parameter: str) -> None:
    with TestClient(create_app(Settings(out_dir=release_out)), raise_server_exceptions=False) as client:  # its own
        response = client.get("/sparql", params={"query": "ASK {}", parameter: "http://example.org/a\x00b"})
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
    error_of(response, 400, "bad_request")


def test_load_file_without_a_token_is_403_read_only(service: TestClient, opened: list[str]) -> None:
    before = triple_count(service)
    response = service.post("/sparql", content="LOAD <file:///etc/passwd>", headers=UPDATE)
    assert triple_count(service) == before and not [path for path in opened if "passwd" in path]
    error_of(response, 403, "read_only")


def test_load_file_without_a_token_is_refused_and_loads_nothing(service: TestClient, opened: list[str]) -> None:
    before = triple_count(service)
    for body, headers in [
        ("LOAD <file:///etc/passwd>", UPDATE),
        ("update=LOAD%20%3Cfile%3A%2F%2F%2Fetc%2Fpasswd%3E", FORM),
    ]:
        response = service.post("/sparql", content=body, headers=headers)
        error_of(response, response.status_code, {"read_only", "load_not_allowed"})
        assert response.status_code in (400, 403) and "root:" not in response.text
    assert triple_count(service) == before
    assert not [path for path in opened if "passwd" in path]


@pytest.mark.parametrize(
    "update",
    ["LOAD <file:///etc/passwd>", "LOAD SILENT <file:///etc/passwd> INTO GRAPH <http://e/g>", "LOAD <{base}/data.ttl>",
     "load silent <{base}/data.ttl>"],
    ids=["load-file", "load-silent-into-graph", "load-url", "lower-case-silent-url"],
)  # fmt: skip
def test_load_with_the_token_is_400_load_not_allowed_and_loads_nothing(
    writable_client: Callable[..., TestClient], listener: Listener, opened: list[str], update: str
) -> None:
    client = writable_client(token="s3cret")
    before = triple_count(client)
    text = update.format(base=listener.base)
    response = client.post("/sparql", content=text, headers={**UPDATE, "authorization": "Bearer s3cret"})
    assert "LOAD is not allowed" in error_of(response, 400, "load_not_allowed")
    assert triple_count(client) == before
    assert listener.seen == [] and not [path for path in opened if "passwd" in path]


# --- updates and tokens ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ("DROP ALL", UPDATE),
        ("update=DROP%20ALL", FORM),
        ("CLEAR DEFAULT", UPDATE),
        ("INSERT DATA { <http://e/s> a <https://w3id.org/policykg/ontology#Task> }", UPDATE),
        ("DELETE WHERE { ?s ?p ?o }", UPDATE),
    ],
    ids=["drop-all", "form-drop-all", "clear-default", "insert-data", "delete-where"],
)
def test_updates_without_a_token_are_403_read_only(service: TestClient, body: str, headers: dict[str, str]) -> None:
    before = triple_count(service)
    assert "read-only" in error_of(service.post("/sparql", content=body, headers=headers), 403, "read_only")
    assert triple_count(service) == before


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong", "Bearer s3cret2", "Bearer ", "Basic czNjcmV0", "s3cret", "Bearer\ts3cret\x00"],
    ids=["none", "wrong", "longer", "empty", "basic", "no-scheme", "nul"],
)
def test_updates_with_a_wrong_token_are_401_with_www_authenticate(
    writable_client: Callable[..., TestClient], authorization: str | None
) -> None:
    client = writable_client(token="s3cret")
    before = triple_count(client)
    headers = {**UPDATE, **({"authorization": authorization} if authorization is not None else {})}
    response = client.post("/sparql", content="DROP ALL", headers=headers)
    error_of(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert triple_count(client) == before


# --- encodings, content types, parameters ------------------------------------------------------------------
def test_invalid_utf8_in_the_query_string_is_400_not_500(service: TestClient) -> None:
    error_of(service.get("/sparql?query=%ff%fe"), 400, {"bad_encoding", "query_syntax"})
    error_of(service.post("/sparql", content=b"query=%ff%fe", headers=FORM), 400, {"bad_encoding", "query_syntax"})


def test_invalid_utf8_inside_a_valid_query_string_is_400_bad_encoding(service: TestClient) -> None:
    url = "/sparql?query=" + quote('SELECT ?s WHERE { ?s ?p "caf') + "%E9" + quote('" }')
    error_of(service.get(url, headers=JSON), 400, "bad_encoding")


def test_invalid_utf8_in_a_direct_post_body_is_400_bad_encoding(service: TestClient) -> None:
    body = b'SELECT ?s WHERE { ?s ?p "caf' + b"\xe9\xff" + b'" }'
    message = error_of(service.post("/sparql", content=body, headers=QUERY), 400, "bad_encoding")
    assert "UTF-8" in message


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/json", "application/sparql-results+json", "multipart/form-data; boundary=x",
     "application/sparql-query; charset=UTF-16", "application/sparql-query; charset=latin1",
     "application/x-www-form-urlencoded; charset=utf-16"],
)  # fmt: skip
def test_wrong_content_types_are_415(service: TestClient, content_type: str) -> None:
    body = "ASK {}".encode("utf-16") if "16" in content_type else b"ASK {}"
    response = service.post("/sparql", content=body, headers={"content-type": content_type})
    error_of(response, 415, "unsupported_media_type")


def test_a_form_post_without_a_content_type_is_415(service: TestClient) -> None:
    message = error_of(service.post("/sparql", content=b"query=ASK%7B%7D"), 415, "unsupported_media_type")
    assert "application/x-www-form-urlencoded" in message


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", None),
        ("POST", "/sparql", "query=ASK%7B%7D&query=ASK%7B%7D"),
        ("POST", "/sparql?query=ASK%7B%7D", "query=ASK%7B%7D"),
        ("POST", "/sparql", "query=ASK%7B%7D&update=DROP%20ALL"),
    ],
    ids=["get-two-queries", "form-two-queries", "url-and-form-query", "query-and-update"],
)
def test_two_operations_in_one_request_are_400_bad_request(
    service: TestClient, method: str, url: str, body: str | None
) -> None:
    response = service.request(method, url, content=body, headers=FORM if body else {})
    message = error_of(response, 400, "bad_request")
    assert "exactly one" in message or "send exactly one" in message


@pytest.mark.parametrize(
    ("query", "accept", "available"),
    [
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "application/rdf+xml", "application/sparql-results+json"),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "image/png, audio/*;q=0.5", "text/csv"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1", "text/csv", "text/turtle"),
    ],
)
def test_an_accept_header_that_matches_nothing_is_406_listing_the_available_types(
    service: TestClient, query: str, accept: str, available: str
) -> None:
    response = service.get("/sparql", params={"query": query}, headers={"accept": accept})
    message = error_of(response, 406, "not_acceptable")
    assert available in message and "available:" in message


@pytest.mark.parametrize(
    "accept",
    [", ".join(["x/y;q=0.1"] * 900), "text/csv, " + "a" * 8192, ";" * 8192, "*/*;q=" + "9" * 8192],
    ids=["many-ranges", "long-range", "only-separators", "long-q"],
)
def test_an_8_kb_accept_header_is_answered_or_refused_never_500(service: TestClient, accept: str) -> None:
    assert len(accept) >= 8192
    response = service.get("/sparql", params={"query": "ASK {}"}, headers={"accept": accept})
    if response.status_code == 200:
        assert response.headers["content-type"].split(";")[0] in RESULT_TYPES
    else:
        assert response.status_code in (400, 406, 431)
        error_of(response, response.status_code, {"not_acceptable", "bad_request"})


# --- CORS and what errors reveal ---------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["POST", "GET", "PUT", "DELETE"])
def test_a_cors_preflight_from_an_arbitrary_origin_never_allows_credentials(service: TestClient, method: str) -> None:
    headers = {"origin": "https://evil.example", "access-control-request-method": method,
               "access-control-request-headers": "authorization, content-type"}  # fmt: skip
    for path in ("/sparql", "/graph-store", "/api/tasks"):
        preflight = service.options(path, headers=headers)
        assert preflight.status_code in (200, 400)
        assert preflight.headers.get("access-control-allow-credentials") != "true"
        assert preflight.headers.get("access-control-allow-origin") in (None, "*")
        assert "authorization" not in preflight.headers.get("access-control-allow-headers", "").lower()
    response = service.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://evil.example"})
    assert response.headers.get("access-control-allow-credentials") != "true"
    assert response.headers["access-control-allow-origin"] == "*"


ERRORS = [
    ("GET", "/sparql?query=SELECT%20*%20WHERE%20%7B%20%3Cfile%3A%2F%2F%2Ftmp%2Fx%3E", 400),
    ("GET", "/sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20FILTER(%3Fs%20%3D%20", 400),
    ("GET", "/sparql?query=SELECT%20(xsd%3Ainteger(%22x%22)%20AS%20%3Fn)%20WHERE%20%7B%7D&format=bogus", 406),
    ("GET", "/sparql?query=ASK%7B%7D&default-graph-uri=not%20an%20iri", 400),
    (
        "GET",
        "/sparql?query=PREFIX%20x%3A%20%3Cfile%3A%2F%2F%2Fetc%2F%3E%20SELECT%20*%20WHERE%20%7B%20x%3Apasswd%20%3Fp%20%3Fo%20",
        400,
    ),
    ("GET", "/sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20LIMIT%20-1", 400),
    ("GET", "/sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20unknown%3Ap%20%3Fo%20%7D", 400),
    ("POST", "/sparql", 415),
    ("PUT", "/sparql?query=ASK%7B%7D", 405),
    ("GET", "/api/tasks/..%2F..%2Fetc%2Fpasswd", 422),
    ("GET", "/api/tasks?limit=100000", 422),
    ("GET", "/api/tasks?limit=abc", 422),
    ("GET", "/api/search", 422),
    ("GET", "/dumps/..%5C..%5Cetc%5Cpasswd", 404),
    ("GET", "/graph-store?graph=not%20an%20iri", 400),
    ("GET", "/graph-store?graph=http%3A%2F%2Fexample.org%2Fnone", 404),
    ("PUT", "/graph-store?graph=http%3A%2F%2Fe%2Fg", 403),
    ("GET", "/agency/bj-finance", 406),
]


@pytest.mark.parametrize(("method", "url", "status"), ERRORS)
def test_errors_never_contain_a_traceback_or_a_local_path(
    service: TestClient, method: str, url: str, status: int
) -> None:
    headers = {"accept": "application/x-nothing"} if url == "/agency/bj-finance" else {}
    response = service.request(method, url, headers=headers)
    error_of(response, status, {"query_syntax", "query_error", "not_acceptable", "bad_request", "invalid_parameter",
                                "unsupported_media_type", "method_not_allowed", "not_found", "read_only"})  # fmt: skip
    assert not leaked(response.text)
