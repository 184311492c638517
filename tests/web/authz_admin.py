"""Authorization rows of the administration routes (api.md «Administration»).

Objects are school1 / muni of the world; ``admin3`` and ``officer2`` are another
municipality. Bodies are invalid on purpose so that whoever is allowed reaches validation
(400) and nothing changes; the others are refused before it (403 own municipality, 404
foreign or invisible). Re-sending an invitation (202) only queues an e-mail.
"""

from tests.web.authz_users import row

#: school1's managers (its director and school_admin) and the municipality's admin.
SCHOOL_MANAGERS = {"admin1": 400, "director1": 400, "sysadmin": 400}

ADMIN_ROWS = {
    ("POST", "/api/v1/organizations"): (
        lambda c: "/api/v1/organizations",
        lambda c: {"parent_id": c["muni"], "name": ""},
        row(404, sysadmin=400, officer=403, auditor=403, head=403, anon=401)),
    ("PATCH", "/api/v1/organizations/<int:org_id>"): (
        lambda c: f"/api/v1/organizations/{c['school1']}", {"name": ""},
        row(403, director1=400, sysadmin=400, head=404, admin3=404, officer2=404, anon=401)),
    ("GET", "/api/v1/users"): (
        lambda c: f"/api/v1/users?org_id={c['school1']}", None,
        row(403, admin1=200, director1=200, sysadmin=200, auditor=200, head=404, admin3=404,
            officer2=404, anon=401)),
    ("POST", "/api/v1/users"): (
        lambda c: "/api/v1/users",
        lambda c: {"email": "not-an-email", "full_name": "Х",
                   "grants": [{"role": "curator", "org_id": c["school1"]}]},
        row(403, **SCHOOL_MANAGERS, head=404, admin3=404, officer2=404, anon=401)),
    ("GET", "/api/v1/users/<int:user_id>"): (
        lambda c: f"/api/v1/users/{c['world'].users['curator1']}", None,
        row(404, admin1=200, director1=200, sysadmin=200, auditor=200, anon=401)),
    ("PATCH", "/api/v1/users/<int:user_id>"): (
        lambda c: f"/api/v1/users/{c['world'].users['curator1']}", {"full_name": ""},
        row(404, **SCHOOL_MANAGERS, curator1=403, auditor=403, anon=401)),
    ("POST", "/api/v1/users/<int:user_id>/invitation"): (
        lambda c: f"/api/v1/users/{c['world'].users['curator1']}/invitation", None,
        row(404, admin1=202, director1=202, sysadmin=202, curator1=403, auditor=403,
            anon=401)),
    ("GET", "/api/v1/users/import/template"): (
        lambda c: "/api/v1/users/import/template", None, row(200, anon=401)),
    ("POST", "/api/v1/users/import"): (
        # no file: managers reach validation (400), others are refused before it
        lambda c: f"/api/v1/users/import?org_id={c['school1']}", None,
        row(403, **SCHOOL_MANAGERS, head=404, admin3=404, officer2=404, anon=401)),
    ("POST", "/api/v1/auth/password-reset"): (
        lambda c: "/api/v1/auth/password-reset", {"email": "nobody@test.local"}, row(202)),
    ("POST", "/api/v1/auth/password-set"): (
        lambda c: "/api/v1/auth/password-set",
        {"token": "guessed-token", "password": "Lipa-v-cvetu-2026"}, row(422)),
    ("GET", "/api/v1/journals"): (
        lambda c: f"/api/v1/journals?org_id={c['school1']}", None,
        row(403, admin1=200, director1=200, sysadmin=200, auditor=200, head=404, admin3=404,
            officer2=404, anon=401)),
    ("PUT", "/api/v1/journals"): (
        lambda c: f"/api/v1/journals?org_id={c['school1']}", [],
        row(403, director1=400, sysadmin=400, head=404, admin3=404, officer2=404, anon=401)),
    ("GET", "/api/v1/admin/log"): (
        lambda c: f"/api/v1/admin/log?org_id={c['school1']}", None,
        row(403, director1=200, sysadmin=200, auditor=200, head=404, admin3=404, officer2=404,
            anon=401)),
}
