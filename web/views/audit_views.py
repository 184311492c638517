"""The «Аудит» section: the events journal, chain status with «Проверить сейчас», audit
packs, time in stage, reads of minors' personal data and version comparison. Routes stay
thin: each calls one service of workflow/audit/."""

from __future__ import annotations

import io
from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import login_required

from documents.models import Organization, Role
from web.auth import current_actor, db_session
from web.views import labels
from web.views.listing import page_arg
from web.views.saved_filter_views import filters_context, save_from_list
from workflow.audit import checkpoints, jobs, pd_reads, time_in_stage
from workflow.audit import events as audit_events
from workflow.audit.compare import compare_versions
from workflow.audit.scope import orgs_with_role, require_role
from workflow.engine.kinds import KINDS
from workflow.errors import BadInput
from workflow.paging import last_page

bp = Blueprint("audit", __name__, url_prefix="/audit", template_folder="../templates")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AUDITOR = frozenset({Role.auditor})
PER_PAGE = 50


def _rt():
    return current_app.extensions["nastavnik"]


def _int(name: str) -> int | None:
    raw = (request.values.get(name) or "").strip()
    return int(raw) if raw.isdigit() else None


def _date(name: str) -> date | None:
    raw = (request.values.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadInput(f"Дата «{raw}»: укажите её в виде ГГГГ-ММ-ДД.", code="invalid_date") from None


def _orgs(roles=AUDITOR) -> list[Organization]:
    session = db_session()
    ids = orgs_with_role(session, current_actor(), roles)
    return list(session.query(Organization).filter(Organization.id.in_(ids))
                .order_by(Organization.kind.desc(), Organization.id))


def _filter() -> audit_events.EventFilter:
    return audit_events.EventFilter(
        org_id=_int("org_id"), actor_id=_int("actor_id"), event=request.args.get("event") or None,
        kind=request.args.get("kind") or None, document_id=_int("document_id"),
        date_from=_date("from"), date_to=_date("to"), text=request.args.get("q") or None,
        sort=request.args.get("sort") if request.args.get("sort") in audit_events.SORTS
        else "-at")  # an unknown order (an old link) is the default, not an error


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    """The events journal; a POST saves its current filter (the query string) by name."""
    actor, session = current_actor(), db_session()
    require_role(actor, AUDITOR)
    form, status = None, 200
    if request.method == "POST":
        outcome = save_from_list("audit_events")
        if not isinstance(outcome, tuple):
            return outcome
        form, status = outcome
    f = _filter()
    rows, total = audit_events.search_events(session, actor, f, page_arg(), PER_PAGE)
    page = min(page_arg(), last_page(total, PER_PAGE))
    if rows == [] and total:  # past the end: the last page
        rows, total = audit_events.search_events(session, actor, f, page, PER_PAGE)
    from workflow.notify.inbox import org_members

    orgs = _orgs()
    args = {k: v for k, v in request.args.items() if v and k != "page"}
    return render_template("audit/events.html", rows=rows, total=total, page=page,
                           per_page=PER_PAGE, f=f, args=args, orgs=orgs,
                           people=org_members(session, {o.id for o in orgs}),
                           events=labels.HISTORY, kinds=KINDS, L=labels,
                           **filters_context("audit_events", form)), status


@bp.get("/events.xlsx")
@login_required
def events_xlsx():
    require_role(current_actor(), AUDITOR)
    data = audit_events.events_xlsx(db_session(), current_actor(), _filter())
    return send_file(io.BytesIO(data), mimetype=XLSX_MIME, as_attachment=True,
                     download_name="zhurnal-sobytij.xlsx")


@bp.get("/chains")
@login_required
def chains():
    return render_template("audit/chains.html",
                           statuses=checkpoints.chain_statuses(db_session(), current_actor()))


@bp.post("/chains/verify")
@login_required
def verify_now():
    job_id = jobs.start_verify(_rt(), current_actor(), _int("org_id"),
                               full=request.form.get("full") == "1")
    return redirect(url_for("audit.job", job_id=job_id))


@bp.get("/pack")
@login_required
def pack_form():
    require_role(current_actor(), AUDITOR)
    return render_template("audit/pack.html", orgs=_orgs())


@bp.post("/pack")
@login_required
def pack_start():
    job_id = jobs.start_pack(_rt(), current_actor(), _int("org_id"), _date("from"), _date("to"))
    return redirect(url_for("audit.job", job_id=job_id))


@bp.get("/jobs/<int:job_id>")
@login_required
def job(job_id: int):
    j = jobs.get_job(db_session(), current_actor(), job_id)
    return render_template("audit/job.html", j=j)


@bp.get("/jobs/<int:job_id>/download")
@login_required
def job_download(job_id: int):
    j = jobs.get_job(db_session(), current_actor(), job_id)
    path = jobs.pack_path(_rt(), j)
    if not path.exists():
        abort(404)
    return send_file(path, mimetype="application/zip", as_attachment=True,
                     download_name=j.result.get("filename", path.name))


@bp.get("/time-in-stage")
@login_required
def time_in_stage_page():
    roles = frozenset({Role.auditor, Role.municipal_officer})
    munis = [o for o in _orgs(roles) if o.parent_id is None]
    require_role(current_actor(), roles)
    muni_id = _int("municipality_id") or (munis[0].id if munis else None)
    report = time_in_stage.time_in_stage(db_session(), current_actor(), muni_id, _date("from"),
                                         _date("to"))
    if request.args.get("format") == "xlsx":
        data = time_in_stage.report_xlsx(report, {s: str(labels.STATES[s])
                                                  for s in time_in_stage.STATES},
                                         labels.kind_title)
        return send_file(io.BytesIO(data), mimetype=XLSX_MIME, as_attachment=True,
                         download_name="vremya-na-etapah.xlsx")
    return render_template("audit/time_in_stage.html", r=report, munis=munis, muni_id=muni_id,
                           chart=time_in_stage.chart(report), states=time_in_stage.STATES,
                           args={k: v for k, v in request.args.items() if v})


@bp.get("/personal-data-reads")
@login_required
def pd_reads_page():
    session, actor = db_session(), current_actor()
    filters = {"actor_id": _int("actor_id"), "date_from": _date("from"), "date_to": _date("to")}
    if request.args.get("format") == "xlsx":
        data = pd_reads.reads_xlsx(session, actor, _int("org_id"), **filters)
        return send_file(io.BytesIO(data), mimetype=XLSX_MIME, as_attachment=True,
                         download_name="chteniya-pdn.xlsx")
    page = page_arg()
    rows, total = pd_reads.list_reads(session, actor, _int("org_id"), page=page,
                                      per_page=PER_PAGE, **filters)
    return render_template("audit/pd_reads.html", rows=rows, total=total, page=page,
                           per_page=PER_PAGE, orgs=_orgs(),
                           args={k: v for k, v in request.args.items() if v and k != "page"})


@bp.get("/documents/<int:document_id>/compare")
@login_required
def compare(document_id: int):
    c = compare_versions(_rt(), db_session(), current_actor(), document_id, _int("a"), _int("b"))
    if request.args.get("format") == "txt":
        return send_file(io.BytesIO(c.as_text().encode()), mimetype="text/plain; charset=utf-8",
                         as_attachment=True,
                         download_name=f"document-{c.document_id}-v{c.a}-v{c.b}.txt")
    return render_template("audit/compare.html", c=c)
