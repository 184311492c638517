"""Pairs end by themselves: when their term is over (a daily job) and when the signed order
that fixed them is cancelled (a step of the «cancel» event, inside its transaction, so the
order's history records the cancellation that ended them)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from documents.models import Pair
from documents.models.people import PairStatus
from workflow import clock
from workflow.engine import steps


def end_expired_pairs(rt, today: date | None = None) -> int:
    """Active pairs whose term ended before ``today`` become finished; returns how many."""
    today = today or clock.today()
    with rt.db.write_session() as session:
        return session.execute(
            update(Pair).where(Pair.status == PairStatus.active, Pair.end < today)
            .values(status=PairStatus.finished, finished_at=clock.now())
            .execution_options(synchronize_session=False)).rowcount


def _end_pairs_of_cancelled_order(step: steps.Step) -> None:
    step.session.execute(
        update(Pair).where(Pair.order_document_id == step.doc.id,
                           Pair.status == PairStatus.active)
        .values(status=PairStatus.finished, finished_at=step.now)
        .execution_options(synchronize_session=False))


steps.register("cancel", kinds=("pair_order",), after=_end_pairs_of_cancelled_order)
