"""Demo roadmaps: every demo school imports its roadmap for the current school year (written
by ``roadmap_plan`` with the school's own people), its regulation and order are linked to
the matching items (an item whose act the municipality accepted is reported done), and the
items whose dates have passed without evidence are overdue."""

from __future__ import annotations

from sqlalchemy import select

from documents.models import DocState, Document, Organization, User
from workflow import clock
from workflow.demo import loader as demo
from workflow.demo.roadmap_plan import roadmap_docx, school_year
from workflow.engine.permissions import Actor
from workflow.engine.transition import apply_event
from workflow.roadmaps import evidence, importing, item_work, reading

FILENAME = "dorozhnaya_karta.docx"


def load(rt, school_ids: list[int]) -> None:
    start, end = school_year(clock.today())
    for n, org_id in enumerate(school_ids, start=1):
        with rt.db.read_session() as s:
            curator = s.scalar(select(User).where(User.email == f"curator{n}@demo.local"))
            if curator is None or s.get(Organization, org_id) is None:
                continue
            actor = Actor.of(curator)
            people = {u.email: u.full_name for u in s.scalars(select(User).where(
                User.email.in_([f"director{n}@demo.local", f"admin{n}@demo.local"])))}
            data = roadmap_docx(start, people.get(f"director{n}@demo.local", ""),
                                people.get(f"admin{n}@demo.local", ""), curator.full_name)
            docs = s.execute(select(Document.id, Document.kind, Document.state,
                                    Document.registration_number, Document.signed_at).where(
                Document.org_id == org_id, Document.kind.in_(("regulation", "order")))
                .order_by(Document.id)).all()
        result = importing.import_roadmap(rt, actor, org_id=org_id, data=data,
                                         filename=FILENAME, period_start=start.isoformat(),
                                         period_end=end.isoformat())
        with rt.db.read_session() as s:
            view = reading.load_roadmap(s, actor, result["id"], clock.today())
        linked: set[int] = set()
        for doc_id, kind, state, number, signed_at in docs:
            item = next((i for i in view["items"] if i["act_kind"] == kind
                         and i["id"] not in linked), None)
            if item is not None:
                evidence.link_document(rt, actor, result["id"], item["id"], doc_id)
                linked.add(item["id"])
                if state is DocState.accepted:  # the act is in force: the item's report
                    when = clock.local_date(signed_at).strftime("%d.%m.%Y")
                    item_work.add_evidence(rt, actor, result["id"], item["id"], done=True,
                                          text=f"Выполнено: № {number} от {when}, принят "
                                               "управлением образования.")
                    apply_event(rt, item["document_id"], "approve", actor)
        if n == 1:  # the items already past are done with evidence, the rest lie ahead
            for item in [i for i in view["items"] if i["due"] and i["due"] < clock.today()
                         and not i["act_kind"]]:
                item_work.add_evidence(rt, actor, result["id"], item["id"], done=True,
                                      text=f"Выполнено. Результат: {item['result_text']}.")
                # the report confirmed (a school's item: by its curator or director)
                apply_event(rt, item["document_id"], "approve", actor)


if load not in demo.DEMO_HOOKS:
    demo.DEMO_HOOKS.append(load)
