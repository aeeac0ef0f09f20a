"""Pictures as SVG (image/svg+xml) at their own addresses, and the page of the collaboration network.

`/network.svg` (optionally `?agency=bj-finance`: that unit's part of it), `/coverage.svg` (optionally
`?document=guobanfa-2021-26`) and `/ontology.svg`; `?lang=en` gives the English title and description.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import RendererDep, ViewsDep
from api.errors import APIError
from api.identifiers import ID_MAX_LENGTH, ID_PATTERN, agency_id
from api.pages import pictures
from api.pages.contexts import coverages
from api.pages.render import language
from graph.pictures.network import collaboration_network
from graph.pictures.svg import MEDIA_TYPE

router = APIRouter(include_in_schema=False)
Identifier = Query(pattern=ID_PATTERN, max_length=ID_MAX_LENGTH)


def svg_response(text: str) -> Response:
    return Response(text.encode("utf-8"), media_type=MEDIA_TYPE)


@router.get("/network")
def network_page(render: RendererDep) -> HTMLResponse:
    """The collaboration network of the responsible units, and the pairs of units that share tasks as a table."""
    views = render.views
    network = collaboration_network(views)
    pairs = sorted(network.pairs, key=lambda pair: (-pair.shared, pair.first, pair.second))
    refs = {unit.iri: views.ref(unit.iri) for unit in network.units}
    return render("network.html", network=network, pairs=pairs, refs=refs)


@router.get("/network.svg")
def network_svg(request: Request, views: ViewsDep, agency: Annotated[str | None, Identifier] = None) -> Response:
    """The collaboration network as SVG; with `agency`, that unit, the units it shares tasks with and their pairs."""
    iri = views.iri(agency_id(agency)) if agency else None
    if iri is not None and iri not in {unit.iri for unit in views.agencies()}:
        raise APIError(404, "not_found", f"no responsible unit with id {agency!r}")
    found = pictures.network(views, language(request), iri, standalone=True)
    if found is None:
        raise APIError(404, "not_found", f"the unit {agency!r} has no task, so it has no collaboration network")
    return svg_response(found)


@router.get("/coverage.svg")
def coverage_svg(request: Request, views: ViewsDep, document: Annotated[str | None, Identifier] = None) -> Response:
    """Each measure of a national document (default: every document with measures) and the local tasks that
    implement it, the measures without any marked as gaps."""
    return svg_response(pictures.coverage(views, coverages(views, document), language(request), True))


@router.get("/ontology.svg")
def ontology_svg(request: Request, views: ViewsDep) -> Response:
    """The ontology: classes, object properties from domain to range, subclasses, alignments."""
    found = pictures.ontology(views, language(request), standalone=True)
    if found is None:
        raise APIError(404, "not_found", "the store has no ontology graph")
    return svg_response(found)
