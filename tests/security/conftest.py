"""Fixtures for the hostile-input suite (the cases of the brief's hostile-input list): the service as a client sees it, a
loopback listener that must never be called, a log of the files Python opens, and checks on error bodies."""

from __future__ import annotations

import http.server
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from tests.api.conftest import BROWSER, release_out, writable_client
from tests.helpers import ROOT

__all__ = ["BROWSER", "release_out", "writable_client"]  # fixtures re-exported from tests/api/conftest.py

COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# What a leaked internal looks like: a traceback, a source location, a path of this machine.
LEAK_MARKERS = ("Traceback", 'File "', "site-packages", '.py", line', str(ROOT), "/tmp/", "/home/")


@pytest.fixture(scope="session")
def service(release_out: os.PathLike[str]) -> Iterator[TestClient]:
    """The read-only service over the bundled build; a server error is a 500 response here, not an exception."""
    app = create_app(Settings(out_dir=release_out))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@dataclass
class Listener:
    """A loopback HTTP server that records every request; the code under test must never send it one."""

    base: str
    seen: list[str] = field(default_factory=list)


@pytest.fixture
def listener() -> Iterator[Listener]:
    recorded: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            recorded.append(f"{self.command} {self.path}")
            body = b'{"@context": {"x": "http://example.org/x"}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    listening = Listener(f"http://127.0.0.1:{server.server_address[1]}", recorded)
    httpx.get(f"{listening.base}/ready", timeout=5)  # the listener answers, so silence later means no request
    recorded.clear()
    yield listening
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


# Audit hooks cannot be removed once added: one hook for the session, recording only while a test asks.
_RECORDERS: list[list[str]] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "open" and _RECORDERS and isinstance(args[0], str | bytes | os.PathLike):
        path = os.fsdecode(args[0])
        for recorder in _RECORDERS:
            recorder.append(path)


@pytest.fixture(scope="session")
def _audit_hook() -> None:
    sys.addaudithook(_audit)


@pytest.fixture
def opened(_audit_hook: None) -> Iterator[list[str]]:
    """Paths Python code opens during the test (files a Rust engine opens natively are not seen)."""
    recorder: list[str] = []
    _RECORDERS.append(recorder)
    yield recorder
    _RECORDERS.remove(recorder)


def leaked(text: str) -> list[str]:
    """The leak markers found in a response body."""
    return [marker for marker in LEAK_MARKERS if marker in text]


def error_of(response: httpx.Response, status: int, code: str | set[str]) -> str:
    """Assert a JSON error with this status and code (or one of these codes) that leaks nothing; its message."""
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/json"), response.headers["content-type"]
    body = response.json()
    assert set(body) == {"error", "message"}, body
    assert body["error"] in ({code} if isinstance(code, str) else code), body
    assert body["message"] and len(body["message"]) < 2000
    assert not leaked(response.text), (leaked(response.text), response.text[:500])
    return str(body["message"])


def triple_count(client: TestClient) -> int:
    response = client.get("/sparql", params={"query": COUNT_TRIPLES}, headers={"accept": "application/json"})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])
