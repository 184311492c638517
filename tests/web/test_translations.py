"""The English interface: every string the source marks for translation has an English
catalogue entry (read from the current source, so a new _() without a translation fails
here by name), and the pages a user switches to English speak English."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.web.test_ui_pages import csrf_of, text

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "web" / "translations" / "en" / "LC_MESSAGES"
#: what `make translations` passes to pybabel: the default keywords and lazy_gettext as _l
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")
FIX = "run `make translations` and fill the msgstr in web/translations/en/LC_MESSAGES/messages.po"


def _web_or_workflow(path: str) -> bool:
    """web/ (its strings) and workflow/ (its refusals, web/babel_refusals.py)."""
    rel = os.path.relpath(path, ROOT)
    name = os.path.basename(path)
    return (rel in ("web", "workflow") or rel.startswith(("web" + os.sep, "workflow" + os.sep))
            ) and not name.startswith((".", "_"))


def source_messages() -> dict[str, list[str]]:
    """msgid → where it is used, extracted now from web/ and workflow/ the way babel.cfg
    says."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, directory_filter=_web_or_workflow):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


def _has_translation(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(message) and all(strings)


def _report(ids: list[str], found: dict[str, list[str]]) -> str:
    return "\n".join(f"  {m!r}  ({', '.join(found[m][:2])})" for m in sorted(ids))


@pytest.fixture(scope="module")
def found() -> dict[str, list[str]]:
    messages = source_messages()
    assert len(messages) > 300, "the extraction found almost nothing: babel.cfg or keywords?"
    return messages


@pytest.fixture(scope="module")
def po():
    with open(CATALOGUE / "messages.po", "rb") as f:
        return read_po(f, locale="en")


def test_every_message_in_the_source_has_an_english_translation(found, po):
    missing = [m for m in found if po.get(m) is None or not _has_translation(po.get(m))]
    assert not missing, (f"{len(missing)} message(s) have no English translation ({FIX}):\n"
                         + _report(missing, found))


def test_compiled_catalogue_matches_the_po(found, po):
    """The app reads the .mo: a translation that is only in the .po is not on the pages."""
    with open(CATALOGUE / "messages.mo", "rb") as f:
        mo = read_mo(f)
    stale = [m for m in found if po.get(m) is not None and _has_translation(po.get(m))
             and (mo.get(m) is None or mo.get(m).string != po.get(m).string)]
    assert not stale, (f"{len(stale)} translation(s) missing from messages.mo "
                       "(run `make translations`):\n" + _report(stale, found))


def test_no_fuzzy_entries_and_placeholders_kept(po):
    fuzzy = [m.id for m in po if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy (unchecked) translations: {fuzzy}"
    broken = []
    for m in po:
        if not m.id or not m.string:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = set(PLACEHOLDER.findall(ids[0]))
        broken += [(ids[0], s) for s in strings if set(PLACEHOLDER.findall(s)) != wanted]
    assert not broken, f"translations that lost or renamed a %(name)s placeholder: {broken}"


# --- pages --------------------------------------------------------------------------------


def switch_to_english(client, page: str = "/") -> None:
    r = client.post("/language", data={"lang": "en", "csrf_token": csrf_of(client, page),
                                       "next": page})
    assert r.status_code == 302


def _russian_ui_phrases(po) -> list[str]:
    """The catalogue's multi-word Russian phrases (single words could be someone's data)."""
    return [m.id for m in po if isinstance(m.id, str) and " " in m.id and "%(" not in m.id
            and re.search("[а-яё]", m.id, re.IGNORECASE)]


def test_login_page_in_english(app):
    c = app.test_client()
    assert "Вход в «Наставник»" in text(c.get("/login"))
    switch_to_english(c, "/login")
    page = text(c.get("/login"))
    assert '<html lang="en">' in page
    for english in ("Log in to Nastavnik", "E-mail", "Password", "Forgot your password?"):
        assert english in page
    assert "Вход в «Наставник»" not in page and "Забыли пароль?" not in page


def test_my_tasks_in_english(as_user, make_doc, po):
    make_doc("on_approval", title="Об утверждении положения")
    make_doc("on_approval", title="О назначении куратора")
    c = as_user("director1")
    assert "Мои задачи" in text(c.get("/"))
    switch_to_english(c)
    page = text(c.get("/"))
    assert '<html lang="en">' in page
    for english in ("My tasks", "To approve", "Approve selected", "Notification archive"):
        assert english in page
    assert "Мои задачи" not in page and "На утверждение" not in page
    left = [p for p in _russian_ui_phrases(po) if p in page]
    assert not left, f"Russian interface phrases on the English page: {left}"
    # the choice is kept for the next pages of the session and can be undone
    assert "My tasks" in text(c.get("/profile"))
    c.post("/language", data={"lang": "ru", "csrf_token": csrf_of(c, "/"), "next": "/"})
    assert "Мои задачи" in text(c.get("/"))


def test_bulk_approval_counts_documents_in_english(as_user, make_doc):
    docs = [make_doc("on_approval", title=f"Приказ {n}") for n in (1, 2)]
    c = as_user("director1")
    switch_to_english(c)
    page = text(c.post("/bulk/approve/confirm", data={
        "csrf_token": csrf_of(c, "/"), "doc": [f"{d}:" for d in docs]}))
    assert "Approve — 2\u00a0documents?" in page
    assert "документ" not in page


@pytest.mark.parametrize(("n", "english", "russian"), [
    (1, "1 document", "1 документ"), (2, "2 documents", "2 документа"),
    (5, "5 documents", "5 документов"), (21, "21 documents", "21 документ"),
])
def test_counted_words_follow_the_language(app, n, english, russian):
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from web.views.formatting import plural

    with app.test_request_context():
        for locale, expected in (("en", english), ("ru", russian)):
            with force_locale(locale):
                words = _("документ"), _("документа"), _("документов")
                assert plural(n, *words) == expected.replace(" ", "\u00a0")


def test_document_pages_in_english(as_user, make_doc, po):
    doc = make_doc("signed", title="О закреплении наставнических пар")
    c = as_user("director1")
    switch_to_english(c)
    page = text(c.get(f"/documents/{doc}"))
    for english in ("Registration card", "History", "Versions and changes"):
        assert english in page
    card = text(c.get(f"/documents/{doc}/card"))
    for english in ("Registration card", "Reg. no. and date", "Executor (author)", "Progress"):
        assert english in card
    assert "Регистрационно-контрольная карточка" not in card
    journal = text(c.get("/journal"))
    assert "Registration journal" in journal and "Reg. no." in journal
    for url, html in ((f"/documents/{doc}", page), (f"/documents/{doc}/card", card),
                      ("/journal", journal)):
        left = [p for p in _russian_ui_phrases(po) if p in html]
        assert not left, f"Russian interface phrases on the English {url}: {left}"


def test_audit_pages_in_english(as_user, make_doc):
    make_doc("accepted")
    c = as_user("auditor")
    switch_to_english(c)
    events = c.get("/audit/", follow_redirects=True)
    assert events.status_code == 200
    page = text(events)
    for english in ("Audit", "Event log", "History chains", "Events found:", "newest first",
                    "Accepted by the education office"):
        assert english in page
    assert "Журнал событий" not in page
    assert "Принят управлением образования" not in page  # neither in the rows nor the filter


@pytest.mark.parametrize(("user", "url", "english", "russian"), [
    ("admin1", "/registers/", ("Registers", "Personal data consent", "student", ">Mentor<"),
     ("Согласие на ПДн", "обучающийся", "Добавить", ">Наставник<")),
    ("officer", "/compliance/", ("Schools × checkpoints", "Incentive scheme"),
     ("Школы × контрольные точки", "Положение о мотивации", "черновик")),
    ("admin1", "/roadmaps/", ("Roadmaps",), ("Дорожные карты",)),
    ("admin1", "/templates/", ("Templates",), ("Шаблоны документов",)),
    ("sysadmin", "/admin/", ("Organisations", "Action log"), ("Организации", "Журнал действий")),
    ("sysadmin", "/admin/users", ("Users", "School administrator"),
     ("Пользователи", "Администратор школы")),
    ("sysadmin", "/admin/log", ("Action log", "role grant", "organisation"),
     ("Журнал действий", "выдача роли", "организация")),
])
def test_registers_compliance_roadmaps_and_administration_in_english(as_user, user, url,
                                                                     english, russian):
    c = as_user(user)
    switch_to_english(c)
    response = c.get(url, follow_redirects=True)
    assert response.status_code == 200
    page = text(response)
    for word in english:
        assert word in page, f"{url}: «{word}» missing"
    for word in russian:
        assert word not in page, f"{url}: «{word}» on the English page"


@pytest.mark.parametrize(("copy", "source"), [
    ("CHECKPOINTS", "workflow.compliance.matrix:CHECKPOINT_TITLES"),
    ("CHECKPOINT_STATES", "workflow.compliance.matrix:STATE_TITLES"),
    ("CATEGORIES", "workflow.mentorship.registers:CATEGORY_TITLES"),
    ("PAIR_STATUSES", "workflow.mentorship.pairs:STATUS_TITLES"),
    ("ADMIN_ROLES", "workflow.engine.permissions:ROLE_TITLES"),
    ("ROADMAP_STATUSES", "workflow.roadmaps.status:STATUS_RU"),
    ("ADMIN_LOG_ACTIONS", "workflow.admin.log:ACTIONS"),
    ("ADMIN_LOG_OBJECTS", "workflow.admin.log:OBJECT_KINDS"),
    ("ADMIN_LOG_DETAILS", "workflow.admin.log:DETAIL_LABELS"),
    ("ADMIN_LOG_ORG_KINDS", "workflow.admin.log:ORG_KINDS"),
    ("HISTORY", "workflow.engine.transition:EVENT_TITLES"),
])
def test_the_webs_labels_say_in_russian_what_the_workflow_says(app, copy, source):
    # the pages name these through web/views/labels.py (translatable); the files and exports
    # through the workflow's own titles: both must stay the same words in Russian
    import importlib

    from flask_babel import force_locale

    from web.views import labels

    module, name = source.split(":")
    titles = getattr(importlib.import_module(module), name)
    with app.test_request_context(), force_locale("ru"):
        assert {k: str(v) for k, v in getattr(labels, copy).items()} == dict(titles)


def test_what_the_administration_pages_report_is_said_in_english(as_user):
    c = as_user("sysadmin")
    switch_to_english(c)
    token = csrf_of(c, "/admin/orgs/new")
    created = c.post("/admin/orgs/new", follow_redirects=True, data={
        "csrf_token": token, "name": "МБОУ «Средняя школа № 12»", "short_name": "СШ № 12",
        "founder": "", "place": "", "head_name": "Кленова Ольга Ивановна",
        "head_position": "Директор", "inn": "", "address": ""})
    page = text(created)
    assert "School «СШ № 12» is created. Now add its staff." in page
    assert "создана" not in page


def test_a_refusal_speaks_the_page_language(as_user):
    """A use case refuses in Russian (the API's words); an English page shows the catalogue's
    English sentence, a Russian page the use case's own."""
    c = as_user("director1")
    russian = c.get("/audit/")
    assert russian.status_code == 403 and "Раздел доступен только аудитору." in text(russian)
    switch_to_english(c)
    english = c.get("/audit/")
    assert english.status_code == 403
    assert "This section is open to auditors only." in text(english)
    assert "аудитору" not in text(english)


def test_a_refusal_with_values_speaks_the_page_language(as_user, world):
    """A refusal that names a value (an e-mail, a journal's code) is translated as a template
    with the same values."""
    c = as_user("sysadmin")
    school1 = world.orgs["school1"]
    switch_to_english(c, "/admin/users/new")
    token = csrf_of(c, "/admin/users/new")
    bad = c.post("/admin/users/new", data={
        "csrf_token": token, "email": "curator1@test.local", "full_name": "Другой",
        "position": "", "org_id": school1, "role": "curator"})
    assert bad.status_code == 400
    assert "A user with e-mail curator1@test.local already exists." in text(bad)
    assert "уже есть" not in text(bad)
    journals = c.post(f"/admin/journals?org_id={school1}", data={
        "csrf_token": token, "code": ["od"], "title_od": "Приказы", "suffix_od": "- од",
        "next_number_od": "1"})
    assert "Journal od: the suffix is up to 20 characters without spaces." in text(journals)


@pytest.mark.parametrize(("user", "url", "english", "russian"), [
    ("sysadmin", "/admin/users/new", ("E-mail (login)", "Full name"),
     ("Электронная почта", "ФИО")),
    ("sysadmin", "/admin/orgs/new", ("Short name", "Place of issue (town, settlement)"),
     ("Краткое наименование", "Должность руководителя")),
    ("sysadmin", "/templates/", ("Template file (.docx)",), ("Файл шаблона",)),
])
def test_form_labels_in_english(as_user, user, url, english, russian):
    c = as_user(user)
    switch_to_english(c, url)
    page = text(c.get(url))
    for word in english:
        assert word in page, f"{url}: «{word}» missing"
    for word in russian:
        assert word not in page, f"{url}: «{word}» on the English page"
