"""Validation as a service: POST a task table or an RDF file, get the SHACL report; and the /validate upload page.

The upload is checked as `policykg validate` checks a file, in a child process killed at the time limit
(graph.checks.sandbox), against PolicyKG's own shapes; nothing of it reaches the served graph. The report is JSON by
default, or the sh:ValidationReport graph in any RDF format by `Accept` or `format=`.
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph
from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.datastructures import UploadFile
from starlette.requests import Request as StarletteRequest
from starlette.types import Message

from api.deps import RendererDep, SettingsDep
from api.errors import APIError
from api.negotiation import Format, Kind, NotAcceptable, negotiate
from api.protocol import media_type, read_body
from api.rdfresponse import rdf_response
from api.settings import Settings
from graph.checks import sandbox
from graph.checks.upload import UPLOAD_KINDS, UploadReport, check_upload, upload_kind

router = APIRouter(tags=["Validation"])
SLOTS = 2  # validations running at once; more get 503 with Retry-After
_FORM = "multipart/form-data"


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str
    kind: str
    encoding: str | None


def install(app: FastAPI) -> None:
    """Give the app its validation slots (called by create_app)."""
    app.state.validation_slots = threading.BoundedSemaphore(SLOTS)


# --- reading the upload ---------------------------------------------------------------------------------------
async def _form(request: Request, body: bytes) -> tuple[bytes, str, str, dict[str, str]]:
    """(file bytes, file name, its content type, the text fields) of a multipart body already read and size-checked."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await StarletteRequest(request.scope, replay).form(max_files=1, max_fields=10)
    except Exception as error:  # python-multipart's and Starlette's parse errors share no base class
        raise APIError(400, "bad_request", f"the multipart form cannot be read ({error})") from None
    try:
        field = form.get("file")
        if not isinstance(field, UploadFile):
            raise APIError(400, "bad_request", "the form has no file field named 'file'")
        fields = {key: value for key, value in form.items() if isinstance(value, str)}
        return await field.read(), field.filename or "", field.content_type or "", fields
    finally:
        await form.close()


async def read_upload(request: Request, limit: int) -> Upload:
    """The uploaded file: a multipart form's `file` field, or the raw body with its Content-Type."""
    body = await read_body(request, limit)
    kind_type, _ = media_type(request)
    params = request.query_params
    if kind_type == _FORM:
        data, filename, kind_type, form = await _form(request, body)
        kind = form.get("kind") or params.get("kind", "")
        encoding = form.get("encoding") or params.get("encoding", "")
    else:
        data, filename = body, params.get("filename", "")
        kind, encoding = params.get("kind", ""), params.get("encoding", "")
    if not data:
        raise APIError(400, "bad_request", "the upload is empty")
    chosen = upload_kind(filename, kind or None, kind_type)
    if chosen is None:
        what = f"kind {kind!r}" if kind else f"{filename or 'a file'} ({kind_type or 'no Content-Type'})"
        raise APIError(415, "unsupported_media_type", f"cannot validate {what}; kinds: {', '.join(UPLOAD_KINDS)}")
    return Upload(data, filename or f"upload{UPLOAD_KINDS[chosen][0]}", chosen, encoding or None)


# --- running it -------------------------------------------------------------------------------------------------
def _run(upload: Upload, settings: Settings, slots: threading.BoundedSemaphore) -> UploadReport:
    if not slots.acquire(blocking=False):
        raise APIError(503, "busy", "other validations are running; try again shortly", {"Retry-After": "5"})
    try:
        with tempfile.TemporaryDirectory(prefix="policykg-upload-") as folder:
            arguments = (upload.data, upload.filename, upload.kind, upload.encoding, settings.registry, Path(folder))
            memory = settings.worker_memory_mb * 1024 * 1024
            report: UploadReport = sandbox.run(check_upload, arguments, settings.validate_timeout, memory)
            return report
    except sandbox.Timeout:
        limit = f"{settings.validate_timeout:g}"
        raise APIError(504, "validation_timeout", f"validation took longer than {limit} s; nothing was kept") from None
    except sandbox.Lost:
        raise APIError(503, "validation_failed", "validation ran out of memory or crashed; nothing was kept") from None
    finally:
        slots.release()


async def validated(request: Request, settings: Settings) -> UploadReport:
    """Read, validate, and map an unreadable file to 422 with its place; other failures to 4xx/5xx APIErrors."""
    upload = await read_upload(request, settings.validate_max_bytes)
    report = await run_in_threadpool(_run, upload, settings, request.app.state.validation_slots)
    if report.error is not None:
        raise APIError(422, "unreadable_file", report.error)
    return report


def report_json(report: UploadReport) -> dict[str, Any]:
    return {
        "file": report.file,
        "kind": report.kind,
        "conforms": report.conforms,
        "summary": report.summary,
        "findings": report.findings,
    }


def _chosen(request: Request) -> Format:
    """The report's format: JSON (without `rdf`) or an RDF format, by `format=` or else by `Accept`."""
    requested = request.query_params.get("format")
    try:
        return negotiate(Kind.REPORT, request.headers.get("accept"), [requested] if requested else ())
    except NotAcceptable:
        if requested:
            message = f"no report format {requested[:40]!r}; use json or an RDF format"
        else:
            message = "the report is application/json or RDF (text/turtle, application/ld+json…)"
        raise APIError(406, "not_acceptable", message) from None


_BODY = {
    "required": True,
    "content": {
        _FORM: {
            "schema": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "kind": {"type": "string", "enum": list(UPLOAD_KINDS)},
                    "encoding": {"type": "string"},
                },
                "required": ["file"],
            }
        },
        **{types[0]: {"schema": {"type": "string", "format": "binary"}} for _, types in UPLOAD_KINDS.values()},
    },
}


@router.post("/api/validate", summary="Validate a task table or RDF file against the SHACL shapes",
             openapi_extra={"requestBody": _BODY}, response_model=None)  # fmt: skip
async def validate_api(request: Request, settings: SettingsDep) -> Response:
    """Upload a task-division table (`.txt` Word text export, `.docx`, `.csv`, `.xlsx`) or an RDF file (Turtle,
    N-Triples, N-Quads, TriG, JSON-LD, RDF/XML) as the multipart field `file`, or as the raw body with its
    Content-Type (`?filename=` names it in the report). The kind follows the file name's suffix, the `kind`
    parameter, or the Content-Type. Answers with the SHACL report: JSON (`conforms`, `summary` by severity,
    `findings` with focus node, path, severity, messages in Chinese and English, and the file, row and column),
    or the `sh:ValidationReport` as Turtle, JSON-LD, RDF/XML or N-Triples by `Accept` or `format=`. A file that
    cannot be read is a 422 naming its row and column; nothing is added to the served graph."""
    chosen = _chosen(request)
    report = await validated(request, settings)
    if chosen.rdf is None:
        return JSONResponse(report_json(report), headers={"Vary": "Accept"})
    return rdf_response(list(pyoxigraph.parse(report.report, pyoxigraph.RdfFormat.N_TRIPLES)), chosen)


# --- the page ---------------------------------------------------------------------------------------------------
@router.get("/validate", include_in_schema=False)
def validate_page(render: RendererDep) -> HTMLResponse:
    """The upload form."""
    return render("validate.html", kinds=list(UPLOAD_KINDS), report=None, error=None)


@router.post("/validate", include_in_schema=False)
async def validate_form(request: Request, render: RendererDep, settings: SettingsDep) -> HTMLResponse:
    """The form posted (no JavaScript needed): the report as a page, or the form again with what went wrong."""
    try:
        report = await validated(request, settings)
    except APIError as error:
        page = render("validate.html", kinds=list(UPLOAD_KINDS), report=None, error=error)
        page.status_code = error.status
        return page
    return render("validate.html", kinds=list(UPLOAD_KINDS), report=report, error=None)
