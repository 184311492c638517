"""A web worker warms up before its first request (web/warmup.py, gunicorn's
post_worker_init): templates compiled, translations and the renderer loaded, a database
connection open."""

import gc
import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask

from documents.docx.morphology import analyzer
from web import warmup

CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


@pytest.fixture(autouse=True)
def _unfreeze():
    yield
    gc.unfreeze()  # a worker freezes what it loaded; this test process goes on dropping apps


def test_gunicorn_warms_each_worker_before_its_first_request(app):
    analyzer.cache_clear()
    app.jinja_env.cache.clear()
    app.extensions["nastavnik"].db.engine.dispose()
    runpy.run_path(str(CONF))["post_worker_init"](SimpleNamespace(wsgi=app))
    compiled = {name for _loader, name in app.jinja_env.cache.keys()}
    assert {"base.html", "login.html"} <= compiled
    assert analyzer.cache_info().currsize == 1
    assert app.extensions["nastavnik"].db.engine.pool.checkedin() >= 1
    # what the worker loaded is out of the garbage collector's sight
    assert gc.get_freeze_count() > 0
    # and the first page is then served from what was warmed
    assert app.test_client().get("/login").status_code == 200


def test_a_step_that_fails_does_not_stop_the_worker(app, monkeypatch, caplog):
    def broken(_app):
        raise RuntimeError("database is down")

    monkeypatch.setattr(warmup, "_database", broken)
    with caplog.at_level(logging.WARNING, logger="web.warmup"):
        assert warmup.warm(app) >= 0
    assert "warm-up step broken failed" in caplog.text
    assert any(name == "login.html" for _loader, name in app.jinja_env.cache.keys())


def test_another_app_served_with_the_same_file_is_left_alone(caplog):
    # the bench serves its floor app with deploy/gunicorn.conf.py: no warm-up tracebacks there
    with caplog.at_level(logging.WARNING, logger="web.warmup"):
        runpy.run_path(str(CONF))["post_worker_init"](SimpleNamespace(wsgi=Flask("floor")))
    assert caplog.text == ""
