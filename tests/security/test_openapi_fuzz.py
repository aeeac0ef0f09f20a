"""Schemathesis over the JSON API's own OpenAPI document: for every GET /api/ operation, generated requests (valid
and invalid) never get a 5xx, and every response conforms to the schema, status code and content type declared."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from api.main import create_app
from api.settings import Settings
from graph.store.embedded import EmbeddedStore

# The OpenAPI document does not depend on the data, so it is read from a service over an empty store; the requests
# then go to the service over the bundled build (`case.call_and_validate(app=...)`).
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(Settings(out_dir=Path("unused")), store=EmbeddedStore.in_memory())
).include(path_regex="^/api/", method="GET")

# `limit` above `max_page_size` is a documented 422 (README settings table) that the schema cannot state, as the
# maximum is a setting: schema-valid requests may be refused there, so that one check is left out.
EXCLUDED = [positive_data_acceptance]


def test_the_fuzzed_operations_are_the_json_api() -> None:
    operations = {(op.ok().method.upper(), op.ok().path) for op in schema.get_all_operations()}
    assert ("GET", "/api/tasks") in operations and ("GET", "/api/search") in operations
    assert len(operations) >= 12 and all(path.startswith("/api/") for _, path in operations)


@pytest.fixture(scope="module")
def app(release_out: Path) -> FastAPI:
    """The service over the bundled build, its own: each call runs the app's lifespan, whose end closes it."""
    return create_app(Settings(out_dir=release_out, query_workers=0))


@schema.parametrize()
@settings(max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_json_api_never_errors_and_conforms_to_its_schema(case: schemathesis.Case, app: FastAPI) -> None:
    response = case.call_and_validate(app=app, excluded_checks=EXCLUDED)
    assert response.status_code < 500
