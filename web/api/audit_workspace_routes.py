"""The auditor's workspace: events across documents, audit packs, time in stage and reads
of minors' personal data (api.md «The auditor's workspace»)."""

from __future__ import annotations

import io
import tempfile
from datetime import date

from flask import current_app, jsonify, request, send_file

from web.api import bp
from web.api.common import int_arg, paging
from web.auth import current_actor, db_session
from workflow.audit import events as audit_events
from workflow.audit import pd_reads, time_in_stage
from workflow.audit.pack import pack_filename, period, write_pack
from workflow.audit.scope import scoped_orgs
from workflow.errors import BadInput

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def date_arg(name: str) -> date | None:
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    try:
        if len(raw) == 10:
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise BadInput(f"Параметр {name}: дата в формате ГГГГ-ММ-ДД.", code="invalid_date")


def event_filter() -> audit_events.EventFilter:
    return audit_events.EventFilter(
        org_id=int_arg("org_id"), actor_id=int_arg("actor_id"),
        event=request.args.get("event") or None, kind=request.args.get("kind") or None,
        document_id=int_arg("document_id"), date_from=date_arg("from"), date_to=date_arg("to"),
        text=request.args.get("q") or None, sort=request.args.get("sort") or "-at")


@bp.get("/audit/events")
def audit_events_list():
    """Журнал событий по всем доступным документам (фильтры, страницы, format=xlsx)."""
    f = event_filter()
    if request.args.get("format") == "xlsx":
        data = audit_events.events_xlsx(db_session(), current_actor(), f)
        return send_file(io.BytesIO(data), mimetype=XLSX_MIME, as_attachment=True,
                         download_name="audit-events.xlsx")
    page, per_page = paging()
    rows, total = audit_events.search_events(db_session(), current_actor(), f, page, per_page)
    return jsonify({"items": [r.to_api() for r in rows], "total": total, "page": page})


@bp.get("/audit/pack")
def audit_pack():
    """Пакет для проверки (ZIP): цепочка, подписанные файлы, манифест, verify_pack.py."""
    # written to a temporary file (bounded memory) and sent from it
    session, actor = db_session(), current_actor()
    org_id = int_arg("org_id")
    if org_id is None:
        raise BadInput("Укажите организацию (org_id).", code="missing_parameter")
    start, to = period(date_arg("from"), date_arg("to"))
    scoped_orgs(session, actor, org_id)
    rt = current_app.extensions["nastavnik"]
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it after the response
    write_pack(rt, session, org_id, start, to, tmp)
    tmp.seek(0)
    return send_file(tmp, mimetype="application/zip", as_attachment=True,
                     download_name=pack_filename(org_id, start, to))


@bp.get("/reports/time-in-stage")
def time_in_stage_report():
    """Время на этапах: медиана и максимум по школам и видам (format=xlsx)."""
    report = time_in_stage.time_in_stage(db_session(), current_actor(),
                                         int_arg("municipality_id"), date_arg("from"),
                                         date_arg("to"))
    if request.args.get("format") == "xlsx":
        from web.views.labels import STATES, kind_title

        data = time_in_stage.report_xlsx(report, {s: str(STATES[s])
                                                  for s in time_in_stage.STATES}, kind_title)
        return send_file(io.BytesIO(data), mimetype=XLSX_MIME, as_attachment=True,
                         download_name="time-in-stage.xlsx")
    return jsonify(report.to_api())


@bp.get("/audit/personal-data-reads")
def personal_data_reads():
    """Журнал чтений персональных данных несовершеннолетних (только аудитор)."""
    session, actor = db_session(), current_actor()
    filters = {"actor_id": int_arg("actor_id"), "date_from": date_arg("from"),
               "date_to": date_arg("to")}
    if request.args.get("format") == "xlsx":
        data = pd_reads.reads_xlsx(session, actor, int_arg("org_id"), **filters)
        return send_file(io.BytesIO(data), mimetype=XLSX_MIME, as_attachment=True,
                         download_name="personal-data-reads.xlsx")
    page, per_page = paging()
    rows, total = pd_reads.list_reads(session, actor, int_arg("org_id"), page=page,
                                      per_page=per_page, **filters)
    return jsonify({"items": [r.to_api() for r in rows], "total": total, "page": page})

