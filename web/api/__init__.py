"""The JSON API for programs: /api/v1 (see shared/docs/api.md)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from web.api import (  # noqa: E402,F401 - routes register on import
    audit_routes,
    auth_routes,
    document_routes,
    meta_routes,
)
