"""One-time password links: e-mailed through a real SMTP server, stored only as SHA-256,
≥ 128 bits, valid 72 hours, used once; a re-sent invitation supersedes the old link."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta

from sqlalchemy import select

from documents.models import OutboxItem, PasswordToken
from tests.web.admin_helpers import link_in, token_of, wait_for_mail
from workflow import clock

GOOD = "Berezovaya-roscha-42"


def _invite(api, world, email="new.teacher@school.test"):
    resp = api.as_("sysadmin").post("/api/v1/users", json={
        "email": email, "full_name": "Новая Учительница", "position": "Учитель",
        "grants": [{"role": "curator", "org_id": world.orgs["school1"]}]})
    assert resp.status_code == 201
    return resp.get_json()["id"]


def _set(client, token, password=GOOD):
    return client.post("/api/v1/auth/password-set", json={"token": token, "password": password})


def test_token_is_long_random_and_stored_hashed(api, world, rt, mailbox):
    _invite(api, world)
    token = token_of(link_in(mailbox[0]))
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert len(raw) * 8 >= 128
    with rt.db.read_session() as s:
        rows = s.scalars(select(PasswordToken)).all()
        assert [r.token_sha256 for r in rows] == [hashlib.sha256(token.encode()).hexdigest()]
        outbox = s.scalars(select(OutboxItem)).all()
        assert token not in str([o.payload for o in outbox])
        assert rows[0].expires_at - rows[0].created_at == timedelta(hours=72)


def test_link_expires_after_72_hours(api, world, client, mailbox):
    _invite(api, world)
    token = token_of(link_in(mailbox[0]))
    with clock.shifted(timedelta(hours=72, minutes=1)):
        late = _set(client, token)
    assert late.status_code == 422 and late.get_json()["error"]["code"] == "link_invalid"
    with clock.shifted(timedelta(hours=71)):
        assert _set(client, token).status_code == 200
    assert _set(client, token, GOOD + "x").status_code == 422


def test_resent_invitation_supersedes_the_first_link(api, world, client, mailbox):
    uid = _invite(api, world)
    assert api.as_("sysadmin").post(f"/api/v1/users/{uid}/invitation").status_code == 202
    first, second = (token_of(link_in(m)) for m in mailbox)
    assert first != second
    assert _set(client, first).status_code == 422
    assert _set(client, second).status_code == 200


def test_reset_link_changes_the_password_and_ends_sessions(api, world, client, mailbox, rt):
    uid = _invite(api, world, "reset.me@school.test")
    assert _set(client, token_of(link_in(mailbox[0]))).status_code == 200
    login = client.post("/api/v1/auth/token", json={"email": "reset.me@school.test",
                                                    "password": GOOD})
    bearer = {"Authorization": f"Bearer {login.get_json()['token']}"}
    assert client.post("/api/v1/auth/password-reset",
                       json={"email": "RESET.ME@school.test"}).status_code == 202
    assert len(wait_for_mail(mailbox, 2)) == 2 and "Восстановление" in mailbox[1]["subject"]
    assert _set(client, token_of(link_in(mailbox[1])), "Novyi-parol-dlya-shkoly").status_code \
        == 200
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    assert client.post("/api/v1/auth/token", json={
        "email": "reset.me@school.test", "password": "Novyi-parol-dlya-shkoly"}).status_code \
        == 200
    del uid


def test_password_strength_refusals(api, world, client, mailbox):
    _invite(api, world)
    token = token_of(link_in(mailbox[0]))
    for weak in ("short", "password2026", "1234567890", "new.teacher-2026"):
        resp = _set(client, token, weak)
        assert resp.status_code == 400, weak
        assert resp.get_json()["error"]["code"] == "weak_password"
    assert _set(client, token).status_code == 200


def _committed(rt, token: str) -> bool:
    """Whether another connection (the one the set-password page will use) sees the token."""
    with rt.db.engine.connect() as conn:
        return conn.scalar(select(PasswordToken.id).where(
            PasswordToken.token_sha256 == hashlib.sha256(token.encode()).hexdigest(),
            PasswordToken.used_at.is_(None))) is not None


def test_the_link_works_the_moment_the_mail_leaves(api, world, rt, mailbox, monkeypatch):
    from workflow.admin import invitations

    seen: list[bool] = []
    real = invitations.send_mail

    def send(settings, to, subject, body):
        seen.append(_committed(rt, token_of(link_in({"body": body}))))
        return real(settings, to, subject, body)

    monkeypatch.setattr(invitations, "send_mail", send)
    _invite(api, world)
    assert seen == [True]


def test_a_failed_sending_is_retried_with_a_fresh_link(api, world, rt, client, mailbox,
                                                      monkeypatch):
    from workflow.admin import invitations
    from workflow.engine import effects

    real = invitations.send_mail

    def down(*args, **kwargs):
        raise ConnectionRefusedError("SMTP is down")

    monkeypatch.setattr(invitations, "send_mail", down)
    _invite(api, world)
    with rt.db.read_session() as s:
        item = s.scalars(select(OutboxItem).where(OutboxItem.effect == invitations.EFFECT)).one()
        assert item.done_at is None and "SMTP is down" in item.last_error
        assert item.available_at > item.created_at  # tried again later, not at once
    monkeypatch.setattr(invitations, "send_mail", real)
    assert effects.run_effect(rt, item.id) == "done"
    assert len(mailbox) == 1
    assert _set(client, token_of(link_in(mailbox[0]))).status_code == 200
    with rt.db.read_session() as s:
        assert s.scalar(select(PasswordToken.id).where(PasswordToken.used_at.is_(None))) is None


def test_mailed_links_point_at_the_address_served(settings):
    """`make run PORT=5055`: the invitation opens on 5055, not on the default 5000; behind a
    proxy NASTAVNIK_BASE_URL decides."""
    from web.cli import served_settings

    assert served_settings(settings, "127.0.0.1", 5055, {}).base_url == "http://127.0.0.1:5055"
    public = {"NASTAVNIK_BASE_URL": "https://nastavnik.example.ru"}
    assert served_settings(settings, "127.0.0.1", 5055, public) is settings
