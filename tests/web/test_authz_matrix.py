"""Every API route × every user × own/foreign organisation against tests/web/authz_table.py."""

import pytest

from tests.web.authz_table import TABLE, USERS


@pytest.fixture()
def ctx(rt, world, make_doc, actor):
    from tests.web.authz_roadmap_items import item_ctx
    from tests.web.test_roadmaps_pages import roadmap_for_authz

    return {"doc": make_doc("draft"), "school1": world.orgs["school1"],
            "muni": world.orgs["muni"], "world": world,
            "roadmap": roadmap_for_authz(rt, actor, world), "items": item_ctx(rt, actor, world)}


def _api_rules(app) -> set[tuple[str, str]]:
    rules = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            rules.add((method, rule.rule))
    return rules


def test_every_api_route_is_in_the_table(app):
    missing = _api_rules(app) - set(TABLE)
    assert not missing, f"routes missing from tests/web/authz_table.py: {sorted(missing)}"


def check_rows(app, api, rows: dict, ctx: dict) -> None:
    """Call every row's route as every user; assert the written statuses and JSON errors."""
    mismatches = []
    for (method, _rule), (path, body, expected) in sorted(rows.items()):
        url = path(ctx)
        payload = body(ctx) if callable(body) else body
        for user in USERS:
            client = app.test_client() if user == "anon" else api.as_(user)
            kwargs = {"json": payload} if payload is not None else {}
            resp = client.open(url, method=method, **kwargs) if user == "anon" else \
                getattr(client, method.lower())(url, **kwargs)
            if resp.status_code != expected[user]:
                mismatches.append((method, url, user, expected[user], resp.status_code))
            if resp.status_code >= 400:
                assert resp.is_json and "error" in resp.get_json(), (method, url, user)
    assert not mismatches, "\n".join(map(str, mismatches))


def test_matrix(app, api, ctx):
    check_rows(app, api, TABLE, ctx)


def test_roadmap_item_chain_matrix(app, api, ctx):
    """Who may fire each event of a roadmap item's chain (tests/web/authz_roadmap_items.py)."""
    from tests.web.authz_roadmap_items import ITEM_CHAIN

    rows = {("POST", f"{key}:{event}"): (
        lambda c, key=key, event=event:
        f"/api/v1/documents/{c['items'][key]}/events/{event}",
        {"lock_version": 99, "comment": "Замечание"}, expected)
        for (key, event), expected in ITEM_CHAIN.items()}
    check_rows(app, api, rows, ctx)
