"""Hostile paths, ids and search text on the linked-data pages and the JSON API (HOSTILE-INPUTS 21, 22, and path
traversal, markup injection): 404 or 4xx with a JSON error, never a file's contents, a widened query or a script."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
from fastapi.testclient import TestClient

from tests.live import serving
from tests.security.conftest import Listener, error_of

TRAVERSALS = [
    "/dumps/..%2f..%2fetc%2fpasswd",
    "/dumps/%2e%2e/README.md",
    "/dumps/..%5c..%5cetc%5cpasswd",
    "/dumps/../../../etc/passwd",
    "/dumps/policykg.ttl/../../../README.md",
    "/static/..%2f..%2fgraph%2fbundled.py",
    "/static/../graph/bundled.py",
    "/static/../../../../etc/passwd",
    "/static/%2e%2e/%2e%2e/graph/bundled.py",
    "/static/%252e%252e/%252e%252e/graph/bundled.py",
    "/static/%c0%ae%c0%ae/%c0%ae%c0%ae/graph/bundled.py",
    "/static//etc/passwd",
    "/static/policykg.css%00",
    "/agency/..%2f..%2fetc%2fpasswd",
    "/agency/bj-finance%00.ttl",
    "/agency/bj-finance/../../../graph/bundled.py",
    "/eli/../../etc/passwd",
    "/../../../etc/passwd",
    "//etc/passwd",
    "/graph/..%2f..%2fpyproject.toml",
    "/ontology%00",
]


def assert_no_file(body: str) -> None:
    assert "root:" not in body and "import " not in body and "[project]" not in body, body[:300]


@pytest.fixture(scope="module")
def live(release_out: Path) -> Iterator[tuple[str, int]]:
    """The real server (uvicorn), which passes raw paths on as sent: no client normalises `..` away."""
    with serving("--out", release_out) as base:
        address = urlsplit(base)
        assert address.hostname and address.port
        yield address.hostname, address.port


def raw_get(server: tuple[str, int], path: str, accept: str = "text/turtle") -> tuple[int, str, str]:
    connection = http.client.HTTPConnection(*server, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept": accept})  # http.client sends the path byte for byte
        response = connection.getresponse()
        return response.status, response.getheader("content-type", ""), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def test_the_server_does_serve_static_files_and_dumps(live: tuple[str, int]) -> None:
    """The positive control for the traversal cases: these routes do read files."""
    status, _, css = raw_get(live, "/static/policykg.css")
    assert status == 200 and ":root" in css
    status, _, dump = raw_get(live, "/dumps/policykg.nt")
    assert status == 200 and "<https://w3id.org/policykg/" in dump


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_through_the_server_is_404_never_a_file(live: tuple[str, int], path: str) -> None:
    for accept in ("text/turtle", "text/html"):
        status, content_type, body = raw_get(live, path, accept)
        assert_no_file(body)
        assert status == 404, (path, status, body[:300])
        assert content_type.startswith("application/json") and json.loads(body)["error"] == "not_found"


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_in_process_is_404_never_a_file(service: TestClient, path: str) -> None:
    response = service.get(path, headers={"accept": "text/turtle"})
    error_of(response, 404, "not_found")
    assert_no_file(response.text)


@pytest.mark.parametrize(
    "path",
    ["/agency/a%20b", "/agency/a%3Eb%20%3Chttp://evil.example/x", "/agency/%22%3E%3Cscript%3E", "/agency/%7B%7D",
     "/graph/a%0Ab", "/agency/a%5Cb", "/agency/a%60b"],
)  # fmt: skip
def test_a_path_that_makes_no_iri_is_404_not_500(service: TestClient, path: str) -> None:
    for accept in ("text/turtle", "text/html"):
        error_of(service.get(path, headers={"accept": accept}), 404, "not_found")


@pytest.mark.parametrize(
    "url",
    [
        "/api/tasks/eli%3E%20%3Chttp://evil.example/x",
        "/api/tasks/%3E%20%3Chttp%3A%2F%2Fevil.example%2Fx",
        "/api/agencies/bj-finance%22%20%7C%7C%20true",
        "/api/agencies/bj-finance'",
        "/api/agencies/bj%00finance",
        "/api/policies/..%2F..%2Fetc%2Fpasswd",
        "/api/categories/Category%2F1",
        "/api/tasks?agency=%3E%20%3Chttp://evil.example/x",
        "/api/tasks?policy=eli%22)%20%7D",
        "/api/tasks?category=%00",
        "/api/provisions?document=x%3E%3Chttp://evil.example/x",
        "/api/coverage?document=a%20b",
        "/api/tasks/eli/cn-bj/jingkezhuanfa/2022/226/attachment/1/task/8%00/related",
    ],
)
def test_json_api_ids_with_iri_syntax_quotes_or_nul_are_422(service: TestClient, url: str) -> None:
    message = error_of(service.get(url), 422, "invalid_parameter")
    assert "should match pattern" in message


INJECTIONS = [  # (list, filter, a value that matches something, the injection)
    ("/api/tasks", "q", "科研", 'x" || true) } #'),
    ("/api/tasks", "q", "科研", "x') } UNION { ?task ?p ?o } #"),
    ("/api/tasks", "q", "科研", 'x")) } } SERVICE <{base}/i> { } #'),
    ("/api/policies", "title", "指导意见", 'nomatch" || true) } #'),
    ("/api/policies", "title", "指导意见", 'x") SERVICE <{base}/i> {} } #'),
    ("/api/search", "q", "财政", 'x" || true) } #'),
    ("/api/search", "q", "财政", '.*") || REGEX(?text, ".*'),
]


@pytest.mark.parametrize(
    ("url", "name", "matching", "value"), INJECTIONS, ids=[f"{u}-{i}" for i, (u, *_) in enumerate(INJECTIONS)]
)
def test_sparql_injection_in_json_filters_matches_nothing(
    service: TestClient, listener: Listener, url: str, name: str, matching: str, value: str
) -> None:
    assert service.get(url, params={name: matching}).json()["total"] > 0  # the filter does filter
    response = service.get(url, params={name: value.replace("{base}", listener.base)})
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["total"] == 0 and page["items"] == []
    assert listener.seen == []


def test_an_enumerated_filter_with_injected_text_is_422(service: TestClient) -> None:
    message = error_of(service.get("/api/agencies", params={"kind": 'agency" || true'}), 422, "invalid_parameter")
    assert message.startswith("kind:")


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/search", {"q": "<script>alert(1)</script>"}),
        ("/search", {"q": '"><script>alert(1)</script>', "lang": "en"}),
        ("/search", {"q": "x", "lang": '"><script>alert(1)</script>'}),
        ("/sparql", {"query": "<script>alert(1)</script>"}),
        ("/sparql", {"query": 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }'}),
        ("/sparql", {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1 # </textarea><script>alert(1)</script>"}),
        ("/sparql", {"query": 'CONSTRUCT { <http://e/s> <http://e/p> "<script>alert(1)</script>" } WHERE {}'}),
        ("/agency/bj-finance", {"lang": '"><script>alert(1)</script>'}),
    ],
    ids=["search", "search-en-attribute", "search-lang", "sparql-syntax-error", "sparql-result", "sparql-textarea",
         "sparql-construct", "resource-lang"],
)  # fmt: skip
def test_markup_in_requests_never_becomes_a_script_element(
    service: TestClient, url: str, params: dict[str, str]
) -> None:
    response = service.get(url, params=params, headers={"accept": "text/html"})
    if not response.headers["content-type"].startswith("text/html"):  # a JSON error, which no browser renders
        error_of(response, 400, {"query_syntax", "bad_request"})
        return
    assert response.status_code == 200, response.text[:300]
    page = lxml.html.fromstring(response.text)
    assert page.xpath("//script") == []  # no page needs JavaScript, so no script element at all
    handlers = [name for element in page.iter() for name in element.attrib if name.lower().startswith("on")]
    assert handlers == []
    assert not page.xpath("//*[starts-with(@href, 'javascript:') or starts-with(@src, 'javascript:')]")
    shown = page.text_content() + " ".join(page.xpath("//@value | //textarea/text()"))
    if "lang" not in params:
        assert "<script>alert(1)</script>" in shown  # the input is shown as text
