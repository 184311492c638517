"""The approval pages as people use them: the stepper on a document, the protocol form, the
route editor, «Утвердить приказом» and «И. о.»."""

import re
from datetime import timedelta

from workflow import clock

SECTIONS = {"sections": [{"title": "Общие положения", "text": "Текст."}]}


def _login(app, world, user):
    from tests.web.test_ui_pages import login

    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_secretary_records_the_protocol_and_the_stepper_moves(app, world, make_doc):
    doc = make_doc("on_approval", kind="regulation", fields=SECTIONS)
    admin = _login(app, world, "admin1")
    page = admin.get(f"/documents/{doc}").get_data(as_text=True)
    assert 'data-test="route"' in page and 'data-test="protocol-form"' in page
    lock = re.search(r'name="lock_version" value="(\d+)"', page).group(1)
    day = clock.today().strftime("%d.%m.%Y")
    admin.post(f"/documents/{doc}/protocol", data={
        "csrf_token": _csrf(page), "lock_version": lock, "number": "4", "date": day,
        "decision": "approved", "file": (__import__("io").BytesIO(b"not a scan"), "x.pdf")},
        content_type="multipart/form-data")
    page = admin.get(f"/documents/{doc}").get_data(as_text=True)
    assert "PDF, JPEG или PNG" in page  # refused by content, nothing recorded
    assert page.count('data-status="done"') == 0
    admin.post(f"/documents/{doc}/protocol", data={
        "csrf_token": _csrf(page), "lock_version": lock, "number": "4", "date": day,
        "decision": "approved"})
    page = admin.get(f"/documents/{doc}").get_data(as_text=True)
    assert page.count('data-status="done"') == 1 and "№ 4" in page
    director = _login(app, world, "director1").get(f"/documents/{doc}").get_data(as_text=True)
    assert 'data-event="approve"' not in director  # the trade union's turn


def test_route_editor_saves_a_stage(app, world):
    director = _login(app, world, "director1")
    page = director.get(f"/approval-routes?org_id={world.orgs['school1']}&kind=order"
                        ).get_data(as_text=True)
    assert 'data-test="default-route"' in page
    resp = director.post("/approval-routes", data={
        "csrf_token": _csrf(page), "org_id": world.orgs["school1"], "kind": "order",
        "rows": "2", "s0-title": "Заместители", "s0-mode": "n_of_m", "s0-n": "1",
        "s0-roles": ["curator", "school_admin"], "s0-due_days": "3",
        "s1-title": "Директор", "s1-mode": "any", "s1-roles": ["director"]})
    assert resp.status_code == 302
    page = director.get(resp.headers["Location"]).get_data(as_text=True)
    assert 'data-test="default-route"' not in page and 'value="Заместители"' in page
    curator = _login(app, world, "curator1")
    assert curator.get("/approval-routes").status_code == 403


def test_approve_by_order_and_substitution_pages(app, world, make_doc):
    doc = make_doc("approved", kind="programme", fields=SECTIONS,
                   title="Программа наставничества")
    admin = _login(app, world, "admin1")
    page = admin.get(f"/documents/{doc}").get_data(as_text=True)
    resp = admin.post(f"/documents/{doc}/approving-order", data={"csrf_token": _csrf(page)})
    order_page = admin.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Об утверждении Программы наставничества" in order_page
    assert 'data-test="appendices"' in order_page
    director = _login(app, world, "director1")
    page = director.get("/substitutions").get_data(as_text=True)
    today = clock.today()
    director.post(f"/substitutions?org_id={world.orgs['school1']}", data={
        "csrf_token": _csrf(page), "absent_id": world.users["director1"],
        "deputy_id": world.users["curator1"], "start": today.strftime("%d.%m.%Y"),
        "end": (today + timedelta(days=7)).strftime("%d.%m.%Y"), "reason": "Отпуск"})
    page = director.get(f"/substitutions?org_id={world.orgs['school1']}").get_data(as_text=True)
    assert "table-warning" in page and "Пользователь curator1" in page


def test_forged_numbers_in_the_approval_forms_are_refused_not_crashed(app, world):
    director = _login(app, world, "director1")
    school = world.orgs["school1"]
    page = director.get(f"/substitutions?org_id={school}").get_data(as_text=True)
    for end_id in ("abc", "1e400", "☃"):
        resp = director.post(f"/substitutions?org_id={school}",
                             data={"csrf_token": _csrf(page), "end_id": end_id})
        assert resp.status_code == 404, end_id
    for rows in ("abc", "99999999999999999999", "-5"):  # never an endless loop either
        resp = director.post("/approval-routes", data={
            "csrf_token": _csrf(page), "org_id": school, "kind": "order", "rows": rows})
        assert resp.status_code in (302, 400, 422), rows
