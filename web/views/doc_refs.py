"""``remarks_for(docs)``: the open remark of returned documents (issue 13, defect 5).

``doc_refs(ids)`` for templates: what a page shows instead of a document's internal id
(its kind and registration number, or its title while it has none). Use with the
``doc_link`` macro of macros/ui.html."""

from __future__ import annotations

from flask_login import current_user

from web.auth import current_actor, db_session
from web.views import bp
from workflow.engine.queries import document_refs
from workflow.engine.remarks import last_remarks


def doc_refs(ids) -> dict[int, dict]:
    if not current_user.is_authenticated:
        return {}
    return document_refs(db_session(), current_actor(), list(ids or []))


def remarks_for(docs) -> dict:
    """{document id: its open remark} for documents a page already shows (read-checked)."""
    ids = [d.id for d in docs or [] if d.state.value in ("draft", "returned")]
    return last_remarks(db_session(), ids) if ids else {}


@bp.app_context_processor
def _refs() -> dict:
    return {"doc_refs": doc_refs, "remarks_for": remarks_for}
