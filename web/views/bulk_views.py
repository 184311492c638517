"""Approve or sign many documents at once from «Мои задачи»: choose → confirm (each
document listed with its preview) → a summary of what was done and what was refused."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import login_required

from web.auth import current_actor, db_session, runtime
from web.views import bp
from web.views.errors import refusal
from web.views.labels import BUTTONS
from workflow import clock
from workflow.engine import bulk, journal
from workflow.engine.queries import document_refs
from workflow.errors import WorkflowError


def _items() -> list[tuple[int, int | None]]:
    """``doc`` values «id:lock_version» of the ticked boxes."""
    out = []
    for raw in request.form.getlist("doc"):
        doc_id, _sep, lock = raw.partition(":")
        if doc_id.isdigit():
            out.append((int(doc_id), int(lock) if lock.isdigit() else None))
    return out


def _check(event: str) -> None:
    if event not in bulk.BULK_EVENTS:
        abort(404)


@bp.post("/bulk/<event>/confirm")
@login_required
def bulk_confirm(event: str):
    _check(event)
    items = _items()
    refs = document_refs(db_session(), current_actor(), [i for i, _lock in items])
    docs = [(refs[i], lock) for i, lock in items if i in refs]
    first_number = None
    if event == "sign" and docs:
        from documents.models import Document

        first = db_session().get(Document, docs[0][0]["id"])
        first_number = journal.number_on_signing(db_session(), first, clock.today())
    return render_template("bulk/confirm.html", event=event, verb=BUTTONS[event], docs=docs,
                           first_number=first_number, today=clock.today())


@bp.post("/bulk/<event>")
@login_required
def bulk_apply(event: str):
    _check(event)
    try:
        outcomes = bulk.apply_many(runtime(), current_actor(), event, _items())
    except WorkflowError as exc:
        if exc.status == 404:
            raise
        return render_template("bulk/result.html", event=event, verb=BUTTONS[event],
                               outcomes=[], error=refusal(exc)), 400
    return render_template("bulk/result.html", event=event, verb=BUTTONS[event],
                           outcomes=outcomes, error=None)
