"""Time in stage on hand-made histories with known durations: exact medians and maxima."""

from datetime import timedelta

from openpyxl import load_workbook

from workflow import clock
from workflow.engine.transition import apply_event

DAY = timedelta(days=1)


def _walk(rt, actor, doc_id, steps):
    """Fire (day offset, user, event) with the product clock moved to that day."""
    for day, user, event in steps:
        with clock.shifted(timedelta(days=-40) + day * DAY):
            apply_event(rt, doc_id, event, actor(user), "Доработать" if "return" in event else "")


def _histories(rt, world, make_doc, actor):
    with clock.shifted(timedelta(days=-40)):
        a, b, c = make_doc(), make_doc(), make_doc(kind="order", title="Третий")
        foreign = make_doc(org="school3", author="admin3")
    _walk(rt, actor, a, [(0, "admin1", "submit"), (2, "director1", "approve"),
                         (3, "director1", "sign"), (3, "admin1", "send_to_municipality"),
                         (8, "officer", "accept")])
    _walk(rt, actor, b, [(0, "admin1", "submit"), (4, "director1", "approve"),
                         (4, "director1", "sign"), (4, "admin1", "send_to_municipality"),
                         (5, "officer", "accept")])
    _walk(rt, actor, c, [(0, "admin1", "submit"), (3, "director1", "approve"),
                         (3.5, "director1", "sign")])
    _walk(rt, actor, foreign, [(0, "admin3", "submit")])
    return a, b, c


def test_medians_and_maxima_are_exact(rt, world, make_doc, actor, api):
    _histories(rt, world, make_doc, actor)
    body = api.as_("auditor").get(
        f"/api/v1/reports/time-in-stage?municipality_id={world.orgs['muni']}").get_json()
    rows = {r["state"]: r for r in body["rows"]}
    assert set(rows) == {"on_approval", "approved", "under_municipal_review"}
    assert all(r["org_id"] == world.orgs["school1"] and r["kind"] == "order"
               for r in body["rows"])  # nothing of school3 (another municipality)
    assert (rows["on_approval"]["documents"], rows["on_approval"]["median_days"],
            rows["on_approval"]["max_days"]) == (3, 3.0, 4.0)
    assert (rows["approved"]["median_days"], rows["approved"]["max_days"]) == (0.5, 1.0)
    assert (rows["under_municipal_review"]["documents"],
            rows["under_municipal_review"]["median_days"],
            rows["under_municipal_review"]["max_days"]) == (2, 3.0, 5.0)


def test_period_counts_stays_that_started_in_it(rt, world, make_doc, actor, api):
    _histories(rt, world, make_doc, actor)
    # the period begins at the midnight before day 4 (after day 3's events, at any hour)
    start = clock.local_date(clock.now() - timedelta(days=40) + 4 * DAY)
    body = api.as_("officer").get(
        f"/api/v1/reports/time-in-stage?municipality_id={world.orgs['muni']}"
        f"&from={start.isoformat()}").get_json()
    states = {(r["state"], r["documents"]) for r in body["rows"]}
    assert ("on_approval", 1) not in states and ("under_municipal_review", 1) in states


def test_xlsx_and_who_may_read_it(rt, world, make_doc, actor, api):
    _histories(rt, world, make_doc, actor)
    muni = world.orgs["muni"]
    resp = api.as_("auditor").get(f"/api/v1/reports/time-in-stage?municipality_id={muni}"
                                  "&format=xlsx")
    assert resp.status_code == 200
    import io

    sheet = load_workbook(io.BytesIO(resp.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][4] == "Медиана, дней" and any(r[4] == 3.0 for r in values[1:])
    assert api.as_("director1").get(
        f"/api/v1/reports/time-in-stage?municipality_id={muni}").status_code == 404
    assert api.as_("head").get(
        f"/api/v1/reports/time-in-stage?municipality_id={muni}").status_code == 403
    assert api.as_("officer2").get(
        f"/api/v1/reports/time-in-stage?municipality_id={muni}").status_code == 404


def test_report_runs_a_constant_number_of_queries(rt, world, make_doc, actor, api,
                                                  count_queries):
    client = api.as_("auditor")
    url = f"/api/v1/reports/time-in-stage?municipality_id={world.orgs['muni']}"
    make_doc("accepted")
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for _ in range(4):
        make_doc("returned")
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(few) == len(many)
