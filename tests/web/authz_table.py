"""The written authorization matrix: every API route × user, on objects of school1 / muni.

Each row: (method, Flask rule) -> (path built from ctx, JSON body or None, expected status by
user). Users of another municipality (``admin3``, ``officer2``) play "foreign organisation";
``anon`` sends no token. A feature adds its routes here; a route missing from this table
fails test_authz_matrix. Requests are chosen not to change state (stale lock_version,
invalid event for the state), so one set of objects serves every row.
"""

from tests.web.authz_users import USERS, row  # noqa: F401 - USERS is re-exported

#: A school document (draft in school1): visible to school1 people and the muni auditor/admin.
SCHOOL_DOC = dict(admin1=200, curator1=200, director1=200, auditor=200, sysadmin=200,
                  officer=404, head=404, admin3=404, officer2=404, anon=401)

TABLE = {
    ("POST", "/api/v1/auth/token"): (lambda c: "/api/v1/auth/token",
                                     {"email": "nobody@test.local", "password": "x"},
                                     row(401)),
    ("GET", "/api/v1/me"): (lambda c: "/api/v1/me", None, row(200, anon=401)),
    ("GET", "/api/v1/organizations"): (lambda c: "/api/v1/organizations", None,
                                       row(200, anon=401)),
    ("GET", "/api/v1/document-kinds"): (lambda c: "/api/v1/document-kinds", None,
                                        row(200, anon=401)),
    ("GET", "/api/v1/openapi.json"): (lambda c: "/api/v1/openapi.json", None, row(200)),
    ("POST", "/api/v1/documents"): (
        lambda c: "/api/v1/documents",
        lambda c: {"kind": "order", "org_id": c["school1"], "title": ""},
        # an empty title: authors reach validation (400), others are refused before it
        row(403, admin1=400, curator1=400, head=404, admin3=404, officer2=404, anon=401)),
    ("GET", "/api/v1/documents"): (lambda c: "/api/v1/documents", None, row(200, anon=401)),
    ("GET", "/api/v1/documents/<int:document_id>"): (
        lambda c: f"/api/v1/documents/{c['doc']}", None, SCHOOL_DOC),
    ("PATCH", "/api/v1/documents/<int:document_id>"): (
        lambda c: f"/api/v1/documents/{c['doc']}", {"lock_version": 99, "title": "x"},
        dict(SCHOOL_DOC, admin1=409, curator1=409, director1=403, auditor=403, sysadmin=403)),
    ("POST", "/api/v1/documents/<int:document_id>/events/<event>"): (
        lambda c: f"/api/v1/documents/{c['doc']}/events/approve", {"lock_version": 99},
        dict(SCHOOL_DOC, admin1=403, curator1=403, director1=409, auditor=403, sysadmin=403)),
    ("GET", "/api/v1/documents/<int:document_id>/history"): (
        lambda c: f"/api/v1/documents/{c['doc']}/history", None, SCHOOL_DOC),
    ("GET", "/api/v1/documents/<int:document_id>/versions"): (
        lambda c: f"/api/v1/documents/{c['doc']}/versions", None, SCHOOL_DOC),
    ("GET", "/api/v1/documents/<int:document_id>/docx"): (
        lambda c: f"/api/v1/documents/{c['doc']}/docx", None, SCHOOL_DOC),
    ("GET", "/api/v1/documents/<int:document_id>/versions/<int:number>/docx"): (
        lambda c: f"/api/v1/documents/{c['doc']}/versions/1/docx", None, SCHOOL_DOC),
    ("POST", "/api/v1/documents/<int:document_id>/render"): (
        lambda c: f"/api/v1/documents/{c['doc']}/render", None,
        dict(SCHOOL_DOC, admin1=202, curator1=202, director1=202, auditor=403, sysadmin=202)),
    ("GET", "/api/v1/audit/verify"): (
        lambda c: f"/api/v1/audit/verify?org_id={c['school1']}", None,
        dict(SCHOOL_DOC, officer=200)),
    ("GET", "/api/v1/templates"): (
        lambda c: f"/api/v1/templates?org_id={c['school1']}", None,
        dict(SCHOOL_DOC, officer=200)),
    ("POST", "/api/v1/templates"): (
        # no file: the admin of the municipality reaches validation (400), others stop before
        lambda c: f"/api/v1/templates?kind=order&org_id={c['school1']}", None,
        row(403, sysadmin=400, head=404, admin3=404, officer2=404, anon=401)),
}

from tests.web.test_registers_api_authz import REGISTER_ROWS  # noqa: E402

TABLE.update(REGISTER_ROWS)

# Roadmaps and deadlines: ctx["roadmap"] = {"id", "item"} — a school1 roadmap whose only item's
# result is not an act, so no row changes anything (tests/web/test_roadmaps_pages.roadmap_for_authz).
TABLE.update({
    ("POST", "/api/v1/roadmaps/import"): (
        lambda c: f"/api/v1/roadmaps/import?org_id={c['school1']}", {},
        # no file and no period: authors reach validation (400), others are refused before it
        row(403, admin1=400, curator1=400, head=404, admin3=404, officer2=404, anon=401)),
    ("GET", "/api/v1/roadmaps"): (lambda c: "/api/v1/roadmaps", None, row(200, anon=401)),
    ("GET", "/api/v1/roadmaps/<int:roadmap_id>"): (
        lambda c: f"/api/v1/roadmaps/{c['roadmap']['id']}", None,
        dict(SCHOOL_DOC, officer=200)),
    ("POST", "/api/v1/roadmaps/<int:roadmap_id>/items/<int:item_id>/documents"): (
        lambda c: f"/api/v1/roadmaps/{c['roadmap']['id']}/items/{c['roadmap']['item']}/documents",
        None, row(403, admin1=422, curator1=422, head=404, admin3=404, officer2=404, anon=401)),
    ("POST", "/api/v1/roadmaps/<int:roadmap_id>/items/<int:item_id>/evidence"): (
        lambda c: f"/api/v1/roadmaps/{c['roadmap']['id']}/items/{c['roadmap']['item']}/evidence",
        {"comment": ""},
        row(403, admin1=400, curator1=400, head=404, admin3=404, officer2=404, anon=401)),
    ("POST", "/api/v1/deadlines/parse"): (
        lambda c: "/api/v1/deadlines/parse",
        {"text": "май 2027 г.", "period": ["2026-09-01", "2027-08-31"]}, row(200, anon=401)),
})

from tests.web.authz_approval import APPROVAL_ROWS  # noqa: E402

TABLE.update(APPROVAL_ROWS)
from tests.web.authz_acquaintance import ACQUAINTANCE_ROWS  # noqa: E402

TABLE.update(ACQUAINTANCE_ROWS)
from tests.web.authz_roadmap_items import ROADMAP_ITEM_ROWS  # noqa: E402

TABLE.update(ROADMAP_ITEM_ROWS)
from tests.web.authz_admin import ADMIN_ROWS  # noqa: E402

TABLE.update(ADMIN_ROWS)
from tests.web.authz_audit import AUDIT_ROWS  # noqa: E402

TABLE.update(AUDIT_ROWS)
