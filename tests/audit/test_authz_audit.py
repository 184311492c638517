"""The auditor's workspace rows of the authorization matrix, on their own (quick to run)."""

from tests.web.authz_audit import AUDIT_ROWS
from tests.web.test_authz_matrix import check_rows


def test_audit_rows(app, api, world, make_doc):
    ctx = {"doc": make_doc("signed"), "school1": world.orgs["school1"],
           "muni": world.orgs["muni"], "world": world}
    check_rows(app, api, AUDIT_ROWS, ctx)
