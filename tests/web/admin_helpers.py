"""Helpers of the administration tests: a local SMTP server catches the e-mails; links and
tokens are read out of them. (What a test adds to or changes in the world's organisations,
users and grants is put back after every test by tests/conftest.py.)"""

from __future__ import annotations

import io
import re
import socket
from dataclasses import replace

import pytest

LINK_RE = re.compile(r"(https?://\S+/password/set/[A-Za-z0-9_\-]+)")


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


def preview_staff(client, org_id: int, token: str, rows: list[list]):
    """«Загрузить XLSX» on the administration pages: the preview of ``rows``."""
    return client.post(f"/admin/import?org_id={org_id}", content_type="multipart/form-data",
                       data={"csrf_token": token, "file": (io.BytesIO(xlsx(rows)), "s.xlsx")})


def confirm_staff(client, org_id: int, token: str, preview, **kwargs):
    """«Создать» under that preview (``kwargs``: the test client's, e.g. follow_redirects)."""
    upload = re.search(r'name="upload" type="hidden" value="([^"]+)"',
                       preview.get_data(as_text=True)).group(1)
    return client.post(f"/admin/import/confirm?org_id={org_id}",
                       data={"csrf_token": token, "upload": upload}, **kwargs)
