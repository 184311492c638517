"""The JSON API for programs: /api/v1 (see shared/docs/api.md).

Feature route modules attach to this blueprint; each is imported in ROUTE_MODULES.
"""

from __future__ import annotations

from importlib import import_module

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

ROUTE_MODULES = [
    "web.api.auth_routes",
    "web.api.meta_routes",
    "web.api.document_routes",
    "web.api.audit_routes",
    "web.api.register_routes",
    "web.api.compliance_routes",
    "web.api.template_routes",
    "web.api.roadmap_routes",
    "web.api.approval_routes",
    "web.api.acquaintance_routes",
    "web.api.roadmap_item_routes",
    "web.api.admin_routes",
    "web.api.audit_workspace_routes",
]

for _module in ROUTE_MODULES:
    import_module(_module)
