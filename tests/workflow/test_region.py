"""The reference-region generator: every organisation's chain verifies, documents are in
every state with histories that lead there, and the same seed gives the same region."""

from collections import Counter

from sqlalchemy import func, select

from documents import schema
from documents.models import Document, HistoryEvent, Organization, Pair, Person
from workflow.audit import chain
from workflow.demo.region import DOCS_PER_SCHOOL, generate_region
from workflow.runtime import Runtime, Settings


def _region(tmp_path, name, seed):
    url = f"sqlite:///{tmp_path / name}.db"
    schema.upgrade(url)
    rt = Runtime.create(Settings(database_url=url, data_dir=tmp_path / name))
    stats = generate_region(rt, schools=4, seed=seed, municipalities=2)
    return rt, stats


def test_generated_region_is_chain_valid_in_every_state(tmp_path):
    rt, stats = _region(tmp_path, "a", seed=7)
    assert (stats.municipalities, stats.schools) == (2, 4)
    assert stats.documents == 4 * DOCS_PER_SCHOOL and stats.events > 4 * DOCS_PER_SCHOOL * 3
    with rt.db.read_session() as s:
        orgs = list(s.scalars(select(Organization.id)))
        result = chain.verify_orgs(s, orgs)
        assert result.ok, result
        assert result.events_checked == stats.events
        states = Counter(s.scalars(select(Document.state)))
        assert {st.value for st in states} == {"draft", "on_approval", "approved", "signed",
                                               "under_municipal_review", "accepted", "returned",
                                               "cancelled"}
        # each document's last event leads to its state, and lock_version counts its events
        for doc in s.scalars(select(Document)):
            events = list(s.scalars(select(HistoryEvent).where(HistoryEvent.document_id == doc.id)
                                    .order_by(HistoryEvent.seq)))
            assert events[0].event == "create" and events[-1].to_state == doc.state.value
            assert len(events) == doc.lock_version + 1
        assert s.scalar(select(func.count()).select_from(Person)) == stats.people == 80
        assert s.scalar(select(func.count()).select_from(Pair)) == stats.pairs == 20
    rt.db.dispose()


def test_same_seed_same_region(tmp_path):
    heads = []
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        rt, _ = _region(tmp_path, name, seed)
        with rt.db.read_session() as s:
            heads.append(list(s.scalars(select(HistoryEvent.hash).order_by(HistoryEvent.id))))
        rt.db.dispose()
    assert heads[0] == heads[1] and heads[0] != heads[2]
