"""The responsibility matrix of a task table: an HTML page, or CSV, XLSX and SVG downloads of the same matrix.

`/matrix?policy=ID` (default: the first document with tasks) answers with the format `Accept` asks for, or the one
`format=` or the extension (`/matrix.csv`) names; the files say their name in `Content-Disposition`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.deps import RendererDep
from api.errors import APIError
from api.identifiers import ID_MAX_LENGTH, ID_PATTERN
from api.negotiation import Format, Kind, NotAcceptable, negotiate
from api.pages.render import Renderer, language
from graph.errors import ConfigError
from graph.matrix import export
from graph.matrix.grid import LEAD, PARTICIPATING, Matrix, matrix, resolve

router = APIRouter(include_in_schema=False)
PolicyQuery = Annotated[str | None, Query(pattern=ID_PATTERN, max_length=ID_MAX_LENGTH)]


@router.get("/matrix")
def matrix_page(request: Request, render: RendererDep, policy: PolicyQuery = None) -> Response:
    """Tasks down, units across: ● the unit leads the task, ○ it participates."""
    return _answer(render, policy, request.query_params.getlist("format"))


@router.get("/matrix.{extension}")
def matrix_file(render: RendererDep, extension: str, policy: PolicyQuery = None) -> Response:
    """The matrix as the file the extension names (csv, xlsx, svg, html)."""
    return _answer(render, policy, [extension])


def _answer(render: Renderer, policy: str | None, requested: list[str]) -> Response:
    request, views = render.request, render.views
    try:
        chosen = negotiate(Kind.MATRIX, request.headers.get("accept"), requested)
    except NotAcceptable as error:
        raise APIError(406, "not_acceptable", str(error)) from None
    try:
        found = matrix(views, resolve(views, policy))
    except ConfigError as error:
        raise APIError(404, "not_found", str(error)) from None
    lang = language(request)
    response: Response
    if chosen.name == "html":
        response = render("matrix.html", matrix=found, lead=LEAD, participating=PARTICIPATING)
    else:
        content = export.WRITERS[chosen.name](found, lang)
        response = Response(content, media_type=chosen.content_type, headers=_disposition(chosen, found))
    response.headers["Vary"] = "Accept"
    return response


def _disposition(chosen: Format, found: Matrix) -> dict[str, str]:
    """Spreadsheets download; the picture shows in the browser, under the same kind of name when saved."""
    how = "inline" if chosen.name == "svg" else "attachment"
    return {"Content-Disposition": f'{how}; filename="{export.filename(found, chosen.extension)}"'}
