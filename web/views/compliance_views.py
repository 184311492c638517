"""The municipal compliance page: schools × control points, the share N, indicators, charts
(server-rendered SVG, no JS), drill-down to a school, XLSX and the DOCX analytical report."""

from __future__ import annotations

import io

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required

from documents.models import Organization, OrgKind
from web.auth import current_actor, db_session, runtime
from web.views import labels
from web.views.errors import refusal
from web.views.formatting import ru_percent
from web.views.listing import page_arg
from workflow import clock
from workflow.compliance import matrix as compliance
from workflow.compliance.indicators import (
    INDICATOR_WRITERS_SCHOOL,
    school_indicators,
    set_indicator,
)
from workflow.errors import BadInput, NotFound, WorkflowError
from workflow.paging import last_page

bp = Blueprint("compliance", __name__, url_prefix="/compliance",
               template_folder="../templates")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SCHOOLS_PER_PAGE = 50


def _arg_int(name: str, default: int | None = None) -> int | None:
    raw = request.args.get(name, "")
    return int(raw) if raw.isdigit() else default


def _year() -> int:
    """The year asked for; one no calendar holds (a typo like 20255) is this year."""
    year = _arg_int("year")
    return year if year is not None and 1900 <= year <= 2200 else clock.today().year


def _municipality_id() -> int:
    mid = _arg_int("municipality_id")
    if mid is not None:
        return mid
    munis = compliance.viewable_municipalities(db_session(), current_actor())
    if not munis:
        raise NotFound("Нет доступных муниципалитетов.", code="municipality_not_found")
    return munis[0].id


def checkpoint_chart(by_checkpoint: list[dict], width: int = 560) -> dict:
    """Bar geometry for the SVG: schools that passed each control point."""
    label_w, bar_h, gap = 220, 22, 8
    words = labels.in_current_locale()
    bars = []
    for i, c in enumerate(by_checkpoint):
        share = c["done"] / c["total"] if c["total"] else 0.0
        bars.append({"y": i * (bar_h + gap), "label": words.CHECKPOINTS[c["kind"]],
                     "w": round((width - label_w - 70) * share, 1),
                     "text": _("%(done)s из %(total)s", done=c["done"], total=c["total"])})
    return {"width": width, "height": len(bars) * (bar_h + gap), "label_w": label_w,
            "bar_h": bar_h, "max_w": width - label_w - 70, "bars": bars}


def share_gauge(share: float, width: int = 560) -> dict:
    return {"width": width, "fill": round(width * min(share, 100.0) / 100.0, 1),
            "text": ru_percent(share)}


@bp.get("/")
@login_required
def index():
    year = _year()
    actor = current_actor()
    session = db_session()
    own = _own_school(session, actor)
    if own is not None:  # a school sees its own checkpoints and indicators
        return redirect(url_for("compliance.school", org_id=own, year=year))
    report = compliance.dashboard(session, actor, _municipality_id(), year)
    # the summary counts every school; the tables show one page of them
    total = len(report["schools"])
    page = min(page_arg(), last_page(total, SCHOOLS_PER_PAGE))
    shown = report["schools"][(page - 1) * SCHOOLS_PER_PAGE: page * SCHOOLS_PER_PAGE]
    words = labels.in_current_locale()
    return render_template("compliance/index.html", r=report, shown=shown, page=page,
                           total=total, per_page=SCHOOLS_PER_PAGE,
                           titles=words.CHECKPOINTS, states=words.CHECKPOINT_STATES,
                           done=compliance.DONE_STATES,
                           chart=checkpoint_chart(report["by_checkpoint"]),
                           gauge=share_gauge(report["share_percent"]),
                           municipalities=compliance.viewable_municipalities(session, actor))


@bp.get("/school/<int:org_id>")
@login_required
def school(org_id: int):
    session, actor = db_session(), current_actor()
    year = _year()
    detail = compliance.school_detail(session, actor, org_id)
    indicators = school_indicators(session, actor, org_id, year)
    can_write = bool(actor.roles_in(org_id) & INDICATOR_WRITERS_SCHOOL)
    words = labels.in_current_locale()
    return render_template("compliance/school.html", s=detail, year=year, indicators=indicators,
                           can_write=can_write,
                           titles=words.CHECKPOINTS, states=words.CHECKPOINT_STATES,
                           up=bool(compliance.viewable_municipalities(session, actor)))


def _own_school(session, actor) -> int | None:
    """The school of a reader with no municipality to look at (school roles)."""
    if compliance.viewable_municipalities(session, actor) or _arg_int("municipality_id"):
        return None
    schools = [oid for _role, oid in actor.grants
               if (org := session.get(Organization, oid)) and org.kind is OrgKind.school]
    return schools[0] if schools else None


@bp.get("/export.xlsx")
@login_required
def export_xlsx():
    data = compliance.export_xlsx(db_session(), current_actor(), _municipality_id())
    return send_file(io.BytesIO(data), mimetype=XLSX_MIME, as_attachment=True,
                     download_name="monitoring-nastavnichestva.xlsx")


@bp.get("/report.docx")
@login_required
def report_docx():
    data = compliance.analytical_report(db_session(), current_actor(), _municipality_id(),
                                        _year())
    return send_file(io.BytesIO(data), mimetype=DOCX_MIME, as_attachment=True,
                     download_name="analiticheskij-otchet.docx")


def _number(raw: str | None) -> float | None:
    """«33,3», «33.3», «20 %» → a number; empty → None (unchanged)."""
    text = (raw or "").replace("%", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise BadInput(f"«{raw}» — не число.", code="invalid_field") from None


@bp.post("/school/<int:org_id>/indicators")
@login_required
def save_indicator(org_id: int):
    """The page form for entering an indicator's plan and fact (the API's set_indicator)."""
    form = request.form
    year = _arg_int("year", clock.today().year) if not form.get("year", "").isdigit() \
        else int(form["year"])
    back = redirect(url_for("compliance.school", org_id=org_id, year=year) + "#indicators")
    try:
        set_indicator(runtime(), current_actor(), org_id=org_id, year=year,
                      code=form.get("code") or None, name=form.get("name") or None,
                      unit=form.get("unit") or "%", target=_number(form.get("target")),
                      actual=_number(form.get("actual")))
    except WorkflowError as exc:
        if exc.status == 404:
            raise
        flash(refusal(exc), "danger")
        return back
    flash(_("Показатель сохранён."), "success")
    return back
