"""SPARQL 1.1 Graph Store HTTP Protocol at /graph-store (indirect identification: `?graph=IRI` or `?default`).

Reading is open; PUT, POST and DELETE need the admin token. Without a parameter, GET returns the whole
dataset (TriG, N-Quads or JSON-LD). The default graph is the union of all graphs, as for SPARQL queries.
Uploaded RDF is parsed with the same guards as `policykg validate` (no entities, no remote contexts).
"""

from __future__ import annotations

import pyoxigraph
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.auth import require_admin
from api.deps import ServiceDep, SettingsDep, StoreDep, ViewsDep
from api.errors import APIError
from api.negotiation import Kind, NotAcceptable, by_name, negotiate
from api.protocol import media_type, read_body
from api.rdfresponse import rdf_response
from graph.errors import InputError
from graph.rdf.parse import parse_rdf
from graph.rdf.terms import triples_of
from graph.store.base import Store

router = APIRouter(tags=["Graph Store"])


def _target(request: Request) -> tuple[bool, str | None]:
    """(named, graph IRI): (False, None) for ?default, (True, iri) for ?graph=, (False, '') for the dataset."""
    params = request.query_params
    if "default" in params and "graph" in params:
        raise APIError(400, "bad_request", "give either ?default or ?graph=IRI, not both")
    if "default" in params:
        return False, None
    graphs = params.getlist("graph")
    if len(graphs) > 1:
        raise APIError(400, "bad_request", "give one ?graph=IRI")
    if graphs:
        try:
            pyoxigraph.NamedNode(graphs[0])
        except ValueError:
            raise APIError(400, "bad_request", f"graph must be an absolute IRI, not {graphs[0][:100]!r}") from None
        return True, graphs[0]
    return False, ""


async def read(request: Request, store: StoreDep) -> Response:
    """`?graph=IRI` one named graph, `?default` the default (union) graph, nothing: the whole dataset."""
    named, iri = _target(request)
    kind = Kind.DATASET if iri == "" else Kind.GRAPH
    try:
        chosen = negotiate(kind, request.headers.get("accept"), request.query_params.getlist("format"), html=False)
    except NotAcceptable as error:
        raise APIError(406, "not_acceptable", str(error)) from None
    if named and iri and not store.has_graph(iri):
        raise APIError(404, "not_found", f"no graph named {iri}")
    data = await run_in_threadpool(_read, store, named, iri)
    return rdf_response(data, chosen)


def _read(store: Store, named: bool, iri: str | None) -> list[pyoxigraph.Triple] | list[pyoxigraph.Quad]:
    if iri == "":
        return list(store.all_quads())
    if named:
        return [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in store.quads(iri)]
    return list(dict.fromkeys(pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in store.all_quads()))


async def write(
    request: Request, store: StoreDep, settings: SettingsDep, views: ViewsDep, service: ServiceDep
) -> Response:
    """PUT replaces, POST adds to, DELETE drops the graph named by `?graph=IRI` (or `?default`)."""
    require_admin(request, settings)
    named, iri = _target(request)
    if iri == "":
        raise APIError(400, "bad_request", "name the graph to write: ?graph=IRI or ?default")
    graph = iri if named else None
    if request.method == "DELETE":
        found = await run_in_threadpool(store.drop_graph, graph)
        views.forget()
        await run_in_threadpool(service.restart_workers)
        if not found:
            raise APIError(404, "not_found", f"no graph named {iri}")
        return Response(status_code=204)
    quads = await _uploaded(request, settings.max_upload_bytes)
    existed = graph is None or store.has_graph(graph)
    action = store.replace_graph if request.method == "PUT" else store.add_to_graph
    await run_in_threadpool(action, graph, quads)
    views.forget()
    await run_in_threadpool(service.restart_workers)
    return Response(status_code=204 if existed else 201)


for _method, _endpoint in (("GET", read), ("HEAD", read), ("PUT", write), ("POST", write), ("DELETE", write)):
    router.add_api_route(
        "/graph-store", _endpoint, methods=[_method], operation_id=f"graph_store_{_method.lower()}",
        summary=f"Graph Store Protocol {_method}" + ("" if _endpoint is read else " (admin token)"),
        include_in_schema=_method != "HEAD",
    )  # fmt: skip


async def _uploaded(request: Request, limit: int) -> list[pyoxigraph.Triple]:
    kind, _ = media_type(request)
    chosen = by_name(kind, Kind.GRAPH, html=False)
    if chosen is None or chosen.rdf is None:
        raise APIError(415, "unsupported_media_type", f"cannot read {kind or 'a body without Content-Type'} as RDF")
    body = await read_body(request, limit)
    try:
        parsed = await run_in_threadpool(parse_rdf, body, chosen.rdf, "request body")
    except InputError as error:
        raise APIError(400, "bad_rdf", error.message) from None
    return list(triples_of(parsed))
