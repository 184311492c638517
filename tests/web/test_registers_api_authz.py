"""Rows of the written authorization matrix for the registers, pairs, indicators and
compliance routes (merged into tests/web/authz_table.py by ``TABLE.update(REGISTER_ROWS)``),
and a check of them on their own. Requests change nothing: unknown ids, invalid bodies."""

from __future__ import annotations

from datetime import timedelta

from tests.web.authz_users import row
from tests.workflow.test_pairs_factories import reference  # noqa: F401 - fixture
from workflow import clock

NONE = 999_999
#: school keepers (school_admin, curator, director of school1) / municipality readers
SCHOOL_READERS = row(200, head=404, admin3=404, officer2=404, anon=401)
KEEPERS_WRITE = row(404, officer=403, auditor=403, sysadmin=403, anon=401)
ALL_404 = row(404, anon=401)
COMPLIANCE = row(404, officer=200, auditor=200, sysadmin=200, head=200, anon=401)

REGISTER_ROWS = {
    ("GET", "/api/v1/reference/forms"): (lambda c: "/api/v1/reference/forms", None,
                                         row(200, anon=401)),
    ("GET", "/api/v1/reference/role-models"): (lambda c: "/api/v1/reference/role-models", None,
                                               row(200, anon=401)),
    ("POST", "/api/v1/people"): (
        lambda c: "/api/v1/people",
        lambda c: {"org_id": c["school1"], "full_name": "", "category": "teacher"},
        {**KEEPERS_WRITE, "admin1": 400, "curator1": 400, "director1": 400}),
    ("GET", "/api/v1/people"): (lambda c: f"/api/v1/people?org_id={c['school1']}", None,
                                SCHOOL_READERS),
    ("GET", "/api/v1/people/<int:person_id>"): (lambda c: f"/api/v1/people/{NONE}", None,
                                                ALL_404),
    ("POST", "/api/v1/people/<int:person_id>/requests"): (
        lambda c: f"/api/v1/people/{NONE}/requests", {"text": "запрос"}, ALL_404),
    # no file: a malformed request for everyone who is logged in
    ("POST", "/api/v1/people/import"): (lambda c: "/api/v1/people/import", None,
                                        row(400, anon=401)),
    ("GET", "/api/v1/people/export.xlsx"): (
        lambda c: f"/api/v1/people/export.xlsx?org_id={c['school1']}", None, SCHOOL_READERS),
    ("POST", "/api/v1/consents"): (
        lambda c: "/api/v1/consents", {"person_id": NONE, "kind": "personal_data",
                                       "signed_by": "self",
                                       "signed_on": str(clock.today() - timedelta(days=30))},
        ALL_404),
    ("POST", "/api/v1/consents/<int:consent_id>/revoke"): (
        lambda c: f"/api/v1/consents/{NONE}/revoke", {}, ALL_404),
    ("POST", "/api/v1/pairs"): (
        lambda c: "/api/v1/pairs",
        lambda c: {"org_id": c["school1"], "mentor_id": NONE, "mentee_ids": [NONE - 1],
                   "form": "teacher_teacher", "start": "2026-01-01", "end": "2026-02-01"},
        KEEPERS_WRITE),
    # pairs name minors: their school and the auditor only
    ("GET", "/api/v1/pairs"): (lambda c: f"/api/v1/pairs?org_id={c['school1']}", None,
                               row(404, admin1=200, curator1=200, director1=200, auditor=200,
                                   anon=401)),
    ("GET", "/api/v1/pairs/<int:pair_id>"): (lambda c: f"/api/v1/pairs/{NONE}", None, ALL_404),
    ("POST", "/api/v1/pairs/<int:pair_id>/finish"): (lambda c: f"/api/v1/pairs/{NONE}/finish",
                                                     {}, ALL_404),
    ("POST", "/api/v1/pairs/<int:pair_id>/cancel"): (lambda c: f"/api/v1/pairs/{NONE}/cancel",
                                                     {}, ALL_404),
    ("GET", "/api/v1/schools/<int:org_id>/mentorship-settings"): (
        lambda c: f"/api/v1/schools/{c['school1']}/mentorship-settings", None, SCHOOL_READERS),
    ("PATCH", "/api/v1/schools/<int:org_id>/mentorship-settings"): (
        lambda c: f"/api/v1/schools/{c['school1']}/mentorship-settings",
        {"mentor_load_limit": 0},
        row(400, officer=403, auditor=403, sysadmin=403, head=404, admin3=404, officer2=404,
            anon=401)),
    ("GET", "/api/v1/indicators"): (
        lambda c: f"/api/v1/indicators?org_id={c['school1']}&year=2026", None, SCHOOL_READERS),
    ("POST", "/api/v1/indicators"): (
        lambda c: "/api/v1/indicators",
        lambda c: {"org_id": c["school1"], "year": 1800, "code": "student_coverage"},
        row(400, officer=403, auditor=403, sysadmin=403, head=404, admin3=404, officer2=404,
            anon=401)),
    ("POST", "/api/v1/indicators/from-roadmap"): (
        lambda c: "/api/v1/indicators/from-roadmap", {"roadmap_id": NONE}, ALL_404),
    ("GET", "/api/v1/compliance"): (
        lambda c: f"/api/v1/compliance?municipality_id={c['muni']}", None, COMPLIANCE),
    ("GET", "/api/v1/compliance/export.xlsx"): (
        lambda c: f"/api/v1/compliance/export.xlsx?municipality_id={c['muni']}", None,
        COMPLIANCE),
    ("GET", "/api/v1/compliance/report.docx"): (
        lambda c: f"/api/v1/compliance/report.docx?municipality_id={c['muni']}", None,
        COMPLIANCE),
}


def test_register_rows(app, api, world, reference):  # noqa: F811
    ctx = {"school1": world.orgs["school1"], "muni": world.orgs["muni"], "world": world}
    from tests.web.test_authz_matrix import check_rows

    check_rows(app, api, REGISTER_ROWS, ctx)


def test_every_register_route_has_a_row(app):
    mine = {(m, r.rule) for r in app.url_map.iter_rules() for m in r.methods - {"HEAD",
                                                                               "OPTIONS"}
            if r.endpoint.split(".")[-1] and r.rule.startswith((
                "/api/v1/people", "/api/v1/pairs", "/api/v1/consents", "/api/v1/reference",
                "/api/v1/schools/", "/api/v1/indicators", "/api/v1/compliance"))}
    assert mine == set(REGISTER_ROWS)
