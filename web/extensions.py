"""Flask extensions, initialised in create_app with init_app."""

from __future__ import annotations

import time

from flask import current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)


def login_account_key() -> str:
    """Rate-limit key of the account a login attempt names (JSON API or the HTML form):
    the same key on /login and /api/v1/auth/token, so both draw on one counter."""
    try:
        data = request.get_json(silent=True) if request.is_json else request.form
        email = data.get("email", "") if hasattr(data, "get") else ""
    except Exception:  # noqa: BLE001 - a broken body is refused by the route itself
        email = ""
    return "account:" + str(email).strip().lower()[:254]


def login_limits(view):
    """Login limits of every way in: a wall per account (one counter across /login and
    /api/v1/auth/token); per address only a slowdown (see slow_down_failing_ip), so one
    NAT'd school is never locked out of correct credentials by a neighbour's typos."""
    return limiter.shared_limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
                                scope="login-account", key_func=login_account_key,
                                deduct_when=failed_login, methods=["POST"])(view)


def _ip_item():
    from limits import parse

    return parse(current_app.config["LOGIN_SLOW_PER_IP"])


def slow_down_failing_ip() -> None:
    """After many failures from one address, every attempt from it waits a little."""
    try:
        if not limiter.limiter.test(_ip_item(), "login-ip-failures", get_remote_address()):
            time.sleep(current_app.config["LOGIN_IP_DELAY_SECONDS"])
    except Exception:
        current_app.logger.warning("login slowdown unavailable", exc_info=True)


def count_failure_of_ip() -> None:
    try:
        limiter.limiter.hit(_ip_item(), "login-ip-failures", get_remote_address())
    except Exception:
        current_app.logger.warning("login failure not counted", exc_info=True)


def failed_login(response) -> bool:
    """Only failed attempts count against the limit."""
    return response.status_code in (400, 401) or getattr(response, "login_failed", False)


def install_template_gettext(app) -> None:
    """Templates translate through the request's translations, looked up once per request:
    Flask-Babel's own template callables find the request's context, domain, locale and
    cache again for each of the ~200 words of a page."""
    from flask import g
    from flask_babel import get_translations

    def translations():
        if not g:  # no application context: Flask-Babel's answer (no translation)
            return get_translations()
        found = g.get("_nastavnik_translations")
        if found is None:
            found = g._nastavnik_translations = get_translations()
        return found

    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True)
