"""Approve from e-mail (issue 13): the «ждёт вашего решения» e-mail carries a one-time link;
the link opens a confirmation page on a phone (nothing happens on GET), works once, only for
its person and only for the version it was sent for."""

from __future__ import annotations

import dataclasses
import hashlib
import re

import pytest
from sqlalchemy import select

from documents.models import Document, OutboxItem
from documents.models.approval_link import ApprovalLink
from tests.conftest import PASSWORD
from tests.web.test_browser_chain import Person, browser, live_server  # noqa: F401
from workflow.engine.authoring import update_document
from workflow.engine.transition import apply_event
from workflow.notify import approval_links, approval_mail

pytestmark = pytest.mark.browser


def _token(rt, world, doc_id: int, user: str = "director1", event: str = "approve") -> str:
    with rt.db.write_session() as s:
        return approval_links.issue(s, world.users[user], s.get(Document, doc_id), event)


def _login_via(person: Person, url: str) -> None:
    page = person.page
    page.goto(url)
    page.fill("#email", f"{person.user}@test.local")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():  # the page after the login, not the login form
        page.click("button[type=submit]")


def test_director_approves_from_the_email_link_once(live_server, browser, rt,  # noqa: F811
                                                     world, make_doc):
    doc = make_doc("on_approval", title="О наставничестве в 7Б классе")
    token = _token(rt, world, doc)
    phone = Person(browser, live_server, "director1", viewport=(390, 844))
    _login_via(phone, f"{live_server}/a/{token}")  # the login brings them back to the link
    page = phone.page
    box = page.inner_text("[data-test=link-confirm]")
    assert "Утвердить?" in box and "О наставничестве в 7Б классе" in box
    with rt.db.read_session() as s:
        assert s.get(Document, doc).state.value == "on_approval"  # GET did nothing
    assert page.evaluate("document.documentElement.scrollWidth <= "
                         "document.documentElement.clientWidth")
    phone.shot("issue13-email-link-390")
    page.click("[data-test=link-go]")
    page.wait_for_selector(".alert-success")
    assert "утверждён" in page.inner_text(".state-badge")
    page.goto(f"{live_server}/a/{token}")  # a second use
    assert "уже использована" in page.inner_text("[data-test=link-refused]")
    phone.errors.clear()  # the refusal page is answered 422, as it should
    phone.close()


def test_link_is_for_its_person_and_version_only(live_server, browser, rt, world,  # noqa: F811
                                                 make_doc, actor):
    doc = make_doc("on_approval", title="О кураторе")
    token = _token(rt, world, doc)
    other = Person(browser, live_server, "director2")
    _login_via(other, f"{live_server}/a/{token}")
    assert "другому пользователю" in other.page.inner_text("[data-test=link-refused]")
    other.errors.clear()
    other.close()
    apply_event(rt, doc, "reject", actor("director1"), "Доработать")
    update_document(rt, actor("admin1"), doc, expected_version=2, title="О кураторе (ред.)")
    apply_event(rt, doc, "submit", actor("admin1"))
    director = Person(browser, live_server, "director1")
    _login_via(director, f"{live_server}/a/{token}")
    assert "изменился" in director.page.inner_text("[data-test=link-refused]")
    director.page.goto(f"{live_server}/a/{'x' * 43}")
    assert "не найдена" in director.page.inner_text("[data-test=link-refused]")
    director.errors.clear()
    director.close()
    with rt.db.read_session() as s:
        assert s.get(Document, doc).state.value == "on_approval"


def test_decision_email_carries_links_and_stores_only_hashes(rt, world, make_doc,
                                                             monkeypatch):
    doc = make_doc("on_approval", title="О наставничестве")
    sent: list[tuple] = []
    monkeypatch.setattr(approval_mail, "send_mail",
                        lambda settings, to, subject, body: sent.append((to, subject, body))
                        or len(to))
    fake = dataclasses.replace(rt.settings, smtp_host="smtp.test", base_url="https://n.test")
    with rt.db.write_session() as s:
        item = s.scalars(select(OutboxItem).where(OutboxItem.document_id == doc,
                                                  OutboxItem.effect == "notify")).first()
        assert approval_mail.send_decision_mail(
            type("Rt", (), {"settings": fake})(), s, item) == 1
    (to, subject, body), = sent
    assert to == ["director1@test.local"] and "Ждёт вашего решения" in subject
    token = re.search(r"Утвердить: https://n\.test/a/([\w-]+)", body).group(1)
    assert len(token) >= 22  # ≥ 128 bits
    assert f"Открыть: https://n.test/documents/{doc}" in body
    with rt.db.read_session() as s:
        stored = s.scalars(select(ApprovalLink.token_sha256)).all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()] and token not in stored
