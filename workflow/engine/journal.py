"""Registration numbers: the next number of an organisation's journal for the calendar year."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from documents.models import RegistrationJournal

#: Default formatting of each series: main-activity orders «45-од», staff orders «12-лс».
SERIES_SUFFIX = {"od": "-од", "ls": "-лс"}


def _journal(session: Session, org_id: int, year: int, series: str) -> RegistrationJournal:
    query = (
        select(RegistrationJournal)
        .where(RegistrationJournal.org_id == org_id, RegistrationJournal.year == year,
               RegistrationJournal.series == series)
        .with_for_update()
    )
    journal = session.scalar(query)
    if journal is None:
        try:
            with session.begin_nested():
                session.add(RegistrationJournal(org_id=org_id, year=year, series=series,
                                                suffix=SERIES_SUFFIX.get(series, ""),
                                                next_number=1))
        except IntegrityError:
            pass  # another transaction created it first
        journal = session.scalar(query)
    return journal


def next_number(session: Session, org_id: int, year: int, series: str) -> str:
    """Take the next number (inside the caller's transaction, so a rollback returns it)."""
    journal = _journal(session, org_id, year, series)
    number = journal.next_number
    journal.next_number = number + 1
    session.flush()
    return journal.format(number)


def peek_number(session: Session, org_id: int, year: int, series: str) -> str:
    """The number the next signature would take (read only: nothing is reserved, so another
    signature may still take it first)."""
    journal = session.scalar(select(RegistrationJournal).where(
        RegistrationJournal.org_id == org_id, RegistrationJournal.year == year,
        RegistrationJournal.series == series))
    if journal is None:
        return RegistrationJournal(prefix="", suffix=SERIES_SUFFIX.get(series, "")).format(1)
    return journal.format(journal.next_number)


def number_on_signing(session: Session, doc, today) -> str:
    """What «Подписать» would register ``doc`` as today (for the confirmation dialog)."""
    from workflow.engine.kinds import KINDS

    return peek_number(session, doc.org_id, today.year, KINDS[doc.kind].journal)
