"""The «Аудит» section: who sees it, the journal, «Проверить сейчас» with the first bad event
named, the pack download, time in stage, personal-data reads and version comparison."""

import io
import re
import time
import zipfile

from sqlalchemy import text as sql

from tests.waiting import pause
from tests.web.test_ui_pages import csrf_of, text


def _wait_job(client, location: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        html = text(client.get(location))
        status = re.search(r'data-status="(\w+)"', html).group(1)
        if status in ("done", "failed"):
            return html
        pause(0.2)
    raise AssertionError("the job did not finish")


def test_school_admin_gets_403_and_no_nav_item(as_user, make_doc):
    c = as_user("admin1")
    for url in ("/audit/", "/audit/chains", "/audit/pack", "/audit/personal-data-reads",
                "/audit/time-in-stage"):
        assert c.get(url).status_code == 403, url
    assert 'href="/audit/' not in text(c.get("/"))


def test_officer_sees_time_in_stage_only(as_user, make_doc):
    c = as_user("officer")
    assert c.get("/audit/").status_code == 403
    assert c.get("/audit/time-in-stage").status_code == 200
    assert 'href="/audit/time-in-stage"' in text(c.get("/"))


def test_time_in_stage_links_only_documents_the_reader_opens(as_user, make_doc, world):
    inside = make_doc("on_approval", title="О закреплении пары Ивановой Маши")
    sent = make_doc("under_municipal_review", title="Положение о наставничестве школы")
    url = f"/audit/time-in-stage?municipality_id={world.orgs['muni']}"
    officer = text(as_user("officer").get(url))
    assert f'href="/documents/{sent}"' in officer and "Положение о наставничестве школы" in officer
    assert f'href="/documents/{inside}"' not in officer and "Ивановой" not in officer
    assert 'data-test="not-readable"' in officer  # named by its kind
    auditor = text(as_user("auditor").get(url))
    assert f'href="/documents/{inside}"' in auditor and f'href="/documents/{sent}"' in auditor


def test_journal_page_filters_and_links(as_user, make_doc, world):
    doc = make_doc("signed", title="Приказ о наставниках")
    make_doc("draft", title="Другой")
    c = as_user("auditor")
    assert 'href="/audit/"' in text(c.get("/"))
    html = text(c.get(f"/audit/?event=sign&document_id={doc}"))
    assert html.count('data-test="event-row"') == 1
    assert "Пользователь director1" in html
    assert f'href="/documents/{doc}"' in html
    assert f"/audit/documents/{doc}/compare?b=1" in html
    xlsx = c.get(f"/audit/events.xlsx?document_id={doc}")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_journal_page_runs_a_constant_number_of_queries(as_user, make_doc, count_queries):
    c = as_user("auditor")
    make_doc("accepted")
    c.get("/audit/")
    with count_queries() as few:
        assert c.get("/audit/").status_code == 200
    for _ in range(4):
        make_doc("returned")
    with count_queries() as many:
        assert c.get("/audit/").status_code == 200
    assert len(few) == len(many)


def test_verify_now_names_the_first_bad_event(as_user, make_doc, rt, world):
    make_doc("accepted")
    c = as_user("auditor")
    token = csrf_of(c, "/audit/chains")
    r = c.post("/audit/chains/verify", data={"csrf_token": token})
    assert r.status_code == 302
    html = _wait_job(c, r.headers["Location"])
    assert 'data-test="verify-ok"' in html
    chains = text(c.get("/audit/chains"))
    assert "событие 6 ·" in chains  # the verified head is kept as a checkpoint
    with rt.db.engine.begin() as conn:
        if rt.db.is_postgres:
            conn.execute(sql("SET LOCAL session_replication_role = replica"))
        conn.execute(sql("UPDATE history_events SET comment = 'подмена' WHERE seq = 3 AND "
                         "org_id = :o"), {"o": world.orgs["school1"]})
    r = c.post("/audit/chains/verify", data={"csrf_token": token, "full": "1",
                                             "org_id": world.orgs["school1"]})
    html = _wait_job(c, r.headers["Location"])
    assert 'data-test="verify-bad"' in html and "событие 3." in html


def test_pack_is_built_in_the_background_and_downloaded(as_user, make_doc, world):
    make_doc("accepted")
    c = as_user("auditor")
    token = csrf_of(c, "/audit/pack")
    r = c.post("/audit/pack", data={"csrf_token": token, "org_id": world.orgs["school1"]})
    html = _wait_job(c, r.headers["Location"])
    link = re.search(r'href="(/audit/jobs/\d+/download)"', html).group(1)
    data = c.get(link).data
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert "verify_pack.py" in zf.namelist() and "manifest.json" in zf.namelist()
    other = as_user("officer")
    assert other.get(link).status_code == 404  # a job is its requester's


def test_compare_versions_field_by_field_and_as_text(as_user, make_doc, rt, actor):
    from documents.models import Document
    from workflow.engine.authoring import update_document
    from workflow.engine.transition import apply_event

    doc = make_doc("returned")
    apply_event(rt, doc, "revise", actor("admin1"))
    with rt.db.read_session() as s:
        lock = s.get(Document, doc).lock_version
    fields = {"preamble": "В целях внедрения целевой модели наставничества",
              "clauses": [{"text": "Назначить куратора и наставников.", "executor": "Директор",
                           "term": "до 01.12.2026"}]}
    update_document(rt, actor("admin1"), doc, expected_version=lock, fields=fields)
    c = as_user("auditor")
    html = text(c.get(f"/audit/documents/{doc}/compare?a=1&b=2"))
    assert "clauses.0.text" in html and "Назначить куратора и наставников." in html
    assert 'data-tag="add"' in html and 'data-tag="del"' in html
    txt = c.get(f"/audit/documents/{doc}/compare?a=1&b=2&format=txt")
    assert txt.status_code == 200 and "+ " in txt.get_data(as_text=True)
    assert as_user("admin3").get(f"/audit/documents/{doc}/compare").status_code == 404


def test_personal_data_reads_page(as_user, rt, world, actor):
    from workflow.mentorship.register_access import log_access

    with rt.db.write_session() as s:
        log_access(s, actor("curator1"), "list_people", world.orgs["school1"], [])
        from documents.models import PersonalDataAccessLog

        s.add(PersonalDataAccessLog(actor_id=world.users["curator1"],
                                    actor_name="Пользователь curator1", action="read_person",
                                    org_id=world.orgs["school1"], person_ids=[999]))
    c = as_user("auditor")
    html = text(c.get("/audit/personal-data-reads"))
    assert "Пользователь curator1" in html and "Просмотр карточки" in html
    assert c.get("/audit/personal-data-reads?format=xlsx").data[:2] == b"PK"


def test_time_in_stage_page_runs_a_constant_number_of_queries(as_user, make_doc,
                                                              count_queries):
    c = as_user("auditor")
    make_doc("accepted")
    c.get("/audit/time-in-stage")
    with count_queries() as few:
        assert c.get("/audit/time-in-stage").status_code == 200
    for _ in range(4):
        make_doc("returned")
    with count_queries() as many:
        html = text(c.get("/audit/time-in-stage"))
    assert len(few) == len(many)
    assert 'data-test="chart"' in html and html.count("<li>") >= 5  # the slowest acts
