"""«Администрирование» → the administrative log: filters, pages, XLSX export."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial

from flask import Response, abort, render_template, request
from flask_login import login_required
from sqlalchemy import select

from documents.models import Organization
from web.auth import current_actor, db_session
from web.views import labels
from web.views.admin_views import bp, org_arg
from web.views.listing import page_arg
from workflow.admin import log, scope

PER_PAGE = 50


def _date(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name) or "")
    except ValueError:
        return None


def _filters() -> dict:
    return {"action": request.args.get("action") or None,
            "object_kind": request.args.get("object_kind") or None,
            "date_from": _date("from"), "date_to": _date("to")}


@bp.get("/log")
@login_required
def log_page():
    session, actor = db_session(), current_actor()
    readable = scope.log_readable_org_ids(session, actor)
    if not readable:
        abort(403)
    result = log.list_log(session, actor, org_arg(), page=page_arg(),
                          per_page=PER_PAGE, **_filters())
    for item in result["items"]:
        item["at_dt"] = datetime.fromisoformat(item["at"]) if item["at"] else None

    orgs = list(session.scalars(select(Organization).where(Organization.id.in_(readable))
                                .order_by(Organization.kind, Organization.id)))
    words = labels.in_current_locale()
    return render_template("admin/log.html", result=result, orgs=orgs,
                           names={o.id: o.short_name for o in orgs}, args=request.args,
                           actions=words.ADMIN_LOG_ACTIONS, kinds=words.ADMIN_LOG_OBJECTS,
                           per_page=PER_PAGE,
                           details_text=partial(log.details_text, keys=words.ADMIN_LOG_DETAILS,
                                                roles=words.ADMIN_ROLES,
                                                org_kinds=words.ADMIN_LOG_ORG_KINDS,
                                                kind_title=words.kind_title),
                           object_names=log.object_names(session, result["items"]))


@bp.get("/log.xlsx")
@login_required
def log_export():
    data = log.export_xlsx(db_session(), current_actor(), org_arg(), **_filters())
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=admin_log.xlsx"})
