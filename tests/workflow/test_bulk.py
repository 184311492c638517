"""Approving or signing many documents at once: each its own transition; refusals come
back with their reasons and do not stop the others (issue 13)."""

from __future__ import annotations

import pytest

from documents.models import Document, HistoryEvent
from workflow.engine.bulk import apply_many
from workflow.errors import BadInput


def test_sign_many_numbers_each_and_reports_refusals(rt, make_doc, actor):
    ready = [make_doc("approved", title=f"Приказ {n}") for n in range(3)]
    not_ready = make_doc("on_approval", title="Ещё не утверждён")
    stale = make_doc("approved", title="Открыт в другой вкладке")
    items = [(d, 2) for d in ready] + [(not_ready, None), (stale, 0)]
    out = apply_many(rt, actor("director1"), "sign", items)
    assert [o.ok for o in out] == [True, True, True, False, False]
    assert [o.registration_number for o in out[:3]] == ["1-од", "2-од", "3-од"]
    assert out[3].message == ("Действие «подписать» сейчас недоступно: документ в состоянии "
                              "«на утверждении».")  # Russian words, never codes
    assert "изменён" in out[4].message
    with rt.db.read_session() as s:
        assert s.get(Document, stale).state.value == "approved"
        signs = s.query(HistoryEvent).filter(HistoryEvent.event == "sign").count()
    assert signs == 3


def test_someone_without_the_right_is_refused_per_document(rt, make_doc, actor):
    doc = make_doc("on_approval")
    out = apply_many(rt, actor("admin1"), "approve", [(doc, None)])
    assert not out[0].ok and out[0].message


def test_events_needing_a_remark_are_not_bulk(rt, make_doc, actor):
    with pytest.raises(BadInput):
        apply_many(rt, actor("director1"), "reject", [(make_doc("on_approval"), None)])
    with pytest.raises(BadInput):
        apply_many(rt, actor("director1"), "approve", [])
