"""Every IRI the graph mints is dereferenceable here: {base}{path} is served at /{path}.

A browser gets the resource's HTML page; other clients get Turtle, JSON-LD, RDF/XML or N-Triples by `Accept`,
or by extension (`/agency/bj-finance.ttl`). Responses say `Vary: Accept` and link their alternates.
"""

from __future__ import annotations

import re

import pyoxigraph
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.deps import RendererDep, ServedDep, SettingsDep
from api.errors import APIError
from api.negotiation import Format, Kind, NotAcceptable, by_name, formats_for, negotiate
from api.pages import contexts
from api.pages.render import Renderer
from api.rdfresponse import rdf_response
from graph.store.base import Store
from graph.views.records import Views

router = APIRouter(tags=["Linked data"])
_NOT_IN_IRIS = re.compile(r"[\x00-\x20<>\"{}|\\^`]")  # characters no IRI holds (RFC 3987), NUL and spaces among them


def is_iri(iri: str) -> bool:
    """Whether a request path makes an IRI at all; anything else (`/agency/a%20b`, a NUL) names nothing here."""
    if _NOT_IN_IRIS.search(iri):
        return False
    try:
        pyoxigraph.NamedNode(iri)
    except ValueError:
        return False
    return True


def split_extension(path: str) -> tuple[str, Format | None]:
    """('agency/bj-finance', turtle) for 'agency/bj-finance.ttl'; the path itself when it has no known extension."""
    stem, dot, extension = path.rpartition(".")
    if dot and "/" not in extension:
        chosen = by_name(extension, Kind.GRAPH)
        if chosen is not None and chosen.extension == extension:
            return stem, chosen
    return path, None


def alternates(request: Request, path: str) -> str:
    links = [f'<{request.url_for("resource", path=path)}.{f.extension}>; rel="alternate"; type="{f.media_type}"'
             for f in formats_for(Kind.GRAPH)]  # fmt: skip
    return ", ".join(links)


@router.get("/ontology", include_in_schema=False)
async def ontology(render: RendererDep, served: ServedDep, settings: SettingsDep) -> Response:
    """The ontology document: every `pkg:` term (`…/ontology#Task`) is described here."""
    return await _graph_document(render, served.store, settings.base_iri + "graph/ontology", "ontology")


@router.get("/{path:path}", name="resource", summary="Dereference an IRI of the graph")
async def resource(
    path: str, request: Request, render: RendererDep, served: ServedDep, settings: SettingsDep
) -> Response:
    """The description of `{base_iri}{path}`: HTML for browsers, RDF by content negotiation or extension."""
    store, views = served.store, served.views
    if not path:
        if _negotiate(request).name != "html":
            return RedirectResponse("/.well-known/void", status_code=303)  # the root resource is the dataset
        return await run_in_threadpool(contexts.home, render, served.release)
    stem, by_extension = split_extension(path)
    iri = settings.base_iri + stem
    if not is_iri(iri):
        raise APIError(404, "not_found", f"nothing is known about {iri[:300]!r}: it is not a valid IRI")
    if stem.startswith("graph/") and store.has_graph(iri):
        return await _graph_document(render, store, iri, stem, by_extension)
    triples = await run_in_threadpool(views.describe, iri)
    if not triples:
        raise APIError(404, "not_found", f"nothing is known about {iri}")
    chosen = by_extension or _negotiate(request)
    headers = {"Link": alternates(request, stem), "Content-Location": f"/{stem}.{chosen.extension}"}
    if chosen.name == "html":
        return await run_in_threadpool(contexts.resource_page, render, iri)
    return rdf_response(triples, chosen, headers)


async def _graph_document(
    render: Renderer, store: Store, iri: str, path: str, chosen: Format | None = None
) -> Response:
    request = render.request
    chosen = chosen or _negotiate(request)
    quads = await run_in_threadpool(lambda: list(store.quads(iri)))
    if chosen.name == "html":
        return await run_in_threadpool(contexts.graph_page, render, iri, quads)
    triples = [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads]
    return rdf_response(triples, chosen, {"Link": alternates(request, path)})


def _negotiate(request: Request) -> Format:
    try:
        return negotiate(Kind.GRAPH, request.headers.get("accept"))
    except NotAcceptable as error:
        raise APIError(406, "not_acceptable", str(error)) from None


__all__ = ["Views", "router"]
