"""The SPARQL 1.1 endpoint: queries and (with the admin token) updates, per the SPARQL 1.1 Protocol.

GET without a query answers with the SPARQL Service Description, or the query page for a browser.
Evaluation and serialisation run in a worker thread, off the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api import pages
from api.auth import require_admin
from api.deps import SettingsDep, StoreDep, ViewsDep
from api.errors import APIError
from api.negotiation import Format, Kind, NotAcceptable, negotiate
from api.protocol import Operation, read_operation
from api.rdfresponse import rdf_response
from graph.description import service_description
from graph.namespaces import PREFIXES
from graph.sparql_update import UsingConflict, with_using
from graph.store import Dataset, QueryResult, Store

router = APIRouter(tags=["SPARQL"])
HTML_ROWS = 1000


@dataclass
class Answer:
    """An evaluated query: serialised bytes in the chosen format, or rows for the HTML page."""

    format: Format
    body: bytes = b""
    result: QueryResult | None = None


@router.api_route("/sparql", methods=["GET", "POST", "HEAD"], summary="SPARQL 1.1 query and update endpoint")
async def endpoint(request: Request, store: StoreDep, settings: SettingsDep, views: ViewsDep) -> Response:
    """SPARQL 1.1 Protocol endpoint. `query` by GET or POST (form or `application/sparql-query`), `update` by
    POST with the admin token. Results as SPARQL JSON/XML/CSV/TSV, graphs as Turtle/JSON-LD/RDF-XML/N-Triples,
    chosen by `Accept` or `format`. Without a query: the service description, or the query page for browsers."""
    operation = await read_operation(request, settings.max_query_bytes)
    if operation is None:
        return _describe_service(request, store, settings.base_iri)
    if operation.kind == "update":
        require_admin(request, settings)
        await run_in_threadpool(_update, store, operation, _endpoint_iri(request))
        views.forget()
        return Response(status_code=204)
    accept = request.headers.get("accept")
    answer = await run_in_threadpool(_query, store, operation, accept, _endpoint_iri(request))
    if answer.format.name == "html":
        return pages.sparql_page(request, views, operation.text, answer.result)
    return Response(answer.body, media_type=answer.format.content_type, headers={"Vary": "Accept"})


def _endpoint_iri(request: Request) -> str:
    return str(request.url.replace(query="", fragment=""))


def _query(store: Store, operation: Operation, accept: str | None, base_iri: str) -> Answer:
    dataset = Dataset(operation.default_graphs, operation.named_graphs)
    try:
        result = store.query(operation.text, dataset=dataset, base_iri=base_iri)
    except SyntaxError as error:
        raise APIError(400, "query_syntax", f"the query is not valid SPARQL: {_short(error)}") from None
    except (OSError, RuntimeError, ValueError) as error:
        raise APIError(400, "query_error", f"the query could not be evaluated: {_short(error)}") from None
    kind = Kind.GRAPH if isinstance(result, pyoxigraph.QueryTriples) else Kind.RESULTS
    try:
        chosen = negotiate(kind, accept, operation.formats)
    except NotAcceptable as error:
        raise APIError(406, "not_acceptable", str(error)) from None
    if chosen.name == "html":
        return Answer(chosen, result=result)
    try:
        if isinstance(result, pyoxigraph.QueryTriples):
            body = pyoxigraph.serialize(result, format=chosen.rdf, prefixes=PREFIXES)
        else:
            body = result.serialize(format=chosen.results)
    except (OSError, RuntimeError, ValueError) as error:
        raise APIError(400, "query_error", f"the query could not be evaluated: {_short(error)}") from None
    return Answer(chosen, body=body or b"")


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


def _describe_service(request: Request, store: Store, base_iri: str) -> Response:
    try:
        chosen = negotiate(Kind.GRAPH, request.headers.get("accept"))
    except NotAcceptable as error:
        raise APIError(406, "not_acceptable", str(error)) from None
    if chosen.name == "html":
        return pages.sparql_page(request, request.app.state.views, None, None)
    graph = service_description(_endpoint_iri(request), store, writable=store.writable)
    return rdf_response(graph, chosen)


def _short(error: Exception) -> str:
    """The parser's or engine's own message (with its line:column), first lines only, without internals."""
    text = " ".join(str(error).split())
    return text[:500]
