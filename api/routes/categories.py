"""JSON API: the categories (分类) of the task-division tables."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from api.deps import ViewsDep
from api.errors import APIError
from api.identifiers import ID_MAX_LENGTH, ID_PATTERN
from api.models.common import CategoryPage, ErrorBody
from api.paging import PagingDep, page_headers
from graph.views.records import CategoryDetail

router = APIRouter(prefix="/api/categories", tags=["Categories"])
ERRORS: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorBody, "description": "No such category"},
    422: {"model": ErrorBody, "description": "A malformed parameter, named in the message"},
}
_TABLE = "eli/cn-bj/jingkezhuanfa/2022/226/attachment/1"


@router.get("", summary="List categories", responses=ERRORS)
def list_categories(
    request: Request,
    response: Response,
    views: ViewsDep,
    paging: PagingDep,
    policy: Annotated[
        str | None,
        Query(
            pattern=ID_PATTERN, max_length=ID_MAX_LENGTH, description="Only this table's categories.", examples=[_TABLE]
        ),
    ] = None,
) -> CategoryPage:
    """Categories by table and number, with how many tasks each has; an unknown `policy` gives an empty list."""
    found = views.categories(views.iri(policy) if policy else None)
    page_headers(request, response, paging, len(found))
    return CategoryPage(total=len(found), limit=paging.limit, offset=paging.offset, items=paging.window(found))


@router.get("/{id:path}", summary="One category and its tasks", responses=ERRORS)
def get_category(
    id: Annotated[str, Path(pattern=ID_PATTERN, max_length=ID_MAX_LENGTH, examples=[f"{_TABLE}/category/5"])],
    views: ViewsDep,
) -> CategoryDetail:
    """A category with its number, the numeral the table writes, its table and its tasks in number order."""
    category = views.category_detail(views.iri(id))
    if category is None:
        raise APIError(404, "not_found", f"no category with id {id!r}")
    return category
