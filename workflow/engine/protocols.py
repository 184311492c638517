"""A collegial body's decision on the current stage of a route: the secretary (school admin
or curator) records the protocol number, date, decision and an optional scan."""

from __future__ import annotations

from datetime import date

from workflow import clock
from workflow.engine.permissions import Actor
from workflow.errors import BadInput, RuleViolation, TooLarge

MAX_SCAN_BYTES = 10 * 1024 * 1024
#: Scans are recognised by their first bytes, never by the name or the declared type.
SCAN_TYPES = ((b"%PDF-", "application/pdf", ".pdf"), (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
              (b"\xff\xd8\xff", "image/jpeg", ".jpg"))


def scan_type(data: bytes) -> tuple[str, str]:
    if len(data) > MAX_SCAN_BYTES:
        raise TooLarge(f"Скан протокола больше {MAX_SCAN_BYTES // (1024 * 1024)} МБ.",
                       code="scan_too_large")
    for magic, mime, suffix in SCAN_TYPES:
        if data.startswith(magic):
            return mime, suffix
    raise RuleViolation("Скан протокола должен быть файлом PDF, JPEG или PNG.",
                        code="scan_invalid")


def parse_protocol_date(value: object) -> date:
    """YYYY-MM-DD (API) or DD.MM.YYYY (the form); not in the future."""
    text = str(value or "").strip()
    try:
        if len(text) == 10 and text[2] == "." and text[5] == ".":
            day = date(int(text[6:]), int(text[3:5]), int(text[:2]))
        else:
            day = date.fromisoformat(text)
    except (ValueError, IndexError):
        raise BadInput("Дата протокола: ДД.ММ.ГГГГ.", code="invalid_date") from None
    if day > clock.today():
        raise RuleViolation("Дата протокола не может быть в будущем.", code="invalid_date")
    return day


def record_protocol(rt, actor: Actor, document_id: int, *, expected_version: int | None,
                    number: object, day: object, decision: object, comment: object = "",
                    scan: bytes | None = None) -> int:
    from workflow.engine.transition import apply_event

    number = str(number or "").strip()
    if not number or len(number) > 40:
        raise BadInput("Укажите номер протокола.", code="missing_field")
    if decision not in ("approved", "rejected"):
        raise BadInput("Решение: approved или rejected.", code="invalid_decision")
    protocol = {"number": number, "date": parse_protocol_date(day), "decision": decision}
    if scan:
        mime, suffix = scan_type(scan)
        key, digest = rt.files.put(scan, suffix=suffix)
        protocol.update(file_key=key, file_sha256=digest, file_mime=mime)
    comment = str(comment or "").strip()
    if decision == "rejected" and not comment:
        comment = f"Не одобрено: протокол от {protocol['date']:%d.%m.%Y} № {number}"
    event = "approve" if decision == "approved" else "reject"
    return apply_event(rt, document_id, event, actor, comment, expected_version,
                       extra={"protocol": protocol})


def pass_collegial_stages(rt, document_id: int, secretary: Actor, number: str = "1") -> None:
    """Record «approved» protocols for every collegial stage now ahead (demo and tests)."""
    from documents.models import DocumentRoute
    from workflow.engine.routes import is_collegial

    while True:
        with rt.db.read_session() as s:
            route = s.get(DocumentRoute, document_id)
            if route is None or route.status != "in_progress" or \
                    not is_collegial(route.stages[route.current]):
                return
        record_protocol(rt, secretary, document_id, expected_version=None, number=number,
                        day=clock.today().isoformat(), decision="approved")
