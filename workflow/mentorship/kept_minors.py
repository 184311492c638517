"""The minors a worker read of each school, kept between requests (PostgreSQL).

Every answer to someone outside a school is redacted with the minors of all the schools they
reach — an officer's, those of the whole municipality, hundreds to thousands of rows on each
request. A trigger gives a school's register a new version, from one sequence, whenever a
statement adds, changes, moves or removes any of its people (``RegisterVersion``); what was
read of a school is kept with the day (a minor comes of age) and that version, so one small
query of the schools' versions says which are still current, and only the others are read
again. A version is never given twice — not even by a transaction that rolled back — so a
school's rows kept with a version are the rows of that version. Elsewhere (SQLite: one
process, small registers) the rows are read each time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date

from sqlalchemy import Connection, any_, select

from documents.id_lists import array_param
from documents.models import RegisterVersion

#: Schools a worker keeps: more than a region has.
KEEP = 4096

_VERSIONS = select(RegisterVersion.org_id, RegisterVersion.version).where(
    RegisterVersion.org_id == any_(array_param("org_ids", RegisterVersion.org_id)))
#: (school, day) → (the register's version when read, its minors)
_kept: OrderedDict[tuple[int, date], tuple[int | None, list]] = OrderedDict()
_lock = threading.Lock()  # gthread workers serve requests on several threads


def read(conn: Connection, org_ids: list[int], day: date,
         read_rows: Callable[[list[int]], dict[int, list]]) -> dict[int, list]:
    """The minors of ``org_ids`` by school: kept ones whose register has not changed since,
    the others as ``read_rows`` reads them (in one query). The lists are shared: read only."""
    if conn.dialect.name != "postgresql":
        return read_rows(org_ids)
    # the versions first: rows read after them are at least as new as the versions kept
    versions = dict(conn.execute(_VERSIONS, {"org_ids": org_ids}).tuples().all())
    found: dict[int, list] = {}
    with _lock:
        for org_id in org_ids:
            kept = _kept.get((org_id, day))
            if kept is not None and kept[0] == versions.get(org_id):
                _kept.move_to_end((org_id, day))
                found[org_id] = kept[1]
    stale = [org_id for org_id in org_ids if org_id not in found]
    if stale:
        fresh = read_rows(stale)
        with _lock:
            for org_id in stale:
                found[org_id] = fresh[org_id]
                _kept[(org_id, day)] = (versions.get(org_id), fresh[org_id])
            while len(_kept) > KEEP:
                _kept.popitem(last=False)
    return found
