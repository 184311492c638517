"""The demo hook: each demo school gets a roadmap written for the current school year (every
date inside the period, numbered from 1.1, responsibles set), with its regulation and order
linked."""

from __future__ import annotations

from sqlalchemy import select

from documents.models import Document, Roadmap
from workflow import clock
from workflow.demo import roadmaps as roadmap_demo
from workflow.demo.loader import DEMO_HOOKS
from workflow.demo.roadmap_plan import school_year
from workflow.roadmaps import reading


def test_demo_hook_is_registered():
    assert roadmap_demo.load in DEMO_HOOKS


def test_school_year_of_any_day():
    from datetime import date

    assert school_year(date(2026, 12, 3)) == (date(2026, 9, 1), date(2027, 8, 31))
    assert school_year(date(2027, 3, 1)) == (date(2026, 9, 1), date(2027, 8, 31))
    assert school_year(date(2027, 9, 1)) == (date(2027, 9, 1), date(2028, 8, 31))


def test_demo_hook_imports_a_roadmap_of_this_school_year(rt, world, actor, make_doc):
    from documents.models import User

    regulation = make_doc("accepted", kind="regulation",
                          fields={"sections": [{"title": "Общие", "text": "Текст"}]},
                          title="Положение о наставничестве")
    demo_roles = ("curator1", "director1", "admin1")
    with rt.db.write_session() as s:  # the hook finds people by their demo e-mail
        for user in demo_roles:
            s.get(User, world.users[user]).email = f"{user}@demo.local"
    try:
        roadmap_demo.load(rt, [world.orgs["school1"]])
    finally:
        with rt.db.write_session() as s:
            for user in demo_roles:
                s.get(User, world.users[user]).email = f"{user}@test.local"
    start, end = school_year(clock.today())
    with rt.db.read_session() as s:
        rm = s.scalar(select(Roadmap).where(Roadmap.org_id == world.orgs["school1"]))
        assert rm is not None and rm.document_id is not None
        assert (rm.period_start, rm.period_end) == (start, end)
        assert s.get(Document, regulation).roadmap_item_id is not None
        view = reading.load_roadmap(s, actor("curator1"), rm.id, clock.today())
    items = view["items"]
    assert items[0]["number"] == "1.1"
    assert all(start <= i["due"] <= end for i in items), "every date inside the period"
    assert all(i["responsible_text"] for i in items), [(i["number"], i["responsible_text"]) for i in items]
    assert "Омск" not in " ".join(i["activity"] for i in items)
