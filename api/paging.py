"""Paging of JSON lists: `limit` and `offset` in; `total`, an RFC 8288 `Link` header and `X-Total-Count` out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Query, Request, Response

from api.deps import SettingsDep
from api.errors import APIError

T = TypeVar("T")
DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int

    def window(self, items: Sequence[T]) -> list[T]:
        return list(items[self.offset : self.offset + self.limit])

    def offsets(self, total: int) -> dict[str, int]:
        """Offsets of the neighbouring pages by link relation: no `next` on the last page, no `prev` on the first."""
        last = (total - 1) // self.limit * self.limit if total else 0
        found = {"first": 0, "last": last}
        if self.offset > 0:
            found["prev"] = max(0, min(self.offset - self.limit, last))
        if self.offset + self.limit < total:
            found["next"] = self.offset + self.limit
        return found


async def get_paging(
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, description="How many items a page holds (at most `max_page_size`, 500).")] = (
        DEFAULT_LIMIT
    ),
    offset: Annotated[int, Query(ge=0, description="How many items to skip.")] = 0,
) -> Paging:
    if limit > settings.max_page_size:
        raise APIError(422, "invalid_parameter", f"limit: must be at most {settings.max_page_size}")
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(get_paging)]


def page_headers(request: Request, response: Response, paging: Paging, total: int) -> None:
    """Set `X-Total-Count` and a `Link` header with first, prev, next and last pages (same filters, other offset)."""
    links = []
    for relation, offset in paging.offsets(total).items():
        url = request.url.include_query_params(limit=paging.limit, offset=offset)
        links.append(f'<{url.path}?{url.query}>; rel="{relation}"')
    response.headers["Link"] = ", ".join(links)
    response.headers["X-Total-Count"] = str(total)
