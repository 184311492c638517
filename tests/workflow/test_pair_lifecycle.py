"""Pairs end by themselves when their term is over, and when their signed order is
cancelled (issue 13)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from documents.models import Pair
from documents.models.people import PairStatus
from tests.workflow.test_pairs import _pair_order, make_pair
from tests.workflow.test_pairs_factories import (  # noqa: F401 - fixture
    TODAY,
    ready_teacher,
    reference,
)
from workflow.engine.queries import document_history
from workflow.engine.transition import apply_event
from workflow.mentorship.pair_lifecycle import end_expired_pairs

pytestmark = pytest.mark.usefixtures("reference")


def _signed_order(rt, actor, school, pair_ids):
    admin, director = actor("admin1"), actor("director1")
    doc = _pair_order(rt, admin, school, pair_ids)
    for who, event in ((admin, "submit"), (director, "approve"), (director, "sign")):
        apply_event(rt, doc, event, who)
    return doc


def _status(rt, pair_id):
    with rt.db.read_session() as s:
        p = s.get(Pair, pair_id)
        return p.status, p.finished_at


def test_pairs_end_when_their_term_is_over(rt, actor, world):
    admin, school = actor("admin1"), world.orgs["school1"]
    pair = make_pair(rt, admin, school, ready_teacher(rt, admin, school),
                     [ready_teacher(rt, admin, school, 1, False)],
                     start=TODAY + timedelta(days=1), end=TODAY + timedelta(days=30))
    _signed_order(rt, actor, school, [pair])
    assert end_expired_pairs(rt, TODAY + timedelta(days=30)) == 0  # the last day still counts
    assert _status(rt, pair)[0] is PairStatus.active
    assert end_expired_pairs(rt, TODAY + timedelta(days=31)) == 1
    status, finished_at = _status(rt, pair)
    assert status is PairStatus.finished and finished_at is not None
    assert end_expired_pairs(rt, TODAY + timedelta(days=32)) == 0  # idempotent


def test_cancelling_a_signed_pair_order_ends_its_pairs(rt, actor, world):
    admin, school = actor("admin1"), world.orgs["school1"]
    pair = make_pair(rt, admin, school, ready_teacher(rt, admin, school),
                     [ready_teacher(rt, admin, school, 1, False)])
    doc = _signed_order(rt, actor, school, [pair])
    assert _status(rt, pair)[0] is PairStatus.active
    apply_event(rt, doc, "cancel", actor("director1"), "Приказ издан ошибочно")
    assert _status(rt, pair)[0] is PairStatus.finished
    with rt.db.read_session() as s:
        last = document_history(s, actor("director1"), doc)[-1]
    assert last.event == "cancel" and last.comment == "Приказ издан ошибочно"
