"""The Flask application factory."""

from __future__ import annotations

import secrets
import sqlite3
from pathlib import Path

from flask import Flask, request
from flask_login import current_user
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from web.extensions import babel, csrf, install_template_gettext, limiter, login_manager
from workflow.errors import WorkflowError
from workflow.runtime import Runtime, Settings


def _locale() -> str:
    from flask import session

    return session.get("locale") or "ru"


#: SQLite's words for a database another connection holds; its other OperationalErrors (no
#: such table or column: a database not migrated; a malformed file) do not pass by waiting.
_SQLITE_BUSY = ("database is locked", "database table is locked", "database schema is locked")


def _transient(exc: Exception) -> bool:
    """Would the same request succeed a little later? On PostgreSQL every OperationalError
    is of that sort (a lock or statement timeout, a lost or refused connection); a missing
    table or column is a ProgrammingError there."""
    orig = getattr(exc, "orig", None)
    if isinstance(orig, sqlite3.OperationalError):
        return any(words in str(orig) for words in _SQLITE_BUSY)
    return True


def create_app(settings: Settings | None = None, **config) -> Flask:
    settings = settings or Settings.from_env()
    from workflow.observability import configure_logging

    configure_logging()
    app = Flask(__name__, instance_path=str(settings.data_dir))
    app.url_map.strict_slashes = False  # «/documents/» typed by hand opens the list too
    secret = _secret_key(settings)
    app.config.update(
        SECRET_KEY=secret,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.base_url.startswith("https://"),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=60 * 1024 * 1024,
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE="ru",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        RATELIMIT_STORAGE_URI=settings.redis_url or "memory://",
        RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        RATELIMIT_KEY_PREFIX="nastavnik",
        RATELIMIT_SWALLOW_ERRORS=True,
        LOGIN_LIMIT_PER_ACCOUNT="10 per 15 minutes",
        LOGIN_SLOW_PER_IP="30 per 15 minutes",
        LOGIN_IP_DELAY_SECONDS=1.0,
        # anonymous password links (ask for a reset, set by a one-time link; page and API):
        # a wall per address, so nobody sprays reset mail or guesses link tokens
        PASSWORD_LINK_LIMIT_PER_IP="50 per 15 minutes",
    )
    app.config.update(config)
    rt = Runtime.create(settings)
    app.extensions["nastavnik"] = rt

    from web.requestlog import register_request_log

    # first: its before_request runs before every other hook (the gate's statement, the rate
    # limits, the input guard) and its after_request after every other (the minors' redaction),
    # so the access line times the whole request and a refused one is logged with its id
    register_request_log(app)
    login_manager.init_app(app)
    login_manager.login_view = "views.login"
    login_manager.login_message = "Войдите, чтобы продолжить."
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_locale)
    install_template_gettext(app)
    limiter.init_app(app)

    from web.blueprints import register_blueprints
    from web.input_guard import install as install_input_guard

    install_input_guard(app)  # the bounded <int:…> converter, before any rule is added
    register_blueprints(app)
    from web.privacy import install as install_privacy

    install_privacy(app)
    _register_hooks(app)
    from web.health import register_health

    register_health(app)

    @app.get("/favicon.ico")
    def favicon():  # asked for where no page names the icon (the browser's PDF viewer)
        return app.send_static_file("favicon.svg")

    from web.cli import register_cli

    register_cli(app)
    return app


def _secret_key(settings: Settings) -> str:
    import os

    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = settings.data_dir / "secret_key"
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _register_hooks(app: Flask) -> None:
    from web.api.errors import from_http, from_workflow
    from web.auth import bearer_token, is_signed_in
    from web.input_guard import check_input, require_login
    from web.views.errors import html_error, refusal

    @app.before_request
    def _gate():
        # 401 first, then CSRF, then the body: one gate for every route.
        require_login(_is_api(), is_signed_in)
        _csrf()
        check_input()

    def _csrf():
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        if _is_api() and bearer_token():
            return  # a bearer call never uses the cookie (web.auth), so no CSRF to ride on
        if _is_api() and not current_user.is_authenticated:
            return  # no session cookie to ride on: the route answers 401 itself
        csrf.protect()

    @app.after_request
    def _headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy",
                     "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                     "script-src 'self'; object-src 'none'; frame-ancestors 'none'; "
                     "base-uri 'self'; form-action 'self'")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        if not request.path.startswith("/static/"):
            # pages and API answers may carry personal data: never kept by browsers/proxies
            h["Cache-Control"] = "no-store"
            h.setdefault("Pragma", "no-cache")
        if request.is_secure:
            h.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    @app.teardown_appcontext
    def _remove_session(_exc):
        app.extensions["nastavnik"].db.session.remove()

    @app.errorhandler(WorkflowError)
    def _workflow_error(exc: WorkflowError):
        if _is_api():
            return from_workflow(exc)
        # a missing and a foreign record look the same on pages too
        return html_error(exc.status, None if exc.status == 404 else refusal(exc))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if _is_api():
            return from_http(exc)
        return html_error(exc.code or 500, None)

    @app.errorhandler(DataError)
    def _out_of_range(exc: DataError):
        """A value the database column cannot hold (an id beyond INTEGER on PostgreSQL):
        there is no such record, whatever else the request said."""
        app.extensions["nastavnik"].db.session.rollback()
        if _is_api():
            from web.api.errors import error_response

            return error_response(404, "not_found", "Не найдено или нет доступа.")
        return html_error(404, None)

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeout)
    def _busy(exc: Exception):
        """The database did not answer in time (a lock held too long, every connection
        busy, the server restarting): nothing was written; the client may retry. A fault
        that waiting will not mend is no «busy»: it is answered and logged as one."""
        if not _transient(exc):
            return _unexpected(exc)
        app.extensions["nastavnik"].db.session.rollback()
        app.logger.warning("database busy: %s", str(exc).splitlines()[0][:300])
        message = "Сервер занят, изменения не сохранены. Повторите через несколько секунд."
        if _is_api():
            from web.api.errors import error_response

            response, status = error_response(503, "busy", message)
        else:
            response, status = html_error(503, message)
        response = app.make_response((response, status))
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error")
        if _is_api():
            from web.api.errors import error_response

            return error_response(500, "internal_error", "Внутренняя ошибка сервера.")
        return html_error(500, None)
