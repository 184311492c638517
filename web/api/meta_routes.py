"""Organisations, document kinds (generated from the state machines), OpenAPI."""

from __future__ import annotations

from functools import cache

from flask import current_app, jsonify

from documents.models import OrgKind
from web.api import bp
from web.api.openapi import openapi_document
from web.auth import current_actor, db_session
from workflow.engine import machine, queries
from workflow.engine.kinds import KINDS
from workflow.engine.permissions import event_roles


@bp.get("/organizations")
def organizations():
    return jsonify([o.to_api() for o in queries.list_organizations(db_session(), current_actor())])


def _roles(event: str) -> list[str]:
    roles = set(event_roles(event, OrgKind.school)) | set(event_roles(event, OrgKind.municipality))
    return sorted(r.value for r in roles)


@bp.get("/document-kinds")
def document_kinds():
    current_actor()
    return jsonify(_kinds())


@cache
def _kinds() -> list[dict]:
    """The same for every caller and fixed once the app has started (the kinds, their
    machines and schemas are registered at import): built once per worker."""
    out = []
    for kind, spec in KINDS.items():
        described = machine.describe(kind)
        out.append({
            "kind": kind,
            "title": spec.title,
            "states": described["states"],
            "transitions": [dict(t, roles=_roles(t["event"])) for t in described["transitions"]],
            "fields": spec.schema(),
        })
    return out


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(current_app.url_map))
