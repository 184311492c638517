"""Printable pages: the registration journal and a document's registration card (РКК)."""

from __future__ import annotations

from flask import render_template, request
from flask_login import login_required

from web.auth import current_actor, db_session
from web.views import bp
from web.views.listing import page_arg, sort_arg
from workflow import clock
from workflow.engine import journal_view
from workflow.engine.document_view import document_page
from workflow.engine.journal_view import JOURNAL_SORTS, WHOLE_YEAR, registration_journal
from workflow.engine.queries import list_organizations


@bp.get("/journal")
@login_required
def journal():
    session, actor = db_session(), current_actor()
    orgs = list_organizations(session, actor)
    org_id = request.args.get("org_id", type=int) or (orgs[0].id if orgs else 0)
    year = request.args.get("year", type=int) or clock.today().year
    if not 1900 <= year <= 2200:
        year = clock.today().year
    whole = request.args.get("print") == "1"  # the whole year on one page, to print
    data = registration_journal(session, actor, org_id, year, page=1 if whole else page_arg(),
                                per_page=WHOLE_YEAR if whole else journal_view.PER_PAGE,
                                sort=sort_arg(JOURNAL_SORTS))
    return render_template("documents/journal.html", j=data, orgs=orgs, whole=whole)


@bp.get("/documents/<int:document_id>/card")
@login_required
def document_card(document_id: int):
    page = document_page(db_session(), current_actor(), document_id)
    return render_template("documents/card.html", p=page, d=page.doc)
