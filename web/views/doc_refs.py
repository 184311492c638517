"""``doc_refs(ids)`` for templates: what a page shows instead of a document's internal id
(its kind and registration number, or its title while it has none). Use with the
``doc_link`` macro of macros/ui.html."""

from __future__ import annotations

from flask_login import current_user

from web.auth import current_actor, db_session
from web.views import bp
from workflow.engine.queries import document_refs


def doc_refs(ids) -> dict[int, dict]:
    if not current_user.is_authenticated:
        return {}
    return document_refs(db_session(), current_actor(), list(ids or []))


@bp.app_context_processor
def _refs() -> dict:
    return {"doc_refs": doc_refs}
