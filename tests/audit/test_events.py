"""The events journal: filters combine; a municipality's auditor sees all its schools and
nothing of another municipality; constant queries; XLSX with formula-safe cells."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from workflow import clock
from workflow.engine.transition import apply_event


@pytest.fixture()
def docs(rt, make_doc, actor):
    """Two school1 acts, one of school2, one of school3 (another municipality)."""
    a = make_doc("returned", title="О наставничестве в школе 1")
    b = make_doc("signed", title="О кураторе")
    c = make_doc(org="school2", author="admin2", title="Школа 2")
    apply_event(rt, c, "submit", actor("admin2"))
    foreign = make_doc(org="school3", author="admin3", title="Чужой")
    apply_event(rt, foreign, "submit", actor("admin3"))
    return a, b, c, foreign


def _get(api, user, query=""):
    return api.as_(user).get(f"/api/v1/audit/events?{query}").get_json()


def test_auditor_sees_every_school_of_the_municipality_and_nothing_else(world, docs, api):
    a, b, c, foreign = docs
    body = _get(api, "auditor", "per_page=200")
    assert body["total"] == 6 + 4 + 2 and body["page"] == 1
    docs = {i["document_id"] for i in body["items"]}
    assert docs == {a, b, c} and foreign not in docs
    orgs = {i["org_id"] for i in body["items"]}
    assert orgs == {world.orgs["school1"], world.orgs["school2"]}
    first = body["items"][0]
    assert set(first) == {"seq", "at", "org_id", "document_id", "document_title", "kind",
                          "actor_id", "actor_name", "event", "from_state", "to_state",
                          "version", "comment", "hash"}
    ats = [i["at"] for i in body["items"]]
    assert ats == sorted(ats, reverse=True)  # newest first
    # the other municipality's people see none of it
    other = _get(api, "admin3", "per_page=200")
    assert {i["document_id"] for i in other["items"]} == {foreign}


def test_filters_combine(world, docs, api):
    a, b, c, _ = docs
    signer = world.users["director1"]
    body = _get(api, "auditor", f"event=sign&actor_id={signer}")
    assert {i["document_id"] for i in body["items"]} == {a, b} and body["total"] == 2
    body = _get(api, "auditor", f"event=sign&actor_id={signer}&document_id={b}")
    assert [i["document_id"] for i in body["items"]] == [b]
    body = _get(api, "auditor", f"org_id={world.orgs['school2']}&kind=order")
    assert {i["document_id"] for i in body["items"]} == {c} and body["total"] == 2
    body = _get(api, "auditor", f"org_id={world.orgs['muni']}&event=submit")
    assert {i["document_id"] for i in body["items"]} == {a, b, c}
    body = _get(api, "auditor", "q=Доработать")
    assert [(i["document_id"], i["event"]) for i in body["items"]] == [(a, "return_for_revision")]
    body = _get(api, "auditor", f"q=Доработать&actor_id={signer}")
    assert body["total"] == 0
    today = clock.today()
    body = _get(api, "auditor", f"from={today - timedelta(days=1)}&to={today + timedelta(days=1)}"
                                f"&event=submit&org_id={world.orgs['school1']}")
    assert body["total"] == 2
    body = _get(api, "auditor", f"to={today - timedelta(days=2)}")
    assert body["total"] == 0
    sorted_by_actor = _get(api, "auditor", "sort=actor&per_page=200")["items"]
    names = [i["actor_name"] for i in sorted_by_actor]
    assert names == sorted(names)
    bad = api.as_("auditor").get("/api/v1/audit/events?sort=nonsense")
    assert bad.status_code == 400
    unseen = api.as_("auditor").get(f"/api/v1/audit/events?org_id={world.orgs['school3']}")
    assert unseen.status_code == 404


def test_paging(docs, api):
    first = _get(api, "auditor", "per_page=5&page=1")
    second = _get(api, "auditor", "per_page=5&page=2")
    assert len(first["items"]) == 5 and second["page"] == 2
    assert not {(i["org_id"], i["seq"]) for i in first["items"]} & \
        {(i["org_id"], i["seq"]) for i in second["items"]}


def test_xlsx_export_keeps_formulas_as_text(rt, world, make_doc, actor, api):
    doc = make_doc("under_municipal_review")
    apply_event(rt, doc, "return_for_revision", actor("officer"), '=HYPERLINK("http://x","y")')
    resp = api.as_("auditor").get("/api/v1/audit/events?format=xlsx")
    assert resp.status_code == 200
    sheet = load_workbook(io.BytesIO(resp.data)).active
    cells = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_events_run_a_constant_number_of_queries(rt, world, make_doc, api, count_queries):
    client = api.as_("auditor")
    make_doc("accepted")
    client.get("/api/v1/audit/events")
    with count_queries() as few:
        assert client.get("/api/v1/audit/events").status_code == 200
    for _ in range(4):
        make_doc("returned")
    with count_queries() as many:
        assert client.get("/api/v1/audit/events").status_code == 200
    assert len(few) == len(many)
