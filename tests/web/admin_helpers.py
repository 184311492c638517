"""Helpers of the administration tests: the world's organisations and users are kept between
tests (tests/conftest.py), so every test that creates people or schools removes them again;
a local SMTP server catches the e-mails."""

from __future__ import annotations

import io
import re
import socket
from dataclasses import replace

import pytest
from sqlalchemy import delete, func, select, text, update

from documents.db import Base
from documents.models import ApiToken, Grant, Organization, User, UserSession
from tests.conftest import KEEP_TABLES

LINK_RE = re.compile(r"(https?://\S+/password/set/[A-Za-z0-9_\-]+)")


@pytest.fixture()
def restore_world(rt):
    """Remove the organisations, users and grants a test created; reactivate world users and
    give them back their names, positions and passwords."""
    with rt.db.read_session() as s:
        max_org = s.scalar(select(func.max(Organization.id)))
        max_user = s.scalar(select(func.max(User.id)))
        max_grant = s.scalar(select(func.max(Grant.id)))
        grants = {(g.user_id, g.org_id, g.role) for g in s.scalars(select(Grant))}
        orgs = {o.id: {c: getattr(o, c) for c in ("name", "short_name", "founder", "place",
                                                    "head_name", "head_position", "inn",
                                                    "address", "is_active")}
                for o in s.scalars(select(Organization))}
        people = {u.id: {c: getattr(u, c) for c in ("full_name", "position", "is_active",
                                                     "password_hash", "password_changed_at")}
                  for u in s.scalars(select(User))}
    yield
    rt.db.session.remove()
    tables = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    with rt.db.engine.begin() as conn:
        if rt.db.is_postgres:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))
    with rt.db.write_session() as s:
        s.execute(delete(Grant).where(Grant.id > max_grant))
        new_users = select(User.id).where(User.id > max_user)
        s.execute(delete(UserSession).where(UserSession.user_id.in_(new_users)))
        s.execute(delete(ApiToken).where(ApiToken.user_id.in_(new_users)))
        s.execute(delete(User).where(User.id > max_user))
        s.execute(delete(Organization).where(Organization.id > max_org))
        for g in s.scalars(select(Grant)).all():
            if (g.user_id, g.org_id, g.role) not in grants:
                s.delete(g)
        for org_id, values in orgs.items():
            s.execute(update(Organization).where(Organization.id == org_id).values(**values))
        for user_id, values in people.items():  # a reset password comes back too
            s.execute(update(User).where(User.id == user_id).values(**values))
    # grants removed from world users by a test come back
    with rt.db.write_session() as s:
        have = {(g.user_id, g.org_id, g.role) for g in s.scalars(select(Grant))}
        for user_id, org_id, role in grants - have:
            s.add(Grant(user_id=user_id, org_id=org_id, role=role))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def mailbox(rt):
    """A local SMTP server; the runtime sends to it for the test. Yields the message list."""
    from aiosmtpd.controller import Controller

    messages: list = []

    class Inbox:
        async def handle_DATA(self, server, session, envelope):
            from email import message_from_bytes, policy

            msg = message_from_bytes(envelope.content, policy=policy.default)
            messages.append({"to": list(envelope.rcpt_tos), "subject": msg["Subject"],
                             "body": msg.get_body(("plain",)).get_content()})
            return "250 OK"

    port = _free_port()
    controller = Controller(Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    before = rt.settings
    rt.settings = replace(before, smtp_host="127.0.0.1", smtp_port=port)
    try:
        yield messages
    finally:
        rt.settings = before
        controller.stop()


def wait_for_mail(messages: list, count: int, seconds: float = 10.0) -> list:
    """The mailbox once it holds ``count`` messages (some are sent off the request)."""
    from tests.waiting import pause

    for _ in range(int(seconds * 20)):
        if len(messages) >= count:
            break
        pause(0.05)
    return messages


def link_in(message: dict) -> str:
    match = LINK_RE.search(message["body"])
    assert match, message["body"]
    return match.group(1)


def token_of(link: str) -> str:
    return link.rsplit("/", 1)[1]


def xlsx(rows: list[list], headers=("ФИО", "Должность", "E-mail", "Роль")) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
