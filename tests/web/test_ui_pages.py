"""The HTML pages: inbox, lists, the document page, forms, actions (Flask test client)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PASSWORD

CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def csrf_of(client, url: str = "/login") -> str:
    html = client.get(url).get_data(as_text=True)
    return CSRF.search(html).group(1)


def login(client, user: str, password: str = PASSWORD):
    token = csrf_of(client, "/login")
    return client.post("/login", data={"email": f"{user}@test.local", "password": password,
                                       "csrf_token": token})


def text(response) -> str:
    return response.get_data(as_text=True)


def test_inbox_shows_what_awaits_the_director(as_user, make_doc):
    to_approve = make_doc("on_approval", title="Об утверждении положения")
    make_doc("approved", title="О назначении куратора", due=__import__("datetime").date(2020, 1, 1))
    c = as_user("director1")
    page = text(c.get("/"))
    assert "На утверждение" in page and "Об утверждении положения" in page
    assert "На подпись" in page and "О назначении куратора" in page
    assert "просрочен" in page  # overdue one in red
    assert f"/documents/{to_approve}" in page
    assert 'data-count="tasks">2<' in page


def test_inbox_of_officer_and_admin(as_user, make_doc):
    make_doc("under_municipal_review", title="На проверку")
    make_doc("returned", title="Вернули")
    make_doc("draft", title="Черновичок")
    officer = text(as_user("officer").get("/"))
    assert "На проверку в управлении" in officer and "На проверку" in officer
    assert "Черновичок" not in officer
    admin = text(as_user("admin1").get("/"))
    assert "Возвращены на доработку" in admin and "Вернули" in admin and "Черновичок" in admin


def test_notifications_listed_and_marked_read(as_user, make_doc):
    make_doc("on_approval", title="Уведомляемый")
    c = as_user("director1")
    page = text(c.get("/"))
    assert "ждёт вашего утверждения" in page
    ids = re.findall(r"/notifications/(\d+)/read", page)
    assert ids
    r = c.post(f"/notifications/{ids[0]}/read", data={"csrf_token": csrf_of(c, "/")})
    assert r.status_code == 302
    assert f"/notifications/{ids[0]}/read" not in text(c.get("/"))


def test_documents_list_filters_and_search(as_user, make_doc):
    make_doc("draft", title="Приказ об одном")
    make_doc("signed", title="Приказ о другом")
    c = as_user("admin1")
    everything = text(c.get("/documents"))
    assert "Приказ об одном" in everything and "Приказ о другом" in everything
    only = text(c.get("/documents?q=другом"))
    assert "Приказ о другом" in only and "Приказ об одном" not in only
    signed = text(c.get("/documents?state=signed"))
    assert "Приказ о другом" in signed and "Приказ об одном" not in signed
    assert c.get("/documents?state=nonsense").status_code == 400


def test_document_page_shows_card_actions_history_and_diagram(as_user, make_doc):
    doc = make_doc("on_approval")
    page = text(as_user("director1").get(f"/documents/{doc}"))
    assert "на утверждении" in page
    assert 'data-event="approve"' in page and 'data-event="reject"' in page
    assert 'id="remark-reject"' in page  # the remark dialog
    assert 'data-event="sign"' not in page
    assert "Назначить куратора." in page and "Пункты приказа" in page
    assert "wf-current" in page and 'data-state="on_approval"' in page
    assert "Отправлен на утверждение" in page
    # the browser tab names the document; the diagram is drawn once, in the page
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title and title.endswith("— Наставник")
    assert page.count('class="wf-diagram"') == 1


def test_foreign_document_is_404(as_user, make_doc):
    doc = make_doc("draft")
    assert as_user("admin2").get(f"/documents/{doc}").status_code == 404
    assert as_user("officer").get(f"/documents/{doc}").status_code == 404  # not sent yet


def test_actions_with_lock_version_and_conflict(as_user, make_doc):
    doc = make_doc("on_approval")
    c = as_user("director1")
    token = csrf_of(c, f"/documents/{doc}")
    r = c.post(f"/documents/{doc}/events/approve", data={"csrf_token": token, "lock_version": 0},
               follow_redirects=True)
    assert "Документ уже изменён" in text(r)  # stale lock_version
    page = text(c.get(f"/documents/{doc}"))
    lock = re.search(r'name="lock_version" value="(\d+)"', page).group(1)
    r = c.post(f"/documents/{doc}/events/approve", data={"csrf_token": token,
                                                         "lock_version": lock},
               follow_redirects=True)
    assert "утверждён" in text(r) and 'data-event="sign"' in text(r)


def test_remark_required_is_explained(as_user, make_doc):
    doc = make_doc("on_approval")
    c = as_user("director1")
    page = text(c.get(f"/documents/{doc}"))
    lock = re.search(r'name="lock_version" value="(\d+)"', page).group(1)
    r = c.post(f"/documents/{doc}/events/reject",
               data={"csrf_token": csrf_of(c, "/"), "lock_version": lock, "comment": " "},
               follow_redirects=True)
    assert "укажите замечание" in text(r)


def test_create_order_through_the_form_with_field_errors(as_user, world):
    c = as_user("admin1")
    url = f"/documents/new/order?org_id={world.orgs['school1']}"
    form = text(c.get(url))
    assert 'name="f-clauses-0-text"' in form and "__index__" in form
    token = CSRF.search(form).group(1)
    base = {"csrf_token": token, "title": "О внедрении", "org_id": world.orgs["school1"],
            "responsible_id": world.users["admin1"], "due": "2030-01-31",
            "f-preamble": "В целях", "f-control_clause": "Контроль оставляю за собой",
            "f-acquaintance": "Иванов И.И.\nПетров П.П.\n"}
    bad = dict(base, **{"f-clauses-0-text": "", "f-clauses-0-executor": "Директор",
                        "f-clauses-0-term": ""})
    r = c.post(url, data=bad)
    assert r.status_code == 400
    assert "не может быть пустым" in text(r)
    good = dict(base, **{"f-clauses-0-text": "Утвердить положение", "f-clauses-3-text": "Второй"})
    r = c.post(url, data=good)
    assert r.status_code == 302
    page = text(c.get(r.headers["Location"]))
    assert "Утвердить положение" in page and "Второй" in page and "Петров П.П." in page


def test_edit_form_updates_and_shows_version_diff(as_user, make_doc):
    doc = make_doc("returned")
    c = as_user("admin1")
    page = text(c.get(f"/documents/{doc}"))
    lock = re.search(r'name="lock_version" value="(\d+)"', page).group(1)
    c.post(f"/documents/{doc}/events/revise",
           data={"csrf_token": csrf_of(c, "/"), "lock_version": lock})
    form = text(c.get(f"/documents/{doc}/edit"))
    token = CSRF.search(form).group(1)
    lock = re.search(r'id="lock_version" name="lock_version" type="hidden" value="(\d+)"',
                     form).group(1)
    data = {"csrf_token": token, "lock_version": lock, "title": "О наставничестве (ред.)",
            "f-preamble": "В целях", "f-clauses-0-text": "Назначить куратора заново.",
            "f-control_clause": "Контроль", "responsible_id": "", "due": ""}
    r = c.post(f"/documents/{doc}/edit", data=data)
    assert r.status_code == 302, text(r)
    page = text(c.get(f"/documents/{doc}"))
    assert "Версия 2" in page and "Назначить куратора заново." in page
    assert "Пункты приказа › 1 › Текст пункта" in page
    # a stale form is refused with the Russian message, and so is a forged version
    r = c.post(f"/documents/{doc}/edit", data=data)
    assert r.status_code == 409 and "Документ уже изменён" in text(r)
    for forged in ("abc", "99999999999999999999", "-1"):
        r = c.post(f"/documents/{doc}/edit", data={**data, "lock_version": forged})
        assert r.status_code in (400, 409), forged  # never a 500


@pytest.mark.parametrize("kind", ["order", "regulation", "roadmap", "pair_order",
                                  "incentive_scheme", "curator_order", "programme"])
def test_every_kind_has_a_create_form_and_a_workflow_page(as_user, world, kind):
    c = as_user("admin1")
    r = c.get(f"/documents/new/{kind}?org_id={world.orgs['school1']}")
    assert r.status_code == 200 and 'name="title"' in text(r)
    r = c.get(f"/kinds/{kind}")
    assert r.status_code == 200 and "<svg" in text(r) and "stateDiagram-v2" in text(r)


def test_municipal_schools_and_profile(as_user, make_doc, world):
    make_doc("under_municipal_review")
    c = as_user("officer")
    page = text(c.get("/schools"))
    assert "Школа №\u00a01" in page and "Школа №\u00a02" in page  # «№» with its number
    school = text(c.get(f"/schools/{world.orgs['school1']}"))
    assert "О наставничестве" in school
    assert c.get(f"/schools/{world.orgs['school3']}").status_code == 404
    profile = text(c.get("/profile"))
    assert "специалист управления образования" in profile and "Тестовый муниципальный" in profile


def test_auditor_sees_history_and_chain(as_user, make_doc):
    doc = make_doc("accepted")
    page = text(as_user("auditor").get(f"/documents/{doc}"))
    assert "Цепочка истории цела" in page
    assert 'data-event="accept"' in page  # the history timeline item
    assert "<form method=\"post\" action=\"/documents/" not in page.split("data-test=\"actions\"")[1][:300]


def test_language_switch_to_english(as_user):
    c = as_user("director1")
    c.post("/language", data={"lang": "en", "csrf_token": csrf_of(c, "/"), "next": "/"})
    page = text(c.get("/"))
    assert "My tasks" in page


def test_render_failure_shown_with_retry(as_user, make_doc, rt):
    from sqlalchemy import update

    from documents.models import DocumentVersion
    from documents.models.document import RenderStatus

    doc = make_doc("draft")
    with rt.db.write_session() as s:
        s.execute(update(DocumentVersion).where(DocumentVersion.document_id == doc).values(
            render_status=RenderStatus.failed, render_error="шаблон повреждён",
            file_key=None))
    c = as_user("admin1")
    page = text(c.get(f"/documents/{doc}"))
    assert "шаблон повреждён" in page and "Сформировать заново" in page
    r = c.post(f"/documents/{doc}/render", data={"csrf_token": csrf_of(c, "/")},
               follow_redirects=True)
    assert r.status_code == 200 and 'data-status="ready"' in text(r)


def test_the_menu_tells_a_screen_reader_which_section_is_open(as_user):
    page = text(as_user("director1").get("/documents"))
    current = re.findall(r'<a class="nav-link[^"]*" aria-current="page" href="([^"]+)"', page)
    assert current == ["/documents"]
