"""Flask extensions, initialised in create_app with init_app."""

from __future__ import annotations

from flask import request
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
    """Rate-limit key of the account a login attempt names (JSON API or the HTML form)."""
    data = request.get_json(silent=True) if request.is_json else request.form
    email = (data or {}).get("email", "") if isinstance(data, dict) or data else ""
    return "account:" + str(email).strip().lower()[:254]


def failed_login(response) -> bool:
    """Only failed attempts count against the limit."""
    return response.status_code in (400, 401) or getattr(response, "login_failed", False)
