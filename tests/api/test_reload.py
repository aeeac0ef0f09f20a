"""Nothing lost, nothing half-seen: a new release replaces the served graph atomically under load, and a build
killed mid-way leaves the previous release in service."""

from __future__ import annotations

import shutil
import signal
import subprocess
import threading
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pyoxigraph
import pytest

from graph import bundled
from graph.release.build import Built, Inputs, build
from graph.release.write import write_release
from graph.store.releases import STORE, current_release
from tests.live import POLICYKG, server

ASSIGNMENTS = "SELECT (COUNT(*) AS ?n) WHERE { ?a a pkg:Assignment }"
CLIENTS, REQUESTS = 4, 600


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The bundled data with one more unit on task 19: 80 assignments instead of 79."""
    data = tmp_path_factory.mktemp("changed") / "data"
    shutil.copytree(bundled.folder("data"), data)
    table = data / "corpus" / "beijing-2022-task-division-table.txt"
    text = table.read_text("utf-8")
    last_units = "\t市科委、中关村管委会，市教委，市卫生健康委，市国资委\n\n\n"
    assert text.count(last_units) == 1
    table.write_text(
        text.replace(last_units, "\t市科委、中关村管委会，市教委，市卫生健康委，市国资委，市财政局\n\n\n"), "utf-8"
    )
    built = build(Inputs(manifest=data / "manifest.toml", registry=data / "agencies.toml"))
    assert built.report.conforms
    return built


def count(client: httpx.Client) -> tuple[int, int]:
    response = client.get("/sparql", params={"query": ASSIGNMENTS}, headers={"accept": "application/json"})
    if response.status_code != 200:
        return response.status_code, -1
    return 200, int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_a_new_release_is_served_atomically_under_load(tmp_path: Path, built: Built, changed: Built) -> None:
    out = tmp_path / "build"
    write_release(replace(built, release="20260101t000000z-before"), out)
    seen: list[list[tuple[int, int]]] = [[] for _ in range(CLIENTS)]
    with server("--out", out) as (base, _):

        def client(index: int) -> None:
            with httpx.Client(base_url=base, timeout=60, headers={"user-agent": f"client-{index}"}) as http:
                for _ in range(REQUESTS):
                    seen[index].append(count(http))

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        time.sleep(1)
        write_release(
            replace(changed, release="20260101t000001z-after"), out
        )  # the switch happens while the clients are querying
        for thread in threads:
            thread.join()
        with httpx.Client(base_url=base, timeout=60) as http:
            assert count(http) == (200, 80)
    answers = [answer for per_client in seen for answer in per_client]
    assert len(answers) == CLIENTS * REQUESTS
    assert {status for status, _ in answers} == {200}, "failed responses during the reload"
    assert {value for _, value in answers} == {79, 80}  # the old graph, then the new one: nothing else
    for per_client in seen:
        values = [value for _, value in per_client]
        assert values == sorted(values), "a client saw the old graph after the new one"


def test_a_build_that_fails_validation_leaves_the_served_graph_alone(tmp_path: Path, built: Built) -> None:
    out = tmp_path / "build"
    write_release(built, out)
    data = tmp_path / "data"
    shutil.copytree(bundled.folder("data"), data)
    table = data / "corpus" / "beijing-2022-task-division-table.txt"
    table.write_text(table.read_text("utf-8").replace("五、持续推进科研管理改革试点。", "五、。"), "utf-8")
    with server("--out", out) as (base, _):
        run = subprocess.run(
            [POLICYKG, "build", "--out", str(out), "--manifest", str(data / "manifest.toml")],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert run.returncode == 1
        time.sleep(1.5)  # the server would have noticed a new release by now
        with httpx.Client(base_url=base, timeout=60) as http:
            assert count(http) == (200, 79)


def test_a_build_killed_mid_way_leaves_the_previous_release_usable(tmp_path: Path, built: Built) -> None:
    out = tmp_path / "build"
    write_release(built, out)
    before = current_release(out)
    process = subprocess.Popen(
        [POLICYKG, "build", "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while not list((out / "releases").glob(".partial-*")):
        assert process.poll() is None, "the build finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert list((out / "releases").glob(".partial-*")), "killed while writing"
    assert current_release(out) == before
    assert before is not None
    store = pyoxigraph.Store.read_only(str(before / STORE))
    assert bool(store.query("ASK { ?t a <https://w3id.org/policykg/ontology#Task> }", use_default_graph_as_union=True))
    del store
    write_release(replace(built, release="20990101t000000z-next"), out)
    assert not list((out / "releases").glob(".partial-*"))  # the next build clears what the killed one left
