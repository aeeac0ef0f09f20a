"""Curating on the service: accept or reject an automatic candidate behind the admin token (graph.release.curate).

`POST /api/links/{id}/decision` takes a form (the link page's) or JSON: `decision` (accept or reject), `reason`
(Chinese), `reason_en`, `by`, `kind` (implements or cites; for accept), and the admin token as a Bearer header or,
from the page's form, a `token` field. The decision goes to links.toml beside the manifest in use, and the next
release is written and served before the answer; a form is answered with a redirect to the link's page.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.auth import require_admin
from api.deps import ServiceDep, SettingsDep
from api.errors import APIError
from graph.errors import ConfigError
from graph.release.curate import decide

router = APIRouter(tags=["Curation"])


@router.post("/api/links/{link_id}/decision", summary="Accept or reject an automatic candidate (admin)")
async def decision(link_id: str, request: Request, service: ServiceDep, settings: SettingsDep) -> Response:
    form = "form" in request.headers.get("content-type", "")
    if form:
        fields = {key: str(value) for key, value in (await request.form()).items()}
    else:
        try:
            fields = {key: str(value) for key, value in json.loads(await request.body() or b"{}").items()}
        except (ValueError, AttributeError):
            raise APIError(400, "bad_request", "send a form or a JSON object") from None
    require_admin(request, settings, fields.get("token"))
    if service.served_release() is None:
        raise APIError(409, "not_curatable", "curation writes releases of a build folder; this service serves a store")
    choice = fields.get("decision", "")
    if choice not in ("accept", "reject"):
        raise APIError(400, "bad_request", "decision must be accept or reject")
    try:
        done = await run_in_threadpool(
            decide, settings.out_dir.resolve(), settings.inputs(), link_id, accept=choice == "accept",
            kind=fields.get("kind") or None, reason=fields.get("reason", ""),
            reason_en=fields.get("reason_en") or None, by=fields.get("by") or None, keep=settings.keep_releases,
        )  # fmt: skip
    except ConfigError as error:
        raise APIError(400, "bad_decision", str(error)) from None
    await run_in_threadpool(service.reload_now)
    shown = str(done.link.iri) if done.link is not None else str(done.decision.candidate.source)
    if form:
        return RedirectResponse("/" + shown.removeprefix(settings.base_iri), status_code=303)
    return Response(
        json.dumps({**done.decision.record(), "link": shown if done.link else None, "release": done.release.name},
                   ensure_ascii=False),
        media_type="application/json",
    )  # fmt: skip
