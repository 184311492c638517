"""The «ждёт вашего решения» e-mail with its one-time links «Утвердить» / «Подписать» and
«Открыть» (sent only when SMTP is configured)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from documents.models import Document, OutboxItem, Role
from workflow.notify.approval_links import DECISION, decision_links
from workflow.notify.mailer import send_mail

VERBS = {"approve": "Утвердить", "sign": "Подписать"}


def send_decision_mail(rt, session: Session, item: OutboxItem) -> int:
    payload = item.payload
    if not rt.settings.smtp_host or payload.get("event") not in DECISION:
        return 0
    doc = session.get(Document, item.document_id)
    if doc is None or doc.version != item.version:
        return 0
    base = rt.settings.base_url.rstrip("/")
    verb = VERBS[DECISION[payload["event"]]]
    sent = 0
    for user, token in decision_links(session, doc, payload["event"],
                                      [Role(r) for r in payload["roles"]], payload["org_id"]):
        body = (f"Здравствуйте, {user.full_name}!\n\n"
                f"Документ «{doc.title}» ({doc.organization.short_name or doc.organization.name})"
                f" ждёт вашего решения.\n\n"
                f"{verb}: {base}/a/{token}\n"
                f"Открыть: {base}/documents/{doc.id}\n\n"
                "Ссылка «" + verb + "» откроет страницу подтверждения; она действует 3 дня, "
                "один раз и только для вас. Если документ изменят, ссылка перестанет "
                "действовать.\n")
        sent += send_mail(rt.settings, [user.email], f"Ждёт вашего решения: {doc.title}", body)
    return sent
