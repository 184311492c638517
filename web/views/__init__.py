"""HTML pages for people."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("views", __name__, template_folder="../templates")

from web.views import auth_views  # noqa: E402,F401
