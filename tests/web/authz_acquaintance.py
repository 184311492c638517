"""Authorization rows of the acquaintance routes (merged into tests/web/authz_table.py).

ctx["doc"] is a draft of school1 nobody is listed to read: people who see it are refused
the confirmation (403, not listed), others do not learn it exists (404)."""

from tests.web.authz_users import row

SCHOOL_DOC = {"admin1": 200, "curator1": 200, "director1": 200, "auditor": 200,
              "sysadmin": 200, "officer": 404, "head": 404, "admin3": 404, "officer2": 404,
              "anon": 401}

ACQUAINTANCE_ROWS = {
    ("POST", "/api/v1/documents/<int:document_id>/acknowledge"): (
        lambda c: f"/api/v1/documents/{c['doc']}/acknowledge", None,
        row(404, admin1=403, curator1=403, director1=403, auditor=403, sysadmin=403,
            anon=401)),
    ("GET", "/api/v1/documents/<int:document_id>/acquaintance"): (
        lambda c: f"/api/v1/documents/{c['doc']}/acquaintance", None, SCHOOL_DOC),
}
