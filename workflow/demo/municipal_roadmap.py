"""Demo municipal roadmap: the demo municipality imports a small roadmap; the items naming
the schools are assigned to each of them, and the schools are at different points — one
accepted, one under the officer's review, one late."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from documents.models import Document, Organization, User
from documents.roadmaps.export import roadmap_to_docx
from workflow import clock
from workflow.demo import loader as demo
from workflow.engine.authoring import update_document
from workflow.engine.permissions import Actor
from workflow.engine.transition import apply_event
from workflow.roadmaps import importing, reading

TITLE = "Дорожная карта внедрения целевой модели наставничества в Демонстрационном МР"


def _items() -> list[dict]:
    today = clock.today()

    def d(days: int) -> str:
        return (today + timedelta(days=days)).strftime("%d.%m.%Y")

    return [
        {"number": "1.1", "section": "1", "deadline_text": f"до {d(-10)}",
         "activity": "Издание приказов о внедрении целевой модели наставничества в ОО",
         "responsible_text": "Руководители ОО", "result_text": "Приказы ОО"},
        {"number": "1.2", "section": "1", "deadline_text": f"до {d(20)}",
         "activity": "Утверждение положений о наставничестве в образовательных организациях",
         "responsible_text": "ОО", "result_text": "Положения о наставничестве"},
        {"number": "1.3", "section": "1", "deadline_text": f"до {d(45)}",
         "activity": "Формирование баз наставников и наставляемых",
         "responsible_text": "образовательные организации", "result_text": "Базы данных"},
        {"number": "2.1", "section": "2", "deadline_text": f"до {d(60)}",
         "activity": "Методическое сопровождение кураторов ОО",
         "responsible_text": "МКУ «Центр развития образования»",
         "result_text": "Семинары для кураторов"},
        {"number": "2.2", "section": "2", "deadline_text": f"до {d(90)}",
         "activity": "Мониторинг реализации целевой модели наставничества",
         "responsible_text": "Управление образования", "result_text": "Аналитическая справка"},
    ]


def _actor(session, email: str) -> Actor | None:
    user = session.scalar(select(User).where(User.email == email))
    return Actor.of(user) if user is not None else None


def _report(rt, actor: Actor, doc_id: int, text: str) -> None:
    with rt.db.read_session() as s:
        doc = s.get(Document, doc_id)
        lock, fields = doc.lock_version, dict(doc.fields)
    update_document(rt, actor, doc_id, expected_version=lock, fields=dict(fields, report=text))
    apply_event(rt, doc_id, "submit", actor)


def load(rt, school_ids: list[int]) -> None:
    with rt.db.read_session() as s:
        officer = _actor(s, "officer@demo.local")
        muni_id = s.scalar(select(Organization.parent_id).where(
            Organization.id.in_(school_ids or [0])).limit(1))
        people = {n: (_actor(s, f"admin{n}@demo.local"), _actor(s, f"director{n}@demo.local"))
                  for n in range(1, len(school_ids) + 1)}
    if officer is None or muni_id is None:
        return
    today = clock.today()
    data = roadmap_to_docx({"title": TITLE, "items": _items(), "sections": [
        {"number": "1", "title": "Нормативное обеспечение"},
        {"number": "2", "title": "Сопровождение и мониторинг"}]})
    result = importing.import_roadmap(
        rt, officer, org_id=muni_id, data=data, filename="municipal_roadmap.docx",
        period_start=(today - timedelta(days=60)).isoformat(),
        period_end=(today + timedelta(days=300)).isoformat())
    with rt.db.read_session() as s:
        view = reading.get_roadmap(s, officer, result["id"])
    first = next(i for i in view["items"] if i["number"] == "1.1")
    copies = {a["org_id"]: a["document_id"] for a in first["assignments"]}
    for n, org_id in enumerate(school_ids[:2], start=1):
        admin, director = people[n]
        if admin is None or director is None or org_id not in copies:
            continue
        _report(rt, admin, copies[org_id], "Приказ о внедрении целевой модели издан и "
                                           "размещён на сайте школы.")
        apply_event(rt, copies[org_id], "approve", director)
        apply_event(rt, copies[org_id], "send_to_municipality", director)
        if n == 1:  # school 1: accepted; school 2 waits for the officer; school 3 is late
            apply_event(rt, copies[org_id], "accept", officer)


if load not in demo.DEMO_HOOKS:
    demo.DEMO_HOOKS.append(load)
