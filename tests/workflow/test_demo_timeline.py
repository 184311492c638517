"""The demo reads like a term's work: its school documents were made on their days, weeks
apart, each step some working days after the one before, so the history, the registration
dates and the time in each stage look like a real school's — and each organisation's chain
still runs forward in time."""

from datetime import UTC, date, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import select

# the demo's hooks, registered as the app registers them (by importing their modules)
import workflow.demo.approval
import workflow.demo.municipal_roadmap
import workflow.demo.registers
import workflow.demo.roadmaps  # noqa: F401
from documents import schema
from documents.models import Document, HistoryEvent, Organization, OrgKind, User
from workflow import clock
from workflow.audit.time_in_stage import time_in_stage
from workflow.engine.permissions import Actor
from workflow.runtime import Runtime, Settings


@pytest.mark.parametrize("on", [None, (9, 2), (6, 15), (8, 30)],
                         ids=["today", "2 September", "15 June", "30 August"])
def test_the_demo_history_spans_the_term_in_time_order(tmp_path, on):
    """Whatever the day the demo loads: early in a school year its acts go back into the
    summer; in the summer its pairs are for the school year to come (they outlived the
    school's programme, and loading the demo failed from June to August)."""
    today = clock.today()
    shift = timedelta(0) if on is None else date(today.year, *on) - today
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    schema.upgrade(url)
    rt = Runtime.create(Settings(database_url=url, data_dir=tmp_path))
    with clock.shifted(shift):
        _check_the_demo(rt)


def _check_the_demo(rt) -> None:
    from workflow.demo.loader import load_demo

    try:
        assert load_demo(rt)
        with rt.db.read_session() as s:
            events = s.execute(select(HistoryEvent.org_id, HistoryEvent.at, HistoryEvent.event,
                                      Document.title)
                               .join(Document, Document.id == HistoryEvent.document_id)
                               .order_by(HistoryEvent.org_id, HistoryEvent.seq)).all()
            by_org: dict[int, list] = {}
            for org_id, at, event, title in events:
                at = at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite keeps it naive
                by_org.setdefault(org_id, []).append((at, event, title))
            for org_id, rows in by_org.items():
                times = [at for at, _, _ in rows]
                assert times == sorted(times), f"organisation {org_id}: events out of time order"
            schools = list(s.scalars(select(Organization.id).where(
                Organization.kind == OrgKind.school)))
            for org_id in schools:
                times = [at for at, _, _ in by_org[org_id]]
                assert clock.now() - min(times) >= timedelta(days=20)  # made over weeks
                order = [at for at, _event, title in by_org[org_id]
                         if title == "О внедрении целевой модели наставничества"]
                # each step on a later working day than the one before
                assert all(b - a >= timedelta(days=2) for a, b in pairwise(order))
            auditor = Actor.of(s.scalar(select(User).where(User.email == "auditor@demo.local")))
            muni = s.scalar(select(Organization.id).where(
                Organization.kind == OrgKind.municipality))
            report = time_in_stage(s, auditor, muni)
            waited = [r["median_days"] for r in report.rows if r["state"] == "on_approval"]
            assert waited and max(waited) >= 2  # an auditor sees days, not seconds
    finally:
        rt.db.dispose()
