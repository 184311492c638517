"""Saved filters of list pages: saving happens on the list itself (its form posts to the
list's own URL with the current filter in the query string); deleting is here."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from web.auth import current_actor, db_session, runtime
from web.views import bp
from web.views.errors import refusal
from web.views.forms import SavedFilterForm
from workflow import saved_filters
from workflow.errors import WorkflowError

#: The list page (endpoint) of each kind of saved filter.
ENDPOINTS = {"documents": "views.documents", "audit_events": "audit.index"}


def filter_url(saved) -> str:
    base = url_for(ENDPOINTS[saved.page])
    return f"{base}?{saved.query}" if saved.query else base


def save_from_list(page: str) -> tuple[SavedFilterForm, int] | object:
    """On a list's POST: save the filter in the query string and go back to the list, or
    return the form with the error by its field and the status to answer with."""
    form = SavedFilterForm()
    if not form.validate_on_submit():
        return form, 422
    try:
        saved = saved_filters.save_filter(runtime(), current_actor(), page, form.name.data or "",
                                          urlencode(list(request.args.items(multi=True))))
    except WorkflowError as exc:
        form.name.errors = [*form.name.errors, refusal(exc)]
        return form, exc.status
    flash(_("Фильтр «%(name)s» сохранён.", name=saved.name), "success")
    return redirect(filter_url(saved))


def filters_context(page: str, form: SavedFilterForm | None = None) -> dict:
    """What the saved-filters strip of a list needs."""
    items = saved_filters.list_filters(db_session(), current_actor(), page)
    current = saved_filters.clean_query(page, request.args.items(multi=True))
    return {"saved_filters": items, "filter_form": form or SavedFilterForm(formdata=None),
            "filter_url": filter_url,
            "current_filter": current, "filters_left": saved_filters.MAX_PER_USER}


@bp.post("/saved-filters/<int:filter_id>/delete")
@login_required
def delete_saved_filter(filter_id: int):
    """CSRF is checked for every POST by CSRFProtect; another person's filter is a 404."""
    page = saved_filters.delete_filter(runtime(), current_actor(), filter_id)
    flash(_("Фильтр удалён."), "info")
    return redirect(url_for(ENDPOINTS.get(page, "views.documents")))
