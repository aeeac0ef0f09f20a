"""`policykg serve` on a fresh checkout: builds the bundled data on first run, then reuses the store."""

from __future__ import annotations

from pathlib import Path

import httpx

from graph.store.releases import current_release
from tests.live import serving


def test_first_run_builds_then_restarts_reuse_the_store(tmp_path: Path) -> None:
    out = tmp_path / "build"
    with serving("--out", out, cwd=tmp_path) as base:
        health = httpx.get(f"{base}/health").json()
        assert health["status"] == "ok" and health["triples"] > 1000
        first = current_release(out)
        assert first is not None
        answer = httpx.get(f"{base}/sparql", params={"query": "ASK { ?t pkg:participatingAgency ?a }"})
        assert answer.json()["boolean"] is True
    stamp = (first / "store").stat().st_mtime
    with serving("--out", out, cwd=tmp_path) as base:
        assert httpx.get(f"{base}/health").json() == health
    assert current_release(out) == first  # no second build
    assert sorted(p.name for p in (out / "releases").iterdir()) == [first.name]
    assert (first / "store").stat().st_mtime == stamp


def test_serving_a_store_folder(tmp_path: Path, release_out: Path) -> None:
    release = current_release(release_out)
    assert release is not None
    with serving("--store", release / "store", cwd=tmp_path) as base:
        assert httpx.get(f"{base}/agency/bj-finance", headers={"accept": "text/turtle"}).status_code == 200
        assert httpx.get(f"{base}/dumps/policykg.ttl").status_code == 404  # a bare store has no dumps


def test_query_workers_start_with_the_service_not_with_the_first_query(release_out: Path) -> None:
    """The first SPARQL query after start-up should not pay for spawning the workers (about a second each on a
    busy machine): they are started in the background as the service starts, before any query arrives."""
    import time

    from tests.live import children, server

    with server("--out", release_out, env={"POLICYKG_QUERY_WORKERS": "2"}) as (_base, process):
        deadline = time.monotonic() + 60
        while len(children(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        names = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in children(process.pid)]
        assert sum(b"serve_jobs" in name for name in names) >= 2, names


def test_query_workers_load_the_store_side_only(release_out: Path) -> None:
    """A worker under `policykg serve` is a fresh interpreter with the store side only: not the command line's
    ingestion, validation and .docx reading, which the server itself has loaded (python-docx maps lxml's library)."""
    import time

    from tests.live import children, server

    def maps(pid: int) -> str:
        return Path(f"/proc/{pid}/maps").read_text()

    with server("--out", release_out, env={"POLICYKG_QUERY_WORKERS": "2"}) as (base, process):
        assert httpx.get(f"{base}/sparql", params={"query": "ASK {}"}).json()["boolean"] is True
        deadline = time.monotonic() + 60
        while len(children(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        workers = children(process.pid)
        assert len(workers) >= 2
        assert "lxml" in maps(process.pid)  # the server imported python-docx, so the test can tell
        for worker in workers:
            assert "pyoxigraph" in maps(worker)
            assert "lxml" not in maps(worker), f"worker {worker} loaded the build path"
