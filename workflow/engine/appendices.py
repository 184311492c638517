"""Approving orders: an approved act (положение, программа, дорожная карта, положение о
мотивации) becomes an appendix of a draft order; signing the order signs its appendices in
the same transaction — each act keeps its own number (its own journal, never the order
journal) and cites the order as «УТВЕРЖДЕН(А, О) приказом … от … № …». Sending, accepting,
returning and revising the order carry its appendices along."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from documents.docx.morphology import title_cases
from documents.models import Appendix, DocState, Document, DocumentVersion
from documents.models.document import SIGNED_STATES, RenderStatus
from workflow.audit.chain import append_event
from workflow.engine import appendix_citations, journal, machine, steps, txcache
from workflow.engine.kinds import KINDS
from workflow.engine.permissions import Actor, may_author
from workflow.errors import Conflict, Forbidden, RuleViolation
from workflow.files.rendering import freeze_signed

#: Acts approved rather than signed (api.md): they never take an order-journal number.
ACT_KINDS = ("regulation", "programme", "roadmap", "incentive_scheme")
ORDER_KINDS = ("order",)
#: Events of the order its appendices follow.
CARRIED = ("send_to_municipality", "accept", "return_for_revision", "revise")
_LIVE_ORDER = tuple(s for s in DocState if s is not DocState.cancelled)


def appendices_of(session: Session, order_id: int) -> list[Document]:
    if txcache.rows(session).get(("has_appendices", order_id)) is False:
        return []  # read with the order in this transaction: it has none
    return list(session.scalars(
        select(Document).join(Appendix, Appendix.document_id == Document.id)
        .where(Appendix.order_id == order_id).order_by(Appendix.position)))


def live_order_of(session: Session, act_id: int) -> Document | None:
    """The order (not cancelled) the act is attached to, if any."""
    if txcache.rows(session).get(("is_appendix", act_id)) is False:
        return None  # read with the act in this transaction: no order lists it
    return session.scalar(
        select(Document).join(Appendix, Appendix.order_id == Document.id)
        .where(Appendix.document_id == act_id, Document.state.in_(_LIVE_ORDER))
        .order_by(Document.id.desc()).limit(1))


def approving_order(session: Session, act_id: int) -> Document | None:
    """The signed order that approved the act (its «УТВЕРЖДЕНО приказом …»)."""
    if txcache.rows(session).get(("is_appendix", act_id)) is False:
        return None  # read with the act in this transaction: no order lists it
    return session.scalar(
        select(Document).join(Appendix, Appendix.order_id == Document.id)
        .where(Appendix.document_id == act_id, Document.state.in_(SIGNED_STATES),
               Document.state != DocState.cancelled)
        .order_by(Document.signed_at.desc()).limit(1))


def _attach(session: Session, actor: Actor, order: Document, act: Document | None,
            expected: int, now) -> None:
    from workflow.engine.transition import claim

    if order.kind not in ORDER_KINDS:
        raise RuleViolation("Приложения прикладываются к приказу.",
                            code="appendix_kind_not_allowed")
    if not may_author(actor, order.organization):
        raise Forbidden("Составлять приказ вам не разрешено.", code="event_not_allowed")
    if expected != order.lock_version:
        raise Conflict("Документ уже изменён другим пользователем. Обновите страницу.",
                       code="stale_lock_version")
    if order.state is not DocState.draft:
        raise RuleViolation("Приложения добавляются только к проекту приказа.",
                            code="appendix_not_ready")
    if act is None or act.kind not in ACT_KINDS:
        raise RuleViolation("Приказом утверждаются положение, программа, дорожная карта или "
                            "положение о мотивации.", code="appendix_kind_not_allowed")
    if act.org_id != order.org_id or act.state is not DocState.approved:
        raise RuleViolation("Приложением может стать только согласованный документ той же "
                            "организации.", code="appendix_not_ready")
    taken = live_order_of(session, act.id)
    if taken is not None and taken.id != order.id:
        raise RuleViolation(f"Документ уже приложен к другому приказу (№ {taken.id}).",
                            code="appendix_taken")
    if taken is not None:
        return  # already this order's appendix
    position = (session.scalar(select(func.max(Appendix.position)).where(
        Appendix.order_id == order.id)) or 0) + 1
    # the order's text cites each appendix: «Утвердить … (приложение № k).»
    fields = dict(order.fields or {})
    clauses = list(fields.get("clauses") or [])
    mark = f"(приложение № {position})"
    values: dict = {}
    if not any(mark in str(c.get("text", "")) for c in clauses if isinstance(c, dict)):
        _, accusative = title_cases(act.title)
        clauses.insert(sum(1 for c in clauses if "(приложение №" in str(c.get("text", ""))),
                       {"text": f"Утвердить {accusative} {mark}.", "executor": "", "term": ""})
        values["fields"] = dict(fields, clauses=clauses)
    claim(session, order, expected, values)
    session.add(Appendix(order_id=order.id, document_id=act.id, position=position,
                         attached_at=now))
    txcache.rows(session)[("is_appendix", act.id)] = True
    txcache.rows(session)[("has_appendices", order.id)] = True
    version = session.scalar(select(DocumentVersion).where(
        DocumentVersion.document_id == order.id, DocumentVersion.number == order.version))
    if values:
        from workflow.files.rendering import content_sha256

        version.fields = order.fields
        version.content_sha256 = content_sha256(order.title, order.fields)
    append_event(session, org_id=order.org_id, document_id=order.id, actor_id=actor.id,
                 actor_name=actor.full_name, event="attach_appendix", from_state="draft",
                 to_state="draft", version=order.version,
                 comment=f"Приложение № {position}: {act.title}",
                 content_sha256=version.content_sha256)


def attach(rt, actor: Actor, order_id: int, act_id: object, expected_version: int) -> None:
    from workflow import clock
    from workflow.engine.transition import load_document

    with rt.db.write_session() as session:
        order = load_document(session, actor, order_id)
        act = session.get(Document, act_id) if isinstance(act_id, int) else None
        if act is not None and act.org_id != order.org_id:
            act = None if act.org_id not in actor.org_ids else act
        _attach(session, actor, order, act, expected_version, clock.now())


def create_approving_order(rt, actor: Actor, act_id: int) -> int:
    """«Утвердить приказом»: a draft order «Об утверждении …» with the act as appendix № 1
    (or the act's existing draft order)."""
    from workflow import clock
    from workflow.engine.authoring import create_document
    from workflow.engine.transition import load_document

    with rt.db.read_session() as session:
        act = load_document(session, actor, act_id)
        existing = live_order_of(session, act.id)
        if existing is not None:
            return existing.id
        if act.kind not in ACT_KINDS:
            raise RuleViolation("Приказом утверждаются положение, программа, дорожная карта "
                                "или положение о мотивации.", code="appendix_kind_not_allowed")
        if act.state is not DocState.approved:
            raise RuleViolation("Сначала документ должен пройти согласование.",
                                code="appendix_not_ready")
        genitive, accusative = title_cases(act.title)
        org_id, title = act.org_id, act.title
    fields = {"preamble": "В соответствии с Федеральным законом от 29.12.2012 № 273-ФЗ "
                          "«Об образовании в Российской Федерации»",
              "clauses": [{"text": f"Утвердить {accusative} (приложение № 1).",
                           "executor": "", "term": ""},
                          {"text": f"Ввести в действие {genitive[:1].lower() + genitive[1:]} "
                                   "со дня подписания настоящего приказа.",
                           "executor": "", "term": ""}]}
    order_id = create_document(rt, actor, kind="order", org_id=org_id,
                               title=f"Об утверждении {genitive}", fields=fields)
    with rt.db.write_session() as session:
        order = load_document(session, actor, order_id)
        _attach(session, actor, order, session.get(Document, act_id), order.lock_version,
                clock.now())
    del title
    return order_id


# --- steps ----------------------------------------------------------------------------------

def _check_order_sign(step: steps.Step) -> None:
    for act in appendices_of(step.session, step.doc.id):
        if act.state is not DocState.approved:
            raise RuleViolation(f"Приложение «{act.title}» не согласовано — приказ нельзя "
                                "подписать.", code="appendix_not_ready")


def _check_act_sign(step: steps.Step) -> None:
    order = live_order_of(step.session, step.doc.id)
    if order is not None:
        raise RuleViolation(f"Документ утверждается приказом «{order.title}»: подпишите приказ.",
                            code="appendix_taken")


def _claim_act(step: steps.Step, act: Document, event: str, values: dict, comment: str) -> None:
    from workflow.engine.transition import claim, current_version

    dest = machine.destination(act.kind, event, act.state)
    from_state = act.state
    version = current_version(step.session, act)  # before a revise moves the number on
    claim(step.session, act, act.lock_version, dict(values, state=dest))
    content = version.content_sha256
    if event == "sign":
        version.registration_number, version.signed_at = act.registration_number, step.now
        content = freeze_signed(step.rt, step.session, act, version)
    elif event == "revise":
        step.session.add(DocumentVersion(
            document_id=act.id, number=act.version, title=act.title, fields=act.fields,
            content_sha256=version.content_sha256, created_by_name=step.actor.full_name,
            render_status=RenderStatus.none))
        step.session.flush()
    append_event(step.session, org_id=act.org_id, document_id=act.id, actor_id=step.actor.id,
                 actor_name=step.actor.full_name, event=event, from_state=from_state.value,
                 to_state=dest.value, version=act.version, comment=comment,
                 content_sha256=content, on_behalf_of=step.on_behalf_of)


def _order_ref(step: steps.Step) -> str:
    return f"приказом от {step.now:%d.%m.%Y} № {step.doc.registration_number}"


def _sign_appendices(step: steps.Step) -> None:
    for act in appendices_of(step.session, step.doc.id):
        number = journal.next_number(step.session, act.org_id, step.now.year,
                                     KINDS[act.kind].journal)
        _claim_act(step, act, "sign", {
            "signed_at": step.now, "signer_id": step.actor.id,
            "signer_name": step.actor.full_name, "registration_number": number},
            f"Утверждён {_order_ref(step)}")
        for hook in SIGN_HOOKS:  # e.g. tests that kill the transaction midway
            hook(step, act)


#: Called after each appendix is signed inside the order's transaction.
SIGN_HOOKS: list = []


def _carry(event: str):
    def after(step: steps.Step) -> None:
        for act in appendices_of(step.session, step.doc.id):
            if machine.destination(act.kind, event, act.state) is None:
                continue
            values: dict = {}
            if event == "send_to_municipality":
                values = {"sent_at": act.sent_at or step.now}
            elif event == "revise":
                values = {"version": act.version + 1, "registration_number": None,
                          "signed_at": None, "signer_id": None, "signer_name": None,
                          "approved_at": None}
            _claim_act(step, act, event, values,
                       f"Вместе с приказом «{step.doc.title}»" + (
                           f": {step.comment}" if step.comment else ""))
    return after


def _attached_count(step: steps.Step) -> int:
    """Acts attached to the order are its appendices for the citation check at submit."""
    return len(appendices_of(step.session, step.doc.id))


if _attached_count not in appendix_citations.EXTRA_APPENDICES:
    appendix_citations.EXTRA_APPENDICES.append(_attached_count)
steps.register("sign", kinds=ORDER_KINDS, check=_check_order_sign, after=_sign_appendices)
steps.register("sign", kinds=ACT_KINDS, check=_check_act_sign)
for _event in CARRIED:
    steps.register(_event, kinds=ORDER_KINDS, after=_carry(_event))


def appendices_to_api(session: Session, doc: Document) -> list[dict]:
    if doc.kind not in ORDER_KINDS:
        return []  # only an order takes appendices (_attach): nothing to look for
    if txcache.rows(session).get(("has_appendices", doc.id)) is False:
        return []  # read with the order in this transaction: it has none
    rows = session.execute(  # the four columns, not the documents with their organisations
        select(Document.id, Document.kind, Document.title, Document.state)
        .join(Appendix, Appendix.document_id == Document.id)
        .where(Appendix.order_id == doc.id).order_by(Appendix.position))
    return [{"document_id": a.id, "kind": a.kind, "title": a.title, "state": a.state.value}
            for a in rows]
