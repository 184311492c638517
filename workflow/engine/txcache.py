"""Rows a transaction has already read, kept until it ends.

The identity map holds unchanged objects only weakly and never remembers a row that does not
exist, so asking ``session.get`` for a document's route three times in one transition (who
may, the check, the values) could cost three SELECTs. Use cases that read a row more than once
keep it here instead; the cache is dropped when the transaction (or a savepoint) ends, so it
never outlives what the transaction saw.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

_KEY = "_tx_rows"


def rows(session: Session) -> dict:
    """This transaction's cache: {key: row or None}."""
    return session.info.setdefault(_KEY, {})


def ids(session: Session, key: tuple, query) -> list[int]:
    """The ids ``query`` finds, read once per transaction (sorted): short lists that later
    statements take as ``IN (…)`` instead of a subquery."""
    cache = rows(session)
    if key not in cache:
        cache[key] = sorted(session.scalars(query))
    return cache[key]


@event.listens_for(Session, "after_transaction_end")
def _drop(session: Session, transaction: SessionTransaction) -> None:
    # the outermost transaction or a savepoint; not the inner marks each flush opens
    if transaction.parent is None or transaction.nested:
        session.info.pop(_KEY, None)
