"""One search box over policy titles, unit names and task texts: `/api/search` (JSON) and `/search` (the page)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from api.deps import RendererDep, ViewsDep
from api.models.common import ErrorBody, SearchPage
from api.pages.contexts import SEARCH_CHARS, find
from api.paging import PagingDep, page_headers

router = APIRouter(tags=["Search"])
ERRORS: dict[int | str, dict[str, object]] = {
    422: {"model": ErrorBody, "description": "A malformed parameter, named in the message"},
}


@router.get("/api/search", summary="Search policies, units and tasks", responses=ERRORS)
def search(
    request: Request,
    response: Response,
    views: ViewsDep,
    paging: PagingDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words to look for.", examples=["财政"])],
) -> SearchPage:
    """Policies whose Chinese or English title, units any of whose names (full or short, Chinese or English), and
    tasks whose text contains `q` as plain text, case-insensitively: policies first, then units, then tasks."""
    hits = views.search(q)
    page_headers(request, response, paging, len(hits))
    return SearchPage(total=len(hits), limit=paging.limit, offset=paging.offset, items=paging.window(hits))


@router.get("/search", include_in_schema=False)
def search_page(render: RendererDep, q: str = "") -> HTMLResponse:
    """Documents, responsible units and tasks whose titles, names or text contain `q`."""
    text = q.strip()[:SEARCH_CHARS]
    return render("search.html", q=text, found=find(render.views, text) if text else None)
