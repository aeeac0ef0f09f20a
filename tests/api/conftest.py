"""Fixtures for the service: a release written from the session build, and in-process apps over it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from graph.release.build import Built
from graph.release.write import write_release
from graph.store.embedded import EmbeddedStore
from graph.store.releases import STORE, current_release

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture(scope="session")
def release_out(tmp_path_factory: pytest.TempPathFactory, built: Built) -> Path:
    out = tmp_path_factory.mktemp("service") / "build"
    write_release(built, out)
    return out


@pytest.fixture(scope="session")
def client(release_out: Path) -> TestClient:
    """The read-only service over the bundled build, as `policykg serve` runs it."""
    return TestClient(create_app(Settings(out_dir=release_out)))


@pytest.fixture
def writable_client(release_out: Path) -> Callable[..., TestClient]:
    """A factory of services over an in-memory copy of the build, with an admin token."""

    def make(token: str = "s3cret", **settings: object) -> TestClient:
        release = current_release(release_out)
        assert release is not None
        source = pyoxigraph.Store.read_only(str(release / STORE))
        store = EmbeddedStore.in_memory(list(source))
        app: FastAPI = create_app(Settings(out_dir=release_out, admin_token=token, **settings), store=store)
        return TestClient(app)

    return make
