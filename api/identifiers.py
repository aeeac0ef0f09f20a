"""Identifiers in JSON API paths and filters: IRIs relative to the base IRI, checked before they become IRIs.

An id is lower-case ASCII letters, digits and '-', in segments joined by '/' or '.'
(`eli/cn-bj/jingkezhuanfa/2022/226/attachment/1/task/8`, `agency/bj-finance`). Anything else (a space, a quote,
'>', '#', '..') is refused with 422 before it reaches a query; the IRI it makes is then bound, never spliced.
"""

from __future__ import annotations

ID_PATTERN = r"^[a-z0-9-]+(?:[./][a-z0-9-]+)*$"
ID_MAX_LENGTH = 300
AGENCY_PREFIX = "agency/"


def agency_id(identifier: str) -> str:
    """`agency/bj-finance` for either `agency/bj-finance` or the short `bj-finance`."""
    return identifier if "/" in identifier else AGENCY_PREFIX + identifier
