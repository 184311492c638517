"""Which pairs a pair order may list: the school's pairs still to be fixed by an order
(planned) or already fixed by this very order — with mentor, mentees, form and term, so
people choose from a list instead of typing ids (issue 13, defect 3)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from documents.models import Pair
from documents.models.people import PairStatus
from workflow.errors import RuleViolation


def selectable_pair_ids(session: Session, org_id: int, document_id: int | None = None
                        ) -> set[int]:
    cond = Pair.status == PairStatus.planned
    if document_id is not None:
        cond = or_(cond, (Pair.status == PairStatus.active)
                   & (Pair.order_document_id == document_id))
    return set(session.scalars(select(Pair.id).where(Pair.org_id == org_id, cond)))


def pair_labels(session: Session, pair_ids) -> dict[int, str]:
    """{pair id: «Наставник → наставляемые · форма · срок»} in one query."""
    from workflow.mentorship.pairs import _pair_rows

    ids = sorted({i for i in pair_ids or [] if isinstance(i, int)})
    out = {}
    for p in (_pair_rows(session, pair_ids=ids).values() if ids else []):
        mentees = ", ".join(m["full_name"] + (f" ({m['grade']})" if m["grade"] else "")
                            for m in p["mentees"])
        term = f"{_ru(p['start'])} – {_ru(p['end'])}"
        out[p["id"]] = f"{p['mentor']['full_name']} → {mentees} · {p['form_title']} · {term}"
    return out


def pair_choices(session: Session, org_ids: list[int], document_id: int | None = None
                 ) -> list[tuple[int, str]]:
    """[(pair id, label)] of the pairs the orgs' pair order may list, by mentor."""
    ids: set[int] = set()
    for org_id in org_ids:
        ids |= selectable_pair_ids(session, org_id, document_id)
    labels = pair_labels(session, ids)
    return sorted(labels.items(), key=lambda kv: kv[1])


def _ru(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}.{m}.{y}"


def check_selectable(session: Session, org_id: int, pair_ids, document_id: int | None) -> None:
    """Refused on save (not only at submission): a pair that is not the school's, or is
    already fixed by another order, finished or cancelled."""
    ids = [i for i in pair_ids or [] if isinstance(i, int)]
    bad = sorted(set(ids) - selectable_pair_ids(session, org_id, document_id))
    if bad:
        message = ("Выберите пары из списка действующих пар школы: "
                   + ("одна из выбранных пар" if len(bad) == 1 else f"{len(bad)} из выбранных пар")
                   + " не найдена, уже закреплена другим приказом, завершена или отменена.")
        raise RuleViolation(message, code="pair_not_selectable",
                            details={"fields": {"pair_ids": message}})
