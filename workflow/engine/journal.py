"""Registration numbers: the next number of an organisation's journal for the calendar year.

Which journal a kind uses, and its suffix, come from the organisation's journal settings
(administration, ``documents.models.JournalSetting``) when it has them, else from the kind."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from documents.models import JournalSetting, RegistrationJournal

#: Default formatting of each series: main-activity orders «45-од», staff orders «12-лс»;
#: local acts approved rather than signed keep their own journal «3-ла» (never the order one).
SERIES_SUFFIX = {"od": "-од", "ls": "-лс", "la": "-ла"}


def settings_of(session: Session, org_id: int) -> list[JournalSetting]:
    return list(session.scalars(select(JournalSetting).where(JournalSetting.org_id == org_id)
                                .order_by(JournalSetting.id)))


def series_for(session: Session, org_id: int, kind: str, default: str) -> str:
    """The journal code a kind's documents are numbered in within this organisation."""
    for setting in settings_of(session, org_id):
        if kind in (setting.kinds or []):
            return setting.code
    return default


def journal_row(session: Session, org_id: int, year: int, series: str) -> RegistrationJournal:
    """The year's counter (locked for update), created on first use."""
    query = (
        select(RegistrationJournal)
        .where(RegistrationJournal.org_id == org_id, RegistrationJournal.year == year,
               RegistrationJournal.series == series)
        .with_for_update()
    )
    journal = session.scalar(query)
    if journal is None:
        setting = session.scalar(select(JournalSetting).where(
            JournalSetting.org_id == org_id, JournalSetting.code == series))
        try:
            with session.begin_nested():
                session.add(RegistrationJournal(
                    org_id=org_id, year=year, series=series,
                    prefix=setting.prefix if setting else "",
                    suffix=setting.suffix if setting else SERIES_SUFFIX.get(series, ""),
                    next_number=1))
        except IntegrityError:
            pass  # another transaction created it first
        journal = session.scalar(query)
    return journal


def next_number(session: Session, org_id: int, year: int, series: str) -> str:
    """Take the next number (inside the caller's transaction, so a rollback returns it)."""
    journal = journal_row(session, org_id, year, series)
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
