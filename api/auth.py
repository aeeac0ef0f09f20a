"""Writes need the admin Bearer token, compared in constant time; without a configured token, none are allowed."""

from __future__ import annotations

import hmac

from fastapi import Request

from api.errors import APIError
from api.settings import Settings


def require_admin(request: Request, settings: Settings, form_token: str | None = None) -> None:
    """The Bearer header's token, or without the header a form's `token` field (a page's form cannot send one)."""
    if settings.admin_token is None:
        raise APIError(403, "read_only", "this service is read-only: no admin token is configured")
    expected = settings.admin_token.get_secret_value().encode()
    if form_token and not request.headers.get("authorization"):
        if not hmac.compare_digest(form_token.strip().encode(), expected):
            raise APIError(401, "unauthorized", "the admin token given is not this service's")
        return
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected):
        raise APIError(
            401, "unauthorized", "writes need the admin token as 'Authorization: Bearer …'",
            headers={"WWW-Authenticate": 'Bearer realm="policykg"'},
        )  # fmt: skip
