"""The municipal office's view of its schools and what they sent."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from web.auth import current_actor, db_session
from web.views import bp
from web.views.listing import page_arg
from workflow.engine import queries
from workflow.engine.document_view import document_list
from workflow.notify import inbox


@bp.get("/schools")
@login_required
def schools():
    rows = inbox.municipal_schools(db_session(), current_actor())
    return render_template("schools/index.html", rows=rows)


@bp.get("/schools/<int:org_id>")
@login_required
def school(org_id: int):
    actor = current_actor()
    org = queries.get_organization(db_session(), actor, org_id)
    page = page_arg()
    data = document_list(db_session(), actor, org_id=org_id, page=page, per_page=20)
    return render_template("schools/show.html", org=org, data=data, page=page, per_page=20)
