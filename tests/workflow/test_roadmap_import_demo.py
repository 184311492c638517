"""The demo hook: each demo school gets the sample roadmap (kept with the code), with its
regulation and order linked and some items overdue."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from documents.models import Document, Organization, Roadmap
from workflow.demo import roadmaps as roadmap_demo
from workflow.demo.loader import DEMO_HOOKS
from workflow.roadmaps import operations as roadmaps


def test_demo_sample_is_packaged():
    assert roadmap_demo.SAMPLE.is_file()
    assert "shared" not in roadmap_demo.SAMPLE.parts
    assert roadmap_demo.load in DEMO_HOOKS


def test_demo_hook_imports_and_links(rt, world, actor, make_doc, monkeypatch):
    # the hook looks users up by demo e-mail: map curator1 of the test world onto it
    from documents.models import User

    regulation = make_doc("accepted", kind="regulation",
                          fields={"sections": [{"title": "Общие", "text": "Текст"}]},
                          title="Положение о наставничестве")
    with rt.db.write_session() as s:
        s.get(User, world.users["curator1"]).email = "curator1@demo.local"
    try:
        roadmap_demo.load(rt, [world.orgs["school1"]])
    finally:
        with rt.db.write_session() as s:
            s.get(User, world.users["curator1"]).email = "curator1@test.local"
    with rt.db.read_session() as s:
        rm = s.scalar(select(Roadmap).where(Roadmap.org_id == world.orgs["school1"]))
        assert rm is not None and rm.document_id is not None
        assert s.get(Document, regulation).roadmap_item_id is not None
        view = roadmaps.load_roadmap(s, actor("curator1"), rm.id, date(2026, 11, 22))
        assert s.get(Organization, world.orgs["school1"]) is not None
    statuses = {i["status"] for i in view["items"]}
    assert "overdue" in statuses and "done" in statuses
    assert len(view["items"]) == 31
