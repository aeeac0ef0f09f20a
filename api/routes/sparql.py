"""The SPARQL 1.1 endpoint: queries and (with the admin token) updates, per the SPARQL 1.1 Protocol.

GET without a query answers with the SPARQL Service Description, or the query page for a browser. A query runs
in a worker process under a deadline (`POLICYKG_QUERY_TIMEOUT`, or a lower `timeout` parameter): past it, or
when the client goes away, the worker is killed. Each client may run `POLICYKG_MAX_QUERIES_PER_CLIENT` queries at
once (429 beyond); when every worker is busy for `POLICYKG_QUEUE_WAIT` seconds, 503 with Retry-After. Results
beyond `POLICYKG_MAX_RESULT_ROWS` rows or `POLICYKG_MAX_RESULT_BYTES` are cut short and say so.
"""

from __future__ import annotations

import asyncio
import math
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pyoxigraph
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.auth import require_admin
from api.deps import RendererDep, ServedDep, ServiceDep, SettingsDep
from api.errors import APIError
from api.negotiation import Format, Kind, NotAcceptable, negotiate
from api.pages import contexts
from api.pages.render import Renderer
from api.protocol import Operation, read_operation
from api.rdfresponse import rdf_response
from api.service import Served, Service
from api.settings import Settings
from graph.rdf.namespaces import PREFIXES
from graph.store.base import Store
from graph.store.results import Budget
from graph.store.sparql_text import RefusedQuery, check_operation, words
from graph.store.update import UsingConflict, with_using
from graph.store.workers import Job, Outcome, PoolBusy, QueryTimeout, WorkerLost, WorkersUnavailable
from graph.views.description import service_description

router = APIRouter(tags=["SPARQL"])
HTML_ROWS = 1000
_RETRY_AFTER = "5"


async def endpoint(
    request: Request, render: RendererDep, served: ServedDep, service: ServiceDep, settings: SettingsDep
) -> Response:
    """SPARQL 1.1 Protocol endpoint. `query` by GET or POST (form or `application/sparql-query`), `update` by
    POST with the admin token. Results as SPARQL JSON/XML/CSV/TSV, graphs as Turtle/JSON-LD/RDF-XML/N-Triples,
    chosen by `Accept` or `format`; `timeout` (seconds) may lower the server's time limit. Without a query: the
    service description, or the query page for browsers."""
    operation = await read_operation(request, settings.max_query_bytes)
    if operation is None:
        return await run_in_threadpool(_describe_service, render, served)
    if operation.kind == "update":
        require_admin(request, settings)  # before anything else: without the token, no update is even read
    try:
        check_operation(operation.text)
    except RefusedQuery as refused:
        raise APIError(400, refused.code, str(refused)) from None
    if operation.kind == "update":
        await run_in_threadpool(_update, served.store, operation, _endpoint_iri(request))
        served.views.forget()
        await run_in_threadpool(service.restart_workers)
        return Response(status_code=204)
    return await _query(render, served, service, settings, operation)


# One route per method, each with its own OpenAPI operation; `/sparql/` too, as the W3C suite requests it.
for _method in ("GET", "POST", "HEAD"):
    router.add_api_route(
        "/sparql", endpoint, methods=[_method], summary=f"SPARQL 1.1 endpoint ({_method})",
        operation_id=f"sparql_{_method.lower()}", include_in_schema=_method != "HEAD",
    )  # fmt: skip
    router.add_api_route("/sparql/", endpoint, methods=[_method], include_in_schema=False)


def _endpoint_iri(request: Request) -> str:
    return str(request.url.replace(query="", fragment=""))


def _client(request: Request) -> str:
    host = request.client.host if request.client else "?"
    return f"{host} {request.headers.get('user-agent', '')[:200]}"


@asynccontextmanager
async def _client_slot(request: Request, service: Service, settings: Settings) -> AsyncIterator[None]:
    """At most `max_queries_per_client` queries at once per client (address and user agent); 429 beyond."""
    key = _client(request)
    if not service.begin_query(key, settings.max_queries_per_client):
        raise APIError(
            429, "too_many_queries", "this client already runs as many queries as it may; wait for them",
            headers={"Retry-After": "1"},
        )  # fmt: skip
    try:
        yield
    finally:
        service.end_query(key)


def _timeout(request: Request, settings: Settings) -> float:
    requested = request.query_params.get("timeout")
    if requested is None:
        return settings.query_timeout
    try:
        value = float(requested)
    except ValueError:
        raise APIError(400, "bad_request", f"timeout must be a number of seconds, not {requested[:40]!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise APIError(400, "bad_request", "timeout must be a positive number of seconds")
    return min(value, settings.query_timeout)


def _formats(request: Request, operation: Operation) -> tuple[Format, Format | None]:
    """The format for the kind of result the query will give, and the other kind's (when acceptable)."""
    accept = request.headers.get("accept")
    expected = _result_kind(operation.text)
    other = Kind.GRAPH if expected == Kind.RESULTS else Kind.RESULTS
    try:
        chosen = negotiate(expected, accept, operation.formats)
    except NotAcceptable as error:
        raise APIError(406, "not_acceptable", str(error)) from None
    try:
        fallback: Format | None = negotiate(other, accept, operation.formats)
    except NotAcceptable:
        fallback = None
    return chosen, fallback


def _job(request: Request, settings: Settings, operation: Operation, formats: tuple[Format, Format | None]) -> Job:
    by_kind = {f.name: f for f in formats if f is not None}
    html = any(name == "html" for name in by_kind)
    results = next((f.name for f in formats if f is not None and f.results is not None), "json")
    rdf = next((f.media_type for f in formats if f is not None and f.rdf is not None), "text/turtle")
    rows = min(settings.max_result_rows, HTML_ROWS + 1) if html else settings.max_result_rows  # one more: "capped"
    return Job(
        query=operation.text,
        results_format="json" if html else results,
        rdf_media_type="application/n-triples" if html else rdf,
        budget=Budget(rows, settings.max_result_bytes),
        prefixes=PREFIXES,
        default_graphs=operation.default_graphs,
        named_graphs=operation.named_graphs,
        base_iri=_endpoint_iri(request),
    )


async def _query(
    render: Renderer, served: Served, service: Service, settings: Settings, operation: Operation
) -> Response:
    request = render.request
    formats = _formats(request, operation)
    job = _job(request, settings, operation, formats)
    timeout = _timeout(request, settings)
    async with _client_slot(request, service, settings):
        outcome = await _run(request, served, job, timeout, settings.queue_wait)
    if outcome.error:
        raise APIError(400, outcome.error, outcome.message)
    chosen = _answering(formats, outcome)
    if chosen.name == "html":
        return await run_in_threadpool(_html, render, operation.text, outcome)
    headers = {"Vary": "Accept"}
    if outcome.truncated:
        headers["X-PolicyKG-Truncated"] = f"true; {outcome.rows} kept"
    return Response(outcome.body, media_type=chosen.content_type, headers=headers)


def _answering(formats: tuple[Format, Format | None], outcome: Outcome) -> Format:
    """The negotiated format matching what the query actually returned."""
    wanted = "rdf" if outcome.kind == "graph" else "results"
    for candidate in formats:
        if candidate is not None and (candidate.name == "html" or getattr(candidate, wanted) is not None):
            return candidate
    raise APIError(406, "not_acceptable", "the query's result cannot be given in any format the request accepts")


async def _run(request: Request, served: Served, job: Job, timeout: float, wait: float) -> Outcome:
    pool = served.pool
    cancelled = threading.Event()
    watcher = asyncio.create_task(_watch_disconnect(request, cancelled))
    try:
        if pool is None:  # a remote store (its own deadline) or one without a folder: evaluate in a thread
            return await run_in_threadpool(served.store.evaluate, job)
        if not pool.started:
            await run_in_threadpool(pool.ensure_started)
        return await pool.run_async(job, timeout, wait, cancelled.is_set)
    except QueryTimeout:
        raise APIError(
            504, "query_timeout", f"the query ran longer than {timeout:g} s and was stopped; simplify it or add LIMIT"
        ) from None
    except WorkerLost:
        raise APIError(
            503, "query_failed", "the query was stopped: it ran out of memory or crashed the engine",
            headers={"Retry-After": _RETRY_AFTER},
        ) from None  # fmt: skip
    except WorkersUnavailable:
        raise APIError(
            503, "workers_unavailable", "no query worker could be started; the store may be unreadable or the "
            "worker memory limit (POLICYKG_WORKER_MEMORY_MB) too low", headers={"Retry-After": _RETRY_AFTER},
        ) from None  # fmt: skip
    except PoolBusy:
        raise APIError(
            503, "busy", "every query worker is busy; try again shortly", headers={"Retry-After": _RETRY_AFTER}
        ) from None
    finally:
        watcher.cancel()


async def _watch_disconnect(request: Request, cancelled: threading.Event) -> None:
    while not cancelled.is_set():
        if await request.is_disconnected():
            cancelled.set()
            return
        await asyncio.sleep(0.25)


def _html(render: Renderer, query: str, outcome: Outcome) -> Response:
    if outcome.kind == "graph":
        result: object = list(pyoxigraph.parse(outcome.body, pyoxigraph.RdfFormat.N_TRIPLES))
    else:
        result = pyoxigraph.parse_query_results(outcome.body, pyoxigraph.QueryResultsFormat.JSON)
    return contexts.sparql_page(render, query, result)


def _result_kind(query: str) -> Kind:
    """Results for SELECT and ASK, a graph for CONSTRUCT and DESCRIBE (decided before evaluating)."""
    form = next((w.text for w in words(query) if w.text in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), "SELECT")
    return Kind.GRAPH if form in ("CONSTRUCT", "DESCRIBE") else Kind.RESULTS


def _update(store: Store, operation: Operation, base_iri: str) -> None:
    try:
        text = with_using(operation.text, operation.default_graphs, operation.named_graphs)
        store.update(text, base_iri=base_iri)
    except (UsingConflict, ValueError) as error:
        raise APIError(400, "update_dataset", str(error)) from None
    except SyntaxError as error:
        raise APIError(400, "update_syntax", f"the update is not valid SPARQL: {_short(error)}") from None
    except (OSError, RuntimeError) as error:
        raise APIError(400, "update_error", f"the update failed: {_short(error)}") from None


def _describe_service(render: Renderer, served: Served) -> Response:
    request = render.request
    try:
        chosen = negotiate(Kind.GRAPH, request.headers.get("accept"))
    except NotAcceptable as error:
        raise APIError(406, "not_acceptable", str(error)) from None
    if chosen.name == "html":
        return contexts.sparql_page(render, None, None)
    graph = service_description(_endpoint_iri(request), served.store, writable=served.store.writable)
    return rdf_response(graph, chosen)


def _short(error: Exception) -> str:
    """The parser's or engine's own message (with its line:column), first lines only, without internals."""
    return " ".join(str(error).split())[:500]


__all__ = ["Service", "router"]
