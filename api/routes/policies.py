"""JSON API: policy documents, with what they implement, their attachments and where they were read from."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from api.deps import ViewsDep
from api.errors import APIError
from api.identifiers import ID_MAX_LENGTH, ID_PATTERN
from api.models.common import ErrorBody, PolicyPage
from api.paging import PagingDep, page_headers
from graph.views.records import Policy, PolicySummary

router = APIRouter(prefix="/api/policies", tags=["Policies"])
ERRORS: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorBody, "description": "No such policy document"},
    422: {"model": ErrorBody, "description": "A malformed parameter, named in the message"},
}


def _titled(policy: PolicySummary, words: str) -> bool:
    """Whether the Chinese or English title contains `words` (plain text, case-insensitive)."""
    needle = words.casefold()
    return any(needle in (title or "").casefold() for title in (policy.labels.zh, policy.labels.en))


@router.get("", summary="List policy documents", responses=ERRORS)
def list_policies(
    request: Request,
    response: Response,
    views: ViewsDep,
    paging: PagingDep,
    title: Annotated[
        str | None,
        Query(max_length=200, description="Words in the Chinese or English title (plain text).", examples=["指导意见"]),
    ] = None,
) -> PolicyPage:
    """Policy documents, newest first, with their number (文号), kind, date and the document they are attached to."""
    found = [policy for policy in views.policies() if not title or _titled(policy, title)]
    page_headers(request, response, paging, len(found))
    return PolicyPage(total=len(found), limit=paging.limit, offset=paging.offset, items=paging.window(found))


@router.get("/{id:path}", summary="One policy document", responses=ERRORS)
def get_policy(
    id: Annotated[
        str, Path(pattern=ID_PATTERN, max_length=ID_MAX_LENGTH, examples=["eli/cn-bj/jingkezhuanfa/2022/226"])
    ],
    views: ViewsDep,
) -> Policy:
    """A policy document with its title (zh, en), number, kind and date; its issuers, the documents it implements
    and is implemented by, its attachments and source files (each list in id order); its description and dates;
    the citations read from its texts (`cites`: links to documents and articles, kind implements or cites, method
    automatic, the sentence as the reason), those of other documents that cite it (`cited_in`), and what it cites
    that is not in the graph (`unresolved_citations`)."""
    policy = views.policy(views.iri(id))
    if policy is None:
        raise APIError(404, "not_found", f"no policy document with id {id!r}")
    return policy
