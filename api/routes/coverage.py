"""How far the measures of national documents are taken up by local tasks (curated links): `/api/coverage` (JSON)
and `/coverage` (the page)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from api.deps import RendererDep, ViewsDep
from api.identifiers import ID_MAX_LENGTH, ID_PATTERN
from api.models.common import Coverage, ErrorBody
from api.pages.contexts import coverages

router = APIRouter(tags=["Provisions"])
ERRORS: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorBody, "description": "No such policy document"},
    422: {"model": ErrorBody, "description": "A malformed parameter, named in the message"},
}


@router.get("/api/coverage", summary="Coverage of measures by tasks", responses=ERRORS)
def get_coverage(
    views: ViewsDep,
    document: Annotated[
        str | None,
        Query(
            pattern=ID_PATTERN,
            max_length=ID_MAX_LENGTH,
            description="A document: its id (`eli/cn/guobanfa/2021/26`) or its manifest id (`guobanfa-2021-26`). "
            "Without it, every document that has measures.",
            examples=["guobanfa-2021-26"],
        ),
    ] = None,
) -> Coverage:
    """For each measure of the document, in document order, the local tasks that implement it by a curated link
    (`primary` when it is the task's main measure), and the measures no task implements."""
    return Coverage(documents=coverages(views, document))


@router.get("/coverage", include_in_schema=False)
def coverage_page(
    render: RendererDep,
    document: Annotated[str | None, Query(pattern=ID_PATTERN, max_length=ID_MAX_LENGTH)] = None,
) -> HTMLResponse:
    """For each measure of a document (default: every document with measures), the local tasks implementing it."""
    return render("coverage.html", coverages=coverages(render.views, document), document=document)
