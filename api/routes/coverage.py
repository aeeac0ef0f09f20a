"""JSON API: how far the measures of national documents are taken up by local tasks (curated links)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ViewsDep
from api.errors import APIError
from api.identifiers import ID_MAX_LENGTH, ID_PATTERN
from api.models import coverage as models
from api.models.common import ErrorBody

router = APIRouter(prefix="/api/coverage", tags=["Provisions"])
ERRORS: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorBody, "description": "No such policy document"},
    422: {"model": ErrorBody, "description": "A malformed parameter, named in the message"},
}


@router.get("", summary="Coverage of measures by tasks", responses=ERRORS)
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
) -> models.Coverage:
    """For each measure of the document, in document order, the local tasks that implement it by a curated link
    (`primary` when it is the task's main measure), and the measures no task implements."""
    if document is None:
        documents = views.measure_documents()
    else:
        iri = views.document(document)
        if iri is None:
            raise APIError(404, "not_found", f"no policy document with id {document!r}")
        documents = [iri]
    return models.Coverage(documents=[models.document_coverage(views.coverage(iri)) for iri in documents])
