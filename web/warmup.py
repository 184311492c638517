"""Warm a web worker before it takes its first request.

A fresh worker compiles every template, configures the mappers, loads the translations,
connects to the database and imports the modules some routes import lazily on first use:
a first inbox or document page took ~110 ms against ~15 ms after, and 450–830 ms on a busy
host (deploy/README.md §9.3) — paid by the people who happen to come first after a start, an
upgrade or a worker's recycling. gunicorn calls :func:`warm` once per worker after loading the app
(``post_worker_init`` in ``deploy/gunicorn.conf.py``), before the worker accepts a request.
"""

from __future__ import annotations

import gc
import logging
import time

from flask import Flask
from sqlalchemy import text
from sqlalchemy.orm import configure_mappers

log = logging.getLogger(__name__)


def warm(app: Flask) -> float:
    """Do a worker's one-time work now; returns the seconds it took. Never raises: a worker
    that could not warm something still serves (and warms it on first use). Another app served
    with the same gunicorn file (the bench's floor) has nothing of Nastavnik's to warm."""
    if "nastavnik" not in getattr(app, "extensions", {}):
        return 0.0
    started = time.perf_counter()
    for step in (_mappers, _templates, _translations, _renderer, _database, _freeze):
        try:
            step(app)
        except Exception:  # noqa: BLE001 - warming is an optimisation, never a failure
            log.warning("warm-up step %s failed", step.__name__, exc_info=True)
    seconds = time.perf_counter() - started
    log.info("worker warmed in %.2f s", seconds)
    return seconds


def _mappers(_app: Flask) -> None:
    configure_mappers()


def _templates(app: Flask) -> None:
    env = app.jinja_env
    for name in env.list_templates(extensions=("html", "txt")):
        env.get_template(name)


def _translations(app: Flask) -> None:
    from flask_babel import get_translations

    with app.test_request_context("/"):
        get_translations()


def _renderer(_app: Flask) -> None:
    """Signing renders the signed file in the request: its modules and the Russian morphology
    dictionary (declension of names in the acts) load here, not on a director's first sign."""
    from documents.docx import context, render  # noqa: F401
    from documents.docx.morphology import analyzer

    analyzer()


def _database(app: Flask) -> None:
    """One pooled connection, opened and kept: the first request does not wait for it."""
    engine = app.extensions["nastavnik"].db.engine
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def _freeze(_app: Flask) -> None:
    """Last: everything loaded so far (modules, mappers, templates, translations, the name
    scanners) lives as long as the worker, so move it out of the garbage collector's sight.
    Python's full collections otherwise walk those ~10^6 objects again and again under load —
    a region's compliance (18,000 rows) took ~50 ms more with them (deploy/README.md §9.1)."""
    gc.collect()
    gc.freeze()
