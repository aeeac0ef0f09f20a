"""Limits that really stop work, on a real server: deadlines kill workers, budgets are per client, results say
when they are cut short, and a worker that runs out of memory costs only itself."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph
import pytest

from tests.live import children, cpu_seconds, server

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MEMORY_HOG = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"
DEADLINE = 2.0


@pytest.fixture(scope="module")
def limited(release_out: Path) -> Iterator[tuple[str, int]]:
    env = {
        "POLICYKG_QUERY_TIMEOUT": str(DEADLINE),
        "POLICYKG_MAX_RESULT_ROWS": "5",
        "POLICYKG_QUEUE_WAIT": "1",
    }
    with server("--out", release_out, env=env) as (base, process):
        httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, timeout=60)  # workers started
        yield base, process.pid


def sparql(base: str, query: str, agent: str, wait: float = 60, **params: str) -> httpx.Response:
    return httpx.get(f"{base}/sparql", params={"query": query, **params}, headers={"user-agent": agent}, timeout=wait)


def busy_cpu(pids: set[int], seconds: float = 1.0) -> float:
    """CPU seconds these processes use over `seconds` of wall time (replacement workers starting are not in it)."""
    before = cpu_seconds(list(pids))
    time.sleep(seconds)
    return cpu_seconds(list(pids)) - before


def test_a_runaway_query_is_stopped_at_its_deadline_and_its_worker_with_it(limited: tuple[str, int]) -> None:
    base, pid = limited
    workers_before = set(children(pid))
    answers: dict[str, float] = {}

    def quick() -> None:
        time.sleep(0.5)  # while the runaway runs
        started = time.monotonic()
        assert sparql(base, "ASK {}", "another-client").json() == {"head": {}, "boolean": True}
        answers["quick"] = time.monotonic() - started

    other = threading.Thread(target=quick)
    other.start()
    started = time.monotonic()
    response = sparql(base, RUNAWAY, "runaway-client")
    elapsed = time.monotonic() - started
    other.join()
    assert response.status_code == 504
    assert response.json()["error"] == "query_timeout"
    assert elapsed < DEADLINE + 1, elapsed
    assert answers["quick"] < 1
    gone = workers_before - set(children(pid))
    assert len(gone) == 1  # the runaway's worker was killed, which frees its CPU and memory at once
    assert busy_cpu(workers_before - gone) < 0.2  # and nothing else kept working on it


def test_the_timeout_parameter_lowers_the_limit_and_never_raises_it(limited: tuple[str, int]) -> None:
    base, _ = limited
    started = time.monotonic()
    assert sparql(base, RUNAWAY, "lower", **{"timeout": "0.5"}).status_code == 504
    assert time.monotonic() - started < 0.5 + 1
    started = time.monotonic()
    assert sparql(base, RUNAWAY, "higher", **{"timeout": "600"}).status_code == 504
    assert time.monotonic() - started < DEADLINE + 1
    assert sparql(base, "ASK {}", "bad", **{"timeout": "soon"}).status_code == 400


def test_a_client_that_goes_away_frees_its_worker(limited: tuple[str, int]) -> None:
    base, pid = limited
    time.sleep(1.5)  # replacements from earlier tests have started
    workers_before = set(children(pid))
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        sparql(base, RUNAWAY, "impatient", wait=0.5)
    while workers_before <= set(children(pid)) and time.monotonic() - started < DEADLINE + 1:
        time.sleep(0.05)
    gone = workers_before - set(children(pid))
    assert len(gone) == 1, "the worker outlived its deadline"
    assert time.monotonic() - started < DEADLINE + 1
    assert busy_cpu(workers_before - gone) < 0.2


def test_one_client_cannot_take_every_worker(limited: tuple[str, int]) -> None:
    base, _ = limited
    time.sleep(1)
    statuses: list[int] = []
    retry_after: list[str] = []

    def runaway() -> None:
        response = sparql(base, RUNAWAY, "greedy-client")
        statuses.append(response.status_code)
        retry_after.append(response.headers.get("retry-after", ""))

    threads = [threading.Thread(target=runaway) for _ in range(10)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    assert sparql(base, "ASK {}", "patient-client").status_code == 200
    assert httpx.get(f"{base}/health", timeout=5).status_code == 200
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [429] * 9 + [504]
    assert [r for s, r in zip(statuses, retry_after, strict=True) if s == 429] == ["1"] * 9


def test_a_query_that_would_exhaust_memory_costs_only_its_worker(limited: tuple[str, int]) -> None:
    base, _ = limited
    time.sleep(1)
    response = sparql(base, MEMORY_HOG, "hungry-client")
    assert response.status_code in (503, 504)
    assert response.json()["error"] in ("query_failed", "query_timeout")
    time.sleep(1)
    assert sparql(base, "ASK { ?t a pkg:Task }", "next-client").json()["boolean"] is True


def test_big_results_are_cut_short_and_say_so(limited: tuple[str, int]) -> None:
    base, _ = limited
    response = sparql(base, "SELECT ?s WHERE { ?s ?p ?o }", "reader")
    assert response.status_code == 200
    assert response.headers["x-policykg-truncated"].startswith("true")
    body = response.json()
    assert body["truncated"] is True and len(body["results"]["bindings"]) == 5
    assert "urn:policykg:truncated" in body["head"]["link"]
    csv = sparql(base, "SELECT ?s WHERE { ?s ?p ?o }", "reader", format="csv")
    assert len(csv.text.strip().splitlines()) == 6 and csv.headers["x-policykg-truncated"].startswith("true")
    turtle = httpx.get(
        f"{base}/sparql",
        params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"},
        headers={"accept": "text/turtle", "user-agent": "reader"},
        timeout=60,
    )
    assert turtle.text.startswith("# truncated: 5 triples shown")
    small = sparql(base, "SELECT ?r WHERE { ?r a pkg:Role }", "reader")  # lead, participating, responsible, guiding
    assert len(small.json()["results"]["bindings"]) == 4 and "x-policykg-truncated" not in small.headers


def test_a_property_path_over_everything_finishes_or_stops_at_the_deadline(limited: tuple[str, int]) -> None:
    base, _ = limited
    time.sleep(1)
    started = time.monotonic()
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s (pkg:parent|^pkg:parent|skos:broader|^skos:broader)* ?o }"
    response = sparql(base, query, "path-client")
    assert response.status_code in (200, 504), response.text
    assert time.monotonic() - started < DEADLINE + 1


def test_a_catastrophic_regex_finishes_or_stops_at_the_deadline(limited: tuple[str, int]) -> None:
    base, _ = limited
    time.sleep(1)
    started = time.monotonic()
    query = 'SELECT ?o WHERE { ?s ?p ?o FILTER(REGEX(CONCAT(STR(?o), "aaaaaaaaaaaaaaaaaaaaaaaaaaaa!"), "^(a+)+$")) }'
    response = sparql(base, query, "regex-client")
    assert response.status_code in (200, 504), response.text
    assert time.monotonic() - started < DEADLINE + 1


def test_a_deep_hierarchy_is_answered_correctly(tmp_path: Path) -> None:
    """skos:broader* over 5,000 levels: the right answer, or a clean 400/504, never a 500."""
    store = pyoxigraph.Store(str(tmp_path / "store"))
    broader = pyoxigraph.NamedNode("http://www.w3.org/2004/02/skos/core#broader")
    graph = pyoxigraph.NamedNode("http://example.org/g")
    nodes = [pyoxigraph.NamedNode(f"http://example.org/c{n}") for n in range(5001)]
    store.extend(pyoxigraph.Quad(nodes[n], broader, nodes[n + 1], graph) for n in range(5000))
    store.flush()
    del store
    with server("--store", tmp_path / "store", env={"POLICYKG_QUERY_TIMEOUT": "20"}) as (base, _):
        query = "SELECT (COUNT(?y) AS ?n) WHERE { <http://example.org/c0> skos:broader* ?y }"
        response = sparql(base, query, "deep-client")
    assert response.status_code in (200, 400, 504), response.text
    if response.status_code == 200:
        assert response.json()["results"]["bindings"][0]["n"]["value"] == "5001"


def test_workers_that_cannot_start_give_a_503_that_says_why_and_the_next_request_retries(release_out: Path) -> None:
    from fastapi.testclient import TestClient

    from api.main import create_app
    from api.settings import Settings

    app = create_app(Settings(out_dir=release_out, worker_memory_mb=48))  # too little for the engine to open
    with TestClient(app, raise_server_exceptions=False) as client:
        first = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/json"})
        assert first.status_code == 503 and first.headers["Retry-After"]
        assert first.json()["error"] == "workers_unavailable"
        assert "POLICYKG_WORKER_MEMORY_MB" in first.json()["message"]
        # the pool is not left "started" with no workers: the next request tries again (and fails the same way
        # instead of waiting out the queue as "busy")
        again = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/json"})
        assert again.json()["error"] == "workers_unavailable"
