"""Authorization rows of the auditor's workspace and audit anchoring (merged into
tests/web/authz_table.py). The pack, the personal-data reads are the auditor's; time in stage
the auditor's and the officer's; heads and events whoever sees the organisation / documents."""

from tests.web.authz_users import row

#: Seen organisation without the auditor role → 403; unseen → 404.
AUDITOR_OF_SCHOOL1 = row(403, auditor=200, head=404, admin3=404, officer2=404, anon=401)

AUDIT_ROWS = {
    ("GET", "/api/v1/audit/head"): (
        lambda c: f"/api/v1/audit/head?org_id={c['school1']}", None,
        row(200, head=404, admin3=404, officer2=404, anon=401)),
    ("GET", "/api/v1/audit/events"): (
        lambda c: "/api/v1/audit/events", None, row(200, anon=401)),
    ("GET", "/api/v1/audit/pack"): (
        lambda c: f"/api/v1/audit/pack?org_id={c['school1']}", None, AUDITOR_OF_SCHOOL1),
    ("GET", "/api/v1/audit/personal-data-reads"): (
        lambda c: f"/api/v1/audit/personal-data-reads?org_id={c['school1']}", None,
        AUDITOR_OF_SCHOOL1),
    ("GET", "/api/v1/reports/time-in-stage"): (
        lambda c: f"/api/v1/reports/time-in-stage?municipality_id={c['muni']}", None,
        row(403, auditor=200, officer=200, admin1=404, curator1=404, director1=404,
            admin3=404, officer2=404, anon=401)),
}
