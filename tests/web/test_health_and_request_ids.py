"""Liveness/readiness for the balancer, and one request id from the access line to the
effects the request caused."""

import json
import logging

from sqlalchemy import select

from documents.models import OutboxItem
from workflow.observability import JsonFormatter


def test_liveness_readiness_and_the_api_md_healthz(client, rt):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}
    assert client.get("/healthz/live").get_json() == {"status": "ok"}
    ready = client.get("/healthz/ready")
    assert ready.status_code == 200 and ready.get_json()["database"] == "ok"


def test_the_icon_is_where_browsers_look_without_a_page(client):
    # the browser's own PDF viewer (the preview) asks /favicon.ico: no 404 in its console
    resp = client.get("/favicon.ico")
    assert resp.status_code == 200 and resp.mimetype == "image/svg+xml"
    assert b"<svg" in resp.data


def test_readiness_fails_when_redis_is_unreachable_in_distributed_mode(app, rt, monkeypatch):
    from dataclasses import replace

    from web import health

    monkeypatch.setattr(rt, "settings", replace(rt.settings, effects_mode="celery",
                                                redis_url="redis://127.0.0.1:1/0"))
    # settings are read when the routes are registered: register on a throwaway app
    from flask import Flask

    probe = Flask("probe")
    probe.extensions["nastavnik"] = rt
    health.register_health(probe)
    resp = probe.test_client().get("/healthz/ready")
    assert resp.status_code == 503
    assert resp.get_json() == {"database": "ok", "redis": "error", "status": "unavailable"}


def test_request_id_follows_a_transition_into_its_outbox_rows(api, make_doc, rt, caplog):
    doc_id = make_doc("draft")
    admin = api.as_("admin1")
    version = admin.get(f"/api/v1/documents/{doc_id}").get_json()["lock_version"]
    with caplog.at_level(logging.INFO):
        resp = admin.post(f"/api/v1/documents/{doc_id}/events/submit",
                          json={"lock_version": version},
                          headers={"X-Request-ID": "req-abcdef123456"})
    assert resp.status_code == 200
    assert resp.headers["X-Request-ID"] == "req-abcdef123456"
    with rt.db.read_session() as s:
        payloads = [row.payload for row in s.scalars(
            select(OutboxItem).where(OutboxItem.document_id == doc_id,
                                     OutboxItem.key.like("%:notify:submit:%")))]
    assert payloads and all(p["request_id"] == "req-abcdef123456" for p in payloads)
    # the effects ran inline here; their log lines carry the same id
    effect_lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records
                    if r.name == "workflow.engine.effects" and ":notify:submit:" in r.getMessage()]
    assert effect_lines and all(line["request_id"] == "req-abcdef123456"
                                for line in effect_lines)
    # a made-up header that is not an id is replaced, never echoed
    resp = admin.get("/healthz/live", headers={"X-Request-ID": "<script>"})
    assert resp.headers["X-Request-ID"] != "<script>" and len(resp.headers["X-Request-ID"]) == 32


def test_the_access_line_says_how_long_and_how_much_cpu(api, caplog):
    admin = api.as_("admin1")
    with caplog.at_level(logging.INFO, logger="nastavnik.access"):
        assert admin.get("/api/v1/me").status_code == 200
    line = json.loads(JsonFormatter().format(
        [r for r in caplog.records if r.name == "nastavnik.access"][-1]))
    assert line["path"] == "/api/v1/me" and line["status"] == 200
    # wall time covers the CPU the request's thread spent, never less
    assert 0 <= line["cpu_ms"] <= line["ms"] + 1


def test_a_refused_request_is_logged_and_timed_from_its_start(client, caplog):
    """The access line covers the whole request — the gate (who is calling: a statement) and
    the refusals it gives too: a 401 storm is seen in the log with its ids."""
    with caplog.at_level(logging.INFO, logger="nastavnik.access"):
        resp = client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert resp.status_code == 401 and len(resp.headers["X-Request-ID"]) == 32
    line = json.loads(JsonFormatter().format(
        [r for r in caplog.records if r.name == "nastavnik.access"][-1]))
    assert (line["path"], line["status"]) == ("/api/v1/me", 401)
    assert line["request_id"] == resp.headers["X-Request-ID"]
