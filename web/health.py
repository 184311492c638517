"""Health endpoints for the load balancer and the service manager.

- `/healthz/live`  — the process answers (no dependency is touched): restart it if not.
- `/healthz/ready` — it can serve: the database answers, and in the distributed mode Redis
  too; a 503 takes the instance out of the balancer without restarting it.
- `/healthz`       — the contract of api.md: 200 `{"status": "ok", "database": "ok"}`.
"""

from __future__ import annotations

from flask import Flask, jsonify
from sqlalchemy import text


def _database_ok(app: Flask) -> bool:
    db = app.extensions["nastavnik"].db
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - reported, not raised
        db.session.rollback()
        return False


def _redis_ok(url: str) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # noqa: BLE001 - reported, not raised
        return False


def register_health(app: Flask) -> None:
    settings = app.extensions["nastavnik"].settings

    @app.get("/healthz")
    def healthz():
        if _database_ok(app):
            return jsonify({"status": "ok", "database": "ok"})
        return jsonify({"status": "degraded", "database": "error"}), 503

    @app.get("/healthz/live")
    def healthz_live():
        return jsonify({"status": "ok"})

    @app.get("/healthz/ready")
    def healthz_ready():
        body = {"database": "ok" if _database_ok(app) else "error"}
        if settings.effects_mode == "celery" and settings.redis_url:
            body["redis"] = "ok" if _redis_ok(settings.redis_url) else "error"
        ready = all(v == "ok" for v in body.values())
        body["status"] = "ok" if ready else "unavailable"
        return jsonify(body), 200 if ready else 503
