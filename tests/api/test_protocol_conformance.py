"""The W3C SPARQL 1.1 Protocol test suite (tests/data/sparql11-protocol) against a live `policykg serve`.

With the admin token, every test passes. Without it, the suite's own runner passes every query test and every
negative test, and reports only the update tests as failures, refused with 403 (read-only), as intended.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph
import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.term import Node

from tests.helpers import ROOT
from tests.live import serving

SUITE = ROOT / "tests" / "data" / "sparql11-protocol"
MANIFEST = SUITE / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
TOKEN = "conformance-token"
UPDATE_TESTS = {
    "update_dataset_default_graph", "update_dataset_default_graphs", "update_dataset_named_graphs",
    "update_dataset_full", "update_post_form", "update_post_direct", "update_base_uri",
}  # fmt: skip


def make_store(path: Path) -> Path:
    store = pyoxigraph.Store(str(path))
    for n in (1, 2, 3):
        graph = pyoxigraph.NamedNode(f"http://kasei.us/2009/09/sparql/data/data{n}.rdf")
        store.load(path=str(SUITE / f"data{n}.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=graph)
    store.flush()
    del store
    return path


@pytest.fixture(scope="module")
def manifest() -> Graph:
    return Graph().parse(MANIFEST, format="turtle")


def manifest_entries(manifest: Graph) -> list[Node]:
    return list(Collection(manifest, next(manifest.objects(None, MF.entries))))


@pytest.fixture(scope="module")
def with_token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = make_store(tmp_path_factory.mktemp("conformance") / "store")
    with serving("--store", store, env={"POLICYKG_ADMIN_TOKEN": TOKEN}) as base:
        yield base


def check_entry(manifest: Graph, test: Node, endpoint: str, token: str | None) -> list[str]:
    """Run one manifest test; the list of problems (empty when it passes)."""
    action = manifest.value(test, MF.action)
    problems = []
    for request in Collection(manifest, manifest.value(action, HT.requests)):
        path = str(manifest.value(request, HT.absolutePath))
        url = endpoint + re.sub(r"^/sparql/?", "/", path)
        headers = {"accept": "application/sparql-results+json, application/n-triples;q=0.9, */*;q=0.1"}
        listed = manifest.value(request, HT.headers)
        for header in Collection(manifest, listed) if listed is not None else []:
            headers[str(manifest.value(header, HT.fieldName))] = str(manifest.value(header, HT.fieldValue))
        if token:
            headers["authorization"] = f"Bearer {token}"
        body = manifest.value(request, HT.body)
        data = None
        if body is not None:
            encoding = str(manifest.value(body, CNT.characterEncoding) or "UTF-8")
            data = str(manifest.value(body, CNT.chars)).encode(encoding)
        response = httpx.request(str(manifest.value(request, HT.methodName)), url, content=data, headers=headers)
        expected_response = manifest.value(request, HT.resp)
        classes = {
            str(s).rsplit("#", 1)[-1].replace("StatusCode", "")[0]
            for s in manifest.objects(expected_response, MF.expectedStatus)
        }
        if str(response.status_code)[0] not in classes:
            problems.append(f"{path}: HTTP {response.status_code} {response.text[:200]}, expected {sorted(classes)}xx")
            break
        boolean = manifest.value(expected_response, MF.expectedBoolean)
        if boolean is not None and response.json().get("boolean") != boolean.toPython():
            problems.append(f"{path}: boolean {response.json().get('boolean')}, expected {boolean}")
    return problems


def test_every_protocol_test_passes_with_the_admin_token(manifest: Graph, with_token: str) -> None:
    """In manifest order, as the suite's updates (CLEAR ALL) assume; one failure list for all 34 tests."""
    failures = {}
    tests = manifest_entries(manifest)
    assert len(tests) == 34
    for test in tests:
        problems = check_entry(manifest, test, f"{with_token}/sparql", TOKEN)
        if problems:
            failures[str(test).rsplit("#", 1)[-1]] = problems
    assert failures == {}


def test_the_suites_runner_without_a_token_fails_only_the_refused_updates(tmp_path: Path) -> None:
    store = make_store(tmp_path / "store")
    with serving("--store", store) as base:
        run = subprocess.run(
            [sys.executable, str(SUITE / "run_protocol_tests.py"), str(MANIFEST), f"{base}/sparql"],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    lines = [line for line in run.stdout.splitlines() if line.startswith(("PASS", "FAIL"))]
    assert len(lines) == 34, run.stdout + run.stderr
    failed = {line.split()[1]: line for line in lines if line.startswith("FAIL")}
    assert set(failed) == UPDATE_TESTS
    assert all("HTTP 403" in line for line in failed.values()), failed
