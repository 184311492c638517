"""Authorization rows of approval routes, protocols, appendices and substitutions (api.md
«Approval the way schools approve», «Substitution (и. о.)»). Requests change nothing: stale
lock_version, an empty route, dates in the wrong order."""

from tests.web.authz_users import row

_VISIBLE = row(200, head=404, admin3=404, officer2=404, anon=401)

APPROVAL_ROWS = {
    ("GET", "/api/v1/routes"): (
        lambda c: f"/api/v1/routes?org_id={c['school1']}&kind=order", None, _VISIBLE),
    ("PUT", "/api/v1/routes"): (
        lambda c: "/api/v1/routes", lambda c: {"org_id": c["school1"], "kind": "order",
                                               "stages": []},
        row(403, admin1=422, director1=422, head=404, admin3=404, officer2=404, anon=401)),
    ("POST", "/api/v1/documents/<int:document_id>/protocol"): (
        lambda c: f"/api/v1/documents/{c['doc']}/protocol",
        {"lock_version": 99, "number": "1", "date": "2026-01-15", "decision": "approved"},
        row(403, admin1=409, curator1=409, officer=404, head=404, admin3=404, officer2=404,
            anon=401)),
    ("POST", "/api/v1/documents/<int:document_id>/appendices"): (
        lambda c: f"/api/v1/documents/{c['doc']}/appendices",
        lambda c: {"document_id": c["doc"], "lock_version": 99},
        row(403, admin1=409, curator1=409, officer=404, head=404, admin3=404, officer2=404,
            anon=401)),
    ("POST", "/api/v1/substitutions"): (
        lambda c: "/api/v1/substitutions",
        lambda c: {"org_id": c["school1"], "absent_id": c["world"].users["director1"],
                   "deputy_id": c["world"].users["curator1"], "start": "2026-01-10",
                   "end": "2026-01-05", "reason": "Отпуск"},
        row(403, admin1=422, director1=422, head=404, admin3=404, officer2=404, anon=401)),
    ("GET", "/api/v1/substitutions"): (
        lambda c: f"/api/v1/substitutions?org_id={c['school1']}", None, _VISIBLE),
    ("DELETE", "/api/v1/substitutions/<int:substitution_id>"): (
        lambda c: "/api/v1/substitutions/987654", None, row(404, anon=401)),
}
