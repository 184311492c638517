"""HTML pages for people."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("views", __name__, template_folder="../templates")

from web.views import (  # noqa: F401
    acquaintance_views,
    approval_link_views,
    approval_views,
    auth_views,
    bulk_views,
    doc_refs,
    document_views,
    edit_views,
    formatting,
    inbox_views,
    journal_views,
    kind_views,
    nav,
    profile_views,
    saved_filter_views,
    school_views,
)

bp.record_once(lambda state: formatting.register(state.app))
