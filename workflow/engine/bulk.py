"""Many documents at once (a director approves or signs a stack): each one is its own
transition through ``transition.apply_event`` — its own transaction, lock check, history
event and registration number — and the caller gets what succeeded and what was refused,
with the reason, instead of all-or-nothing."""

from __future__ import annotations

from dataclasses import dataclass

from documents.models import Document
from workflow.engine import machine
from workflow.engine.permissions import Actor
from workflow.engine.transition import apply_event
from workflow.errors import BadInput, WorkflowError

#: Events a person may fire on many documents at once (none needs a remark).
BULK_EVENTS = ("approve", "sign", "accept", "send_to_municipality", "submit")
MAX_BULK = 100


@dataclass(frozen=True)
class Outcome:
    document_id: int
    title: str
    ok: bool
    message: str = ""
    registration_number: str | None = None


def apply_many(rt, actor: Actor, event: str, items: list[tuple[int, int | None]]
               ) -> list[Outcome]:
    """Fire ``event`` on each (document id, lock_version the person saw) in order."""
    if event not in BULK_EVENTS or event in machine.REMARK_REQUIRED:
        raise BadInput("Это действие нельзя выполнить сразу для нескольких документов.",
                       code="bulk_not_allowed")
    if not items:
        raise BadInput("Выберите хотя бы один документ.", code="bulk_empty")
    if len(items) > MAX_BULK:
        raise BadInput(f"Не больше {MAX_BULK} документов за раз.", code="bulk_too_many")
    seen: set[int] = set()
    out: list[Outcome] = []
    for doc_id, lock_version in items:
        if doc_id in seen:
            continue
        seen.add(doc_id)
        try:
            apply_event(rt, doc_id, event, actor, "", lock_version)
        except WorkflowError as exc:
            out.append(Outcome(doc_id, _title(rt, doc_id, actor), False, exc.message))
            continue
        with rt.db.read_session() as s:
            doc = s.get(Document, doc_id)
            out.append(Outcome(doc_id, doc.title, True,
                               registration_number=doc.registration_number))
    return out


def _title(rt, doc_id: int, actor: Actor) -> str:
    from workflow.engine.permissions import may_read

    with rt.db.read_session() as s:
        doc = s.get(Document, doc_id)
        return doc.title if doc is not None and may_read(actor, doc) else "документ недоступен"
