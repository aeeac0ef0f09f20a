"""JSON API: responsible units (agencies and groups of agencies), their tasks and who they work with."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from api.deps import ViewsDep
from api.errors import APIError
from api.identifiers import ID_MAX_LENGTH, ID_PATTERN, agency_id
from api.models.common import AgencyPage, ErrorBody
from api.paging import PagingDep, page_headers
from graph.views.records import Agency, AgencyKind

router = APIRouter(prefix="/api/agencies", tags=["Agencies"])
ERRORS: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorBody, "description": "No such unit"},
    422: {"model": ErrorBody, "description": "A malformed parameter, named in the message"},
}


@router.get("", summary="List responsible units", responses=ERRORS)
def list_agencies(
    request: Request,
    response: Response,
    views: ViewsDep,
    paging: PagingDep,
    kind: Annotated[AgencyKind | None, Query(description="Only units of this kind.")] = None,
) -> AgencyPage:
    """Responsible units, busiest first, with their kind and how many tasks they lead and join."""
    found = [agency for agency in views.agencies() if kind is None or agency.kind == kind]
    page_headers(request, response, paging, len(found))
    return AgencyPage(total=len(found), limit=paging.limit, offset=paging.offset, items=paging.window(found))


@router.get("/{id:path}", summary="One responsible unit", responses=ERRORS)
def get_agency(
    id: Annotated[
        str,
        Path(
            pattern=ID_PATTERN,
            max_length=ID_MAX_LENGTH,
            description="`agency/bj-finance` or `bj-finance`.",
            examples=["bj-finance"],
        ),
    ],
    views: ViewsDep,
) -> Agency:
    """A unit with its full name (zh, en), other names, parent body and matches in other registries; the tasks it
    leads and joins, in number order; and the units it shares tasks with, most shared tasks first."""
    agency = views.agency_detail(views.iri(agency_id(id)))
    if agency is None:
        raise APIError(404, "not_found", f"no responsible unit with id {id!r}")
    return agency
