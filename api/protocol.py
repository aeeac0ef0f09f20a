"""Reading a SPARQL 1.1 Protocol request: which operation, its text, its dataset, the requested format.

GET carries `query` in the URL; POST carries it form-encoded (`query=` or `update=`) or directly
(`application/sparql-query`, `application/sparql-update`, UTF-8 only). Dataset parameters may come in the URL
and, for form posts, in the body. Anything else is refused with the status the protocol asks for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from fastapi import Request
from python_multipart.multipart import parse_options_header

from api.errors import APIError

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|\\^`]*$")


@dataclass(frozen=True)
class Operation:
    """One protocol operation: a query or an update, with its dataset parameters."""

    kind: str  # "query" | "update"
    text: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    formats: tuple[str, ...] = field(default=())


def media_type(request: Request) -> tuple[str, dict[str, str]]:
    """The request's media type and its parameters (quoted values unquoted), all in lower case."""
    kind, params = parse_options_header(request.headers.get("content-type", ""))
    return kind.decode("latin-1"), {
        key.decode("latin-1").lower(): value.decode("latin-1").lower() for key, value in params.items()
    }


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing (413) more than `limit` bytes without reading them all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise APIError(413, "too_large", f"the request body is larger than {limit:,} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise APIError(413, "too_large", f"the request body is larger than {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _utf8(body: bytes, charset: str | None) -> str:
    if charset and charset.replace("-", "").replace("_", "") not in ("utf8",):
        raise APIError(415, "unsupported_media_type", f"SPARQL requests must be UTF-8, not {charset}")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise APIError(400, "bad_encoding", f"the request body is not valid UTF-8 (byte {error.start})") from None


def _parse_form(text: str) -> dict[str, list[str]]:
    """URL-encoded parameters, refusing (400) percent-escapes that are not UTF-8 rather than replacing them."""
    try:
        return parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as error:
        raise APIError(
            400, "bad_encoding", f"a parameter is not valid UTF-8 once decoded (byte {error.start})"
        ) from None


def _single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise APIError(400, "bad_request", f"the request has {len(values)} '{name}' parameters; send exactly one")
    return values[0] if values else None


def _iris(params: dict[str, list[str]], name: str) -> tuple[str, ...]:
    values = tuple(params.get(name, []))
    for value in values:
        if not _IRI.match(value):
            raise APIError(400, "bad_request", f"{name} must be an absolute IRI, not {value[:100]!r}")
    return values


def _merge(*sources: dict[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for source in sources:
        for key, values in source.items():
            merged.setdefault(key, []).extend(values)
    return merged


async def read_operation(request: Request, limit: int) -> Operation | None:
    """The operation a request carries, or None for a plain GET (service description / query page)."""
    url = _parse_form(request.url.query)
    if request.method in ("GET", "HEAD"):
        if "update" in url:
            raise APIError(400, "bad_request", "updates must be sent with POST")
        text = _single(url, "query")
        return None if text is None else _operation("query", text, url)
    kind, params = media_type(request)
    if kind == FORM:
        body = _utf8(await read_body(request, limit), params.get("charset"))
        form = _merge(url, _parse_form(body))
        query, update = _single(form, "query"), _single(form, "update")
        if (query is None) == (update is None):
            raise APIError(400, "bad_request", "a form POST carries exactly one of 'query' and 'update'")
        return _operation("query", query, form) if query is not None else _operation("update", update or "", form)
    if kind in (QUERY, UPDATE):
        if "query" in url or "update" in url:
            raise APIError(400, "bad_request", f"a {kind} POST carries the operation in its body, not in the URL")
        text = _utf8(await read_body(request, limit), params.get("charset"))
        return _operation("query" if kind == QUERY else "update", text, url)
    raise APIError(
        415,
        "unsupported_media_type",
        f"POST to the SPARQL endpoint needs Content-Type {FORM}, {QUERY} or {UPDATE}, not {kind or 'none'!r}",
    )


def _operation(kind: str, text: str, params: dict[str, list[str]]) -> Operation:
    if not text.strip():
        raise APIError(400, "bad_request", f"the {kind} is empty")
    prefix = "" if kind == "query" else "using-"
    return Operation(
        kind=kind,
        text=text,
        default_graphs=_iris(params, f"{prefix}default-graph-uri" if kind == "query" else "using-graph-uri"),
        named_graphs=_iris(params, f"{prefix}named-graph-uri"),
        formats=tuple(params.get("format", [])),
    )
