"""The SPARQL 1.1 endpoint: queries and (with the admin token) updates, per the SPARQL 1.1 Protocol.

GET without a query answers with the SPARQL Service Description, or the query page for a browser.
Evaluation and serialisation run in a worker thread, off the event loop.
"""

from __future__ import annotations

import pyoxigraph
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api import pages
from api.auth import require_admin
from api.deps import SettingsDep, StoreDep, ViewsDep
from api.errors import APIError
from api.negotiation import Kind, NotAcceptable, negotiate
from api.protocol import Operation, read_operation
from api.rdfresponse import rdf_response
from graph.description import service_description
from graph.namespaces import PREFIXES
from graph.sparql_text import RefusedQuery, check_operation, words
from graph.sparql_update import UsingConflict, with_using
from graph.store import Dataset, Store
from graph.views import Views

router = APIRouter(tags=["SPARQL"])


async def endpoint(request: Request, store: StoreDep, settings: SettingsDep, views: ViewsDep) -> Response:
    """SPARQL 1.1 Protocol endpoint. `query` by GET or POST (form or `application/sparql-query`), `update` by
    POST with the admin token. Results as SPARQL JSON/XML/CSV/TSV, graphs as Turtle/JSON-LD/RDF-XML/N-Triples,
    chosen by `Accept` or `format`. Without a query: the service description, or the query page for browsers."""
    operation = await read_operation(request, settings.max_query_bytes)
    if operation is None:
        return _describe_service(request, store, settings.base_iri)
    try:
        check_operation(operation.text)
    except RefusedQuery as refused:
        raise APIError(400, refused.code, str(refused)) from None
    if operation.kind == "update":
        require_admin(request, settings)
        await run_in_threadpool(_update, store, operation, _endpoint_iri(request))
        views.forget()
        return Response(status_code=204)
    # evaluated, serialised (or rendered) in one worker thread: pyoxigraph results must not cross threads
    return await run_in_threadpool(_query, request, views, store, operation)


# One route per method, each with its own OpenAPI operation; `/sparql/` too, as the W3C suite requests it.
for _method in ("GET", "POST", "HEAD"):
    router.add_api_route(
        "/sparql", endpoint, methods=[_method], summary=f"SPARQL 1.1 endpoint ({_method})",
        operation_id=f"sparql_{_method.lower()}", include_in_schema=_method != "HEAD",
    )  # fmt: skip
    router.add_api_route("/sparql/", endpoint, methods=[_method], include_in_schema=False)


def _endpoint_iri(request: Request) -> str:
    return str(request.url.replace(query="", fragment=""))


def _query(request: Request, views: Views, store: Store, operation: Operation) -> Response:
    try:
        chosen = negotiate(_result_kind(operation.text), request.headers.get("accept"), operation.formats)
    except NotAcceptable as error:
        raise APIError(406, "not_acceptable", str(error)) from None
    result = None
    try:
        dataset = Dataset(operation.default_graphs, operation.named_graphs)
        result = store.query(operation.text, dataset=dataset, base_iri=_endpoint_iri(request))
        if chosen.name == "html":
            return pages.sparql_page(request, views, operation.text, result)
        if isinstance(result, pyoxigraph.QueryTriples):
            body = pyoxigraph.serialize(result, format=chosen.rdf, prefixes=PREFIXES)
        else:
            body = result.serialize(format=chosen.results)
        return Response(body or b"", media_type=chosen.content_type, headers={"Vary": "Accept"})
    except SyntaxError as error:
        raise APIError(400, "query_syntax", f"the query is not valid SPARQL: {_short(error)}") from None
    except (OSError, RuntimeError, ValueError) as error:
        raise APIError(400, "query_error", f"the query could not be evaluated: {_short(error)}") from None
    finally:
        del result  # pyoxigraph results may only be dropped in the thread that made them


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
