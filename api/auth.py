"""Writes need the admin Bearer token, compared in constant time; without a configured token, none are allowed."""

from __future__ import annotations

import hmac

from fastapi import Request

from api.errors import APIError
from api.settings import Settings


def require_admin(request: Request, settings: Settings) -> None:
    if settings.admin_token is None:
        raise APIError(403, "read_only", "this service is read-only: no admin token is configured")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    expected = settings.admin_token.get_secret_value().encode()
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected):
        raise APIError(
            401, "unauthorized", "writes need the admin token as 'Authorization: Bearer …'",
            headers={"WWW-Authenticate": 'Bearer realm="policykg"'},
        )  # fmt: skip
