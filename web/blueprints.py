"""Every blueprint of the app. A feature adds its line here (one module per feature)."""

from __future__ import annotations

from importlib import import_module

from flask import Flask

BLUEPRINTS = [
    "web.api:bp",
    "web.views:bp",
    "web.views.register_views:bp",
    "web.views.compliance_views:bp",
    "web.views.template_views:bp",
    "web.views.preview_views:bp",
    "web.views.roadmap_views:bp",
    "web.views.admin_views:bp",
    "web.views.admin_access_views:bp",
    "web.views.audit_views:bp",
]


def register_blueprints(app: Flask) -> None:
    for path in BLUEPRINTS:
        module, name = path.split(":")
        app.register_blueprint(getattr(import_module(module), name))
