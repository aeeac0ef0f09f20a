"""JSON API: the provisions of prose documents (parts, measures, chapters, articles…) and the tasks linked to them."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from api.deps import ViewsDep
from api.errors import APIError
from api.identifiers import ID_MAX_LENGTH, ID_PATTERN
from api.models.common import ErrorBody, ProvisionPage
from api.paging import PagingDep, page_headers
from graph.views.records import Provision

router = APIRouter(prefix="/api/provisions", tags=["Provisions"])
ERRORS: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorBody, "description": "No such provision"},
    422: {"model": ErrorBody, "description": "A malformed parameter, named in the message"},
}
_MEASURE = "eli/cn/guobanfa/2021/26/part/2/item/10"
KindFilter = Literal["part", "item", "measure", "chapter", "section", "article", "paragraph"]


@router.get("", summary="List provisions", responses=ERRORS)
def list_provisions(
    request: Request,
    response: Response,
    views: ViewsDep,
    paging: PagingDep,
    document: Annotated[
        str | None,
        Query(
            pattern=ID_PATTERN,
            max_length=ID_MAX_LENGTH,
            description="A document: its id (`eli/cn/guobanfa/2021/26`) or its manifest id (`guobanfa-2021-26`).",
            examples=["guobanfa-2021-26"],
        ),
    ] = None,
    kind: Annotated[
        KindFilter | None,
        Query(description="Only provisions of this kind; `item` includes measures, `measure` is only measures."),
    ] = None,
) -> ProvisionPage:
    """Provisions in document order (documents by id): a part then its items, a chapter then its sections and
    articles, an article then its paragraphs. A document id that names nothing gives an empty list."""
    iri = views.document(document) if document else None
    found = views.provisions(iri, kind) if iri or not document else []
    page_headers(request, response, paging, len(found))
    return ProvisionPage(total=len(found), limit=paging.limit, offset=paging.offset, items=paging.window(found))


@router.get("/{id:path}", summary="One provision", responses=ERRORS)
def get_provision(
    id: Annotated[str, Path(pattern=ID_PATTERN, max_length=ID_MAX_LENGTH, examples=[_MEASURE])],
    views: ViewsDep,
) -> Provision:
    """A provision with its text, the provisions above and under it, and the tasks of every local task-division
    table linked to it: those that implement it and those that rest on it (curated links, each task with its
    table and its lead and participating units; also those whose own text cites it), automatically proposed
    candidates, and the citations read from texts: what its text cites and which documents and provisions cite it
    (kind implements or cites, method automatic, the sentence as the reason)."""
    provision = views.provision_detail(views.iri(id))
    if provision is None:
        raise APIError(404, "not_found", f"no provision with id {id!r}")
    return provision
