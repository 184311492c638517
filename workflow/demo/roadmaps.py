"""Demo roadmaps: every demo school imports the sample roadmap kept with the code, its
regulation and order are linked to the matching items, and some items stay overdue."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

import documents.roadmaps
from documents.models import Document, Organization, User
from workflow.demo import loader as demo
from workflow.engine.permissions import Actor
from workflow.engine.transition import apply_event
from workflow.roadmaps import operations as roadmaps

SAMPLE = Path(documents.roadmaps.__file__).parent / "demo" / "roadmap_school_2022_2024.docx"
PERIOD = ("2026-09-01", "2027-08-31")


def load(rt, school_ids: list[int]) -> None:
    data = SAMPLE.read_bytes()
    for n, org_id in enumerate(school_ids, start=1):
        with rt.db.read_session() as s:
            curator = s.scalar(select(User).where(User.email == f"curator{n}@demo.local"))
            if curator is None or s.get(Organization, org_id) is None:
                continue
            actor = Actor.of(curator)
            docs = s.execute(select(Document.id, Document.kind).where(
                Document.org_id == org_id, Document.kind.in_(("regulation", "order")))
                .order_by(Document.id)).all()
        result = roadmaps.import_roadmap(rt, actor, org_id=org_id, data=data,
                                         filename=SAMPLE.name, period_start=PERIOD[0],
                                         period_end=PERIOD[1])
        with rt.db.read_session() as s:
            view = roadmaps.load_roadmap(s, actor, result["id"], date.today())
        linked: set[int] = set()
        for doc_id, kind in docs:
            item = next((i for i in view["items"] if i["act_kind"] == kind
                         and i["id"] not in linked), None)
            if item is not None:
                roadmaps.link_document(rt, actor, result["id"], item["id"], doc_id)
                linked.add(item["id"])
        if n == 1:  # a couple of items done with evidence; the 2022 ones stay overdue
            for item in [i for i in view["items"] if i["deadline"].get("kind") == "continuous"][:2]:
                roadmaps.add_evidence(rt, actor, result["id"], item["id"], done=True,
                                      text="Информация размещена на сайте школы.")
                # the report confirmed (a school's item: by its curator or director)
                apply_event(rt, item["document_id"], "approve", actor)


if load not in demo.DEMO_HOOKS:
    demo.DEMO_HOOKS.append(load)
