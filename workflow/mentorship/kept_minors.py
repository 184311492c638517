"""The minors a worker read of some schools, kept between requests (PostgreSQL).

Every answer to someone outside a school is redacted with the minors of all the schools they
reach — an officer's, those of the whole municipality, hundreds to thousands of rows on each
request. A trigger gives a school's register a new version, from one sequence, whenever one of
its people is added, changed, moved or removed (``RegisterVersion``); what was read is kept
under the schools, the day (a minor comes of age) and the newest version among those schools,
so one small query says whether it is still current. A version is never given twice — not
even by a transaction that rolled back — so a key seen once always means the same rows.
Elsewhere (SQLite: one process, small registers) the rows are read each time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date

from sqlalchemy import Connection, any_, func, select

from documents.id_lists import array_param
from documents.models import RegisterVersion

#: What a worker keeps: more sets of schools than a region has municipalities.
KEEP = 64

_NEWEST = select(func.max(RegisterVersion.version)).where(
    RegisterVersion.org_id == any_(array_param("org_ids", RegisterVersion.org_id)))
_kept: OrderedDict[tuple, dict[int, list]] = OrderedDict()
_lock = threading.Lock()  # gthread workers serve requests on several threads


def read(conn: Connection, org_ids: list[int], day: date,
         read_rows: Callable[[], dict[int, list]]) -> dict[int, list]:
    """The minors of ``org_ids`` (sorted) by school as ``read_rows`` reads them, or as it read
    them before when no register among them has changed since. The lists are shared: read
    only."""
    if conn.dialect.name != "postgresql":
        return read_rows()
    # the version first: rows read after it are at least as new as the key they are kept under
    key = (tuple(org_ids), day, conn.execute(_NEWEST, {"org_ids": org_ids}).scalar())
    with _lock:
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
            return kept
    rows = read_rows()
    with _lock:
        _kept[key] = rows
        while len(_kept) > KEEP:
            _kept.popitem(last=False)
    return rows
