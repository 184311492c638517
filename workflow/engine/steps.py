"""What each event does besides moving the state, registered as data instead of an if/elif
chain: the built-in steps live here, features (pairs, routes, appendices) add their own.

A step has up to three parts, run by the transition service in this order:
``check`` (before anything is written; raises a RuleViolation), ``values`` (columns written
by the same conditional UPDATE that claims the row) and ``after`` (rows that hang off the
claimed document, inside the same transaction).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from documents.db import run_dml
from documents.models import DocState, Document, DocumentVersion, Visa
from documents.models.document import RenderStatus
from workflow import clock
from workflow.engine import journal
from workflow.engine.kinds import KINDS, check_complete
from workflow.engine.permissions import Actor
from workflow.errors import RuleViolation
from workflow.files.rendering import freeze_signed


@dataclass
class Step:
    """One transition in progress, as the steps see it."""

    rt: object
    session: Session
    doc: Document
    event: str
    actor: Actor
    comment: str
    now: datetime
    version: DocumentVersion | None = None
    to_state: DocState | None = None
    content_hash: str | None = None
    outbox: list[int] = field(default_factory=list)
    #: the absent person whose place the actor takes (и. о.): (user id, full name)
    on_behalf_of: tuple[int, str] | None = None
    #: what the history calls this write when it is not the event itself (e.g. "visa")
    history_event: str | None = None
    #: data the caller passes along (e.g. a collegial protocol)
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    """May the actor fire the event, and on whose behalf."""

    allowed: bool
    on_behalf_of: tuple[int, str] | None = None


@dataclass(frozen=True)
class EventStep:
    check: Callable[[Step], None] | None = None
    values: Callable[[Step], dict] | None = None
    after: Callable[[Step], None] | None = None
    kinds: frozenset[str] | None = None  # None: every kind
    #: (session, actor, doc, extra) -> Verdict, or None to leave the decision to others
    allow: Callable[..., Verdict | None] | None = None


STEPS: dict[str, list[EventStep]] = {}


def register(event: str, *, kinds: tuple[str, ...] | None = None,
             check: Callable[[Step], None] | None = None,
             values: Callable[[Step], dict] | None = None,
             after: Callable[[Step], None] | None = None,
             allow: Callable[..., Verdict | None] | None = None) -> EventStep:
    """Add a step to ``event`` (for ``kinds`` only, if given); registering the same callables
    twice (a module imported again) changes nothing."""
    step = EventStep(check=check, values=values, after=after,
                     kinds=frozenset(kinds) if kinds else None, allow=allow)
    steps = STEPS.setdefault(event, [])
    if step not in steps:
        steps.append(step)
    return step


def steps_for(event: str, kind: str) -> list[EventStep]:
    return [s for s in STEPS.get(event, ()) if s.kinds is None or kind in s.kinds]


#: Who else may act when the roles do not allow it (substitution): (session, actor, doc,
#: event) -> Verdict or None. Asked after the roles.
FALLBACK_AUTHORIZERS: list[Callable[..., Verdict | None]] = []


def authorize(session: Session, actor: Actor, doc: Document, event: str,
              extra: dict | None = None) -> Verdict:
    """The registered ``allow`` steps decide first (e.g. route participants), then the roles
    of api.md, then the fallbacks (a deputy acting for an absent person)."""
    from workflow.engine.permissions import may_fire

    for s in steps_for(event, doc.kind):
        if s.allow is not None:
            verdict = s.allow(session, actor, doc, extra or {})
            if verdict is not None:
                return verdict
    if may_fire(actor, event, doc.organization, doc):
        return Verdict(True)
    for fallback in FALLBACK_AUTHORIZERS:
        verdict = fallback(session, actor, doc, event)
        if verdict is not None:
            return verdict
    return Verdict(False)


# --- the built-in steps -------------------------------------------------------------------

def _check_complete(step: Step) -> None:
    check_complete(step.doc.kind, step.doc.fields)


def _check_has_municipality(step: Step) -> None:
    if step.doc.organization.parent_id is None:
        raise RuleViolation("У организации нет вышестоящего органа управления образованием.",
                            code="no_municipality")


_ADD_VISA = insert(Visa.__table__).inline()  # no RETURNING: it may be batched


def _visa(outcome: str) -> Callable[[Step], None]:
    def add(step: Step) -> None:
        run_dml(step.session, _ADD_VISA, {
            "document_id": step.doc.id, "version": step.doc.version, "user_id": step.actor.id,
            "user_name": step.actor.full_name, "position": step.actor.position,
            "outcome": outcome, "comment": step.comment, "at": step.now})
    return add


def _sign_values(step: Step) -> dict:
    doc = step.doc
    return {"signed_at": step.now, "signer_id": step.actor.id,
            "signer_name": step.actor.full_name,
            "registration_number": journal.next_number(
                step.session, doc.org_id, clock.local_date(step.now).year,
                journal.series_for(step.session, doc.org_id, doc.kind, KINDS[doc.kind].journal))}


def _freeze_signed(step: Step) -> None:
    step.version.registration_number = step.doc.registration_number
    step.version.signed_at = step.now
    step.content_hash = freeze_signed(step.rt, step.session, step.doc, step.version)


def _new_version(step: Step) -> None:
    doc, old = step.doc, step.version
    step.session.add(DocumentVersion(document_id=doc.id, number=doc.version, title=doc.title,
                                     fields=doc.fields, content_sha256=old.content_sha256,
                                     created_by_name=step.actor.full_name,
                                     render_status=RenderStatus.none))
    step.session.flush()


register("submit", check=_check_complete)
register("approve", values=lambda s: {"approved_at": s.now}, after=_visa("approved"))
register("reject", values=lambda s: {"approved_at": None}, after=_visa("rejected"))
register("sign", values=_sign_values, after=_freeze_signed)
register("send_to_municipality", check=_check_has_municipality,
         values=lambda s: {"sent_at": s.doc.sent_at or s.now})
register("revise", values=lambda s: {"version": s.doc.version + 1, "registration_number": None,
                                     "signed_at": None, "signer_id": None,
                                     "signer_name": None, "approved_at": None},
         after=_new_version)
