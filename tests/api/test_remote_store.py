"""The service on a real Virtuoso (Debian's virtuoso-opensource) gives the answers the embedded store gives."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from graph import bundled
from graph.release.build import Inputs, build
from graph.release.publish import publish
from graph.release.write import write_release
from graph.store.queries import load_queries
from graph.store.releases import current_release
from graph.store.remote import RemoteStore, RemoteTimeout
from tests.virtuoso import virtuoso

BASE = "https://w3id.org/policykg/"
TASK8 = "eli/cn-bj/jingkezhuanfa/2022/226/attachment/1/task/8"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory, release_out: Path) -> Iterator[str]:
    with virtuoso(tmp_path_factory.mktemp("virtuoso")) as url:
        release = current_release(release_out)
        assert release is not None
        with RemoteStore(url, BASE) as store:
            publish(release, store)
        yield url


@pytest.fixture(scope="module")
def embedded(release_out: Path) -> TestClient:
    return TestClient(create_app(Settings(out_dir=release_out)))


@pytest.fixture(scope="module")
def remote(endpoint: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store=endpoint))) as client:  # closing it closes its connections
        yield client


def canonical(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def test_publishing_copies_every_graph(endpoint: str, release_out: Path) -> None:
    release = current_release(release_out)
    assert release is not None
    local = json.loads((release / "build.json").read_text("utf-8"))["graphs"]
    with RemoteStore(endpoint, BASE) as store:
        assert store.graph_names() == sorted(local)
        sizes = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        assert {row["g"].value: int(row["n"].value) for row in sizes} == local  # type: ignore[union-attr]
        assert len(store) == sum(local.values())


@pytest.mark.parametrize("name", sorted(load_queries(bundled.folder("queries"))))
def test_every_stored_query_answers_the_same(embedded: TestClient, remote: TestClient, name: str) -> None:
    here, there = embedded.get(f"/api/queries/{name}"), remote.get(f"/api/queries/{name}")
    assert here.status_code == there.status_code == 200, there.text
    assert here.json()["count"] > 0
    assert canonical(there.json()) == canonical(here.json())


@pytest.mark.parametrize(
    "path",
    [
        "/api/tasks",
        "/api/tasks?agency=bj-finance",
        "/api/tasks?agency=bj-finance&role=lead",
        "/api/tasks?q=科研",
        "/api/tasks?q=finance",
        f"/api/tasks/{TASK8}",
        f"/api/tasks/{TASK8}/related",
        "/api/agencies",
        "/api/agencies/bj-sti-zgc",
        "/api/policies",
        "/api/policies/eli/cn-bj/jingkezhuanfa/2022/226",
        "/api/categories",
        "/api/provisions?document=guobanfa-2021-26&kind=measure",
        "/api/provisions/eli/cn/guobanfa/2021/26/part/2/item/10",
        "/api/coverage",
        "/api/search?q=市财政局",
        '/reconcile?queries={"q0":{"query":"市财政局"},"q1":{"query":"北京市财正局"},"q2":{"query":"国办发[2021]26号"}}',
        '/reconcile?extend={"ids":["agency/bj-finance","agency/bj-sti-zgc"],"properties":[{"id":"leads"},{"id":"joins_count"}]}',
        "/reconcile/suggest/entity?prefix=市",
    ],
)
def test_the_json_api_answers_the_same(embedded: TestClient, remote: TestClient, path: str) -> None:
    here, there = embedded.get(path), remote.get(path)
    assert here.status_code == there.status_code == 200, there.text
    assert canonical(there.json()) == canonical(here.json())


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?t ?n WHERE { ?t a pkg:Task ; pkg:taskNumber ?n } ORDER BY ?n",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "ASK { ?t pkg:participatingAgency <https://w3id.org/policykg/agency/bj-finance> }",
        "ASK { ?t pkg:participatingAgency <https://w3id.org/policykg/agency/nobody> }",
        "SELECT ?label WHERE { <https://w3id.org/policykg/agency/bj-finance> skos:prefLabel ?label } ORDER BY STR(?label)",
    ],
)
def test_the_sparql_endpoint_answers_the_same(embedded: TestClient, remote: TestClient, query: str) -> None:
    here = embedded.get("/sparql", params={"query": query}, headers={"accept": "application/sparql-results+json"})
    there = remote.get("/sparql", params={"query": query}, headers={"accept": "application/sparql-results+json"})
    assert there.status_code == 200, there.text
    assert there.json() == here.json()


@pytest.mark.parametrize("path", ["/matrix.csv", "/matrix.svg?lang=en", "/matrix?format=html"])
def test_the_responsibility_matrix_is_the_same(embedded: TestClient, remote: TestClient, path: str) -> None:
    here, there = embedded.get(path), remote.get(path)
    assert there.status_code == here.status_code == 200, there.text
    assert there.content == here.content


@pytest.mark.parametrize(
    "path", ["/network.svg", "/network.svg?agency=bj-finance&lang=en", "/coverage.svg", "/ontology.svg"]
)
def test_the_pictures_are_the_same(embedded: TestClient, remote: TestClient, path: str) -> None:
    here, there = embedded.get(path), remote.get(path)
    assert here.status_code == there.status_code == 200, there.text
    assert there.text == here.text


def test_pages_and_linked_data_work_unchanged(remote: TestClient) -> None:
    page = remote.get(f"/{TASK8}", headers={"accept": "text/html"})
    assert page.status_code == 200 and "深入推进科研管理改革试点" in page.text
    turtle = remote.get("/agency/bj-finance", headers={"accept": "text/turtle"})
    assert turtle.status_code == 200 and "北京市财政局" in turtle.text
    assert remote.get("/", headers={"accept": "text/html"}).status_code == 200


def test_a_new_release_replaces_the_published_graphs(endpoint: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(bundled.folder("data"), data)
    shutil.rmtree(data / "links-automatic")
    table = data / "corpus" / "beijing-2022-task-division-table.txt"
    last = "\t市科委、中关村管委会，市教委，市卫生健康委，市国资委\n\n\n"
    table.write_text(
        table.read_text("utf-8").replace(
            last, "\t市科委、中关村管委会，市教委，市卫生健康委，市国资委，市财政局\n\n\n"
        ),
        "utf-8",
    )
    built = build(Inputs(manifest=data / "manifest.toml", registry=data / "agencies.toml"))
    release = write_release(built, tmp_path / "build")
    with RemoteStore(endpoint, BASE) as store:
        published = publish(release, store)
        assert BASE + "graph/links-automatic" not in store.graph_names()  # dropped: this release has none
        assert store.graph_names() == sorted(published)
        assert not [name for name in store.graph_names() if ".staging-" in name]
        count = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?a a pkg:Assignment }")
        assert int(next(iter(count))["n"].value) == 80  # type: ignore[arg-type]


def test_virtuoso_partial_answers_are_reported_as_timeouts(endpoint: str) -> None:
    with RemoteStore(endpoint, BASE, timeout=0.001) as store, pytest.raises(RemoteTimeout):
        store.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert httpx.get(endpoint, params={"query": "ASK {}"}, timeout=30).status_code == 200
