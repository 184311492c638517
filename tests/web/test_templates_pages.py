"""The templates page: templates in force per kind, an upload form with CSRF that shows the
refusal in Russian next to the file field, and a preview of a kind on sample data."""

from __future__ import annotations

import io

from tests.documents.test_docx_validate import base_docx
from tests.web.test_ui_pages import csrf_of, login, text
from tests.workflow.test_templates import custom_template


def logged_in(app, user):
    c = app.test_client()
    assert login(c, user).status_code == 302
    return c


def post_upload(c, org_id, data, kind="order", csrf=True):
    form = {"kind": kind, "org_id": str(org_id), "file": (io.BytesIO(data), "мой.docx")}
    if csrf:
        form["csrf_token"] = csrf_of(c, f"/templates/?org_id={org_id}")
    return c.post(f"/templates/?org_id={org_id}", data=form, content_type="multipart/form-data")


def test_page_lists_builtin_templates_and_shows_the_upload_form_to_admins(app, world):
    c = logged_in(app, "sysadmin")
    page = text(c.get(f"/templates/?org_id={world.orgs['school1']}"))
    assert "Шаблоны документов" in page and page.count('text-bg-secondary">встроенный') == 7
    assert 'enctype="multipart/form-data"' in page and 'name="csrf_token"' in page
    assert "Предпросмотр" in page
    # a director sees the templates but no upload form
    d = logged_in(app, "director1")
    page = text(d.get("/templates/"))
    assert "встроенный" in page and 'type="file"' not in page


def test_upload_through_the_form_then_it_is_in_force(app, world):
    c = logged_in(app, "sysadmin")
    resp = post_upload(c, world.orgs["school1"], custom_template("order", "ИЗ-ФОРМЫ"))
    assert resp.status_code == 302, text(resp)
    page = text(c.get(resp.headers["Location"]))
    assert "мой.docx" in page and "загружен организацией" in page
    preview = text(c.get(f"/templates/preview?kind=order&org_id={world.orgs['school1']}"))
    assert "ИЗ-ФОРМЫ" in preview and "<script" not in preview.split("<main", 1)[1].split(
        "</main>")[0]


def test_refusal_is_shown_next_to_the_field(app, world):
    c = logged_in(app, "sysadmin")
    resp = post_upload(c, world.orgs["school1"], base_docx("{{ pupil_passport }}"))
    assert resp.status_code == 422
    page = text(resp)
    assert 'data-test="upload-error"' in page and "pupil_passport" in page
    assert "неизвестные переменные" in page
    resp = post_upload(c, world.orgs["school1"], base_docx("{{ cycler.__init__.__globals__ }}"))
    assert resp.status_code == 422 and 'data-test="upload-error"' in text(resp)


def test_upload_needs_csrf_and_an_admin(app, world):
    c = logged_in(app, "sysadmin")
    assert post_upload(c, world.orgs["school1"], custom_template(), csrf=False).status_code == 400
    d = logged_in(app, "director1")
    resp = post_upload(d, world.orgs["school1"], custom_template())
    assert resp.status_code == 403 and "администратор" in text(resp)
    foreign = logged_in(app, "admin3")
    assert post_upload(foreign, world.orgs["school1"], custom_template()).status_code == 404
    assert foreign.get(f"/templates/?org_id={world.orgs['school1']}").status_code == 404


def test_preview_of_a_builtin_kind_on_sample_data(app, world):
    c = logged_in(app, "director1")
    for kind in ("order", "pair_order", "roadmap"):
        page = text(c.get(f"/templates/preview?kind={kind}&org_id={world.orgs['school1']}"))
        assert 'data-test="preview"' in page, kind
        # the sample organisation; «№» is joined to its number by a no-break space (typography)
        assert "Средняя общеобразовательная школа №\u00a01" in page, kind
    assert c.get(f"/templates/preview?kind=memo&org_id={world.orgs['school1']}").status_code == 400


def test_anonymous_is_sent_to_login(client):
    resp = client.get("/templates/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
