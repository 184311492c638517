"""The registers page: people with their consents and requests, pairs, import/export."""

from __future__ import annotations

import io
import re

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required

from web.auth import current_actor, db_session, runtime
from web.views import labels
from web.views.listing import page_arg, sort_arg
from workflow.errors import BadInput, NotFound, WorkflowError
from workflow.mentorship import consents, pairs, registers
from workflow.paging import last_page

bp = Blueprint("registers", __name__, url_prefix="/registers",
               template_folder="../templates")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PEOPLE_PER_PAGE = 100
PAIRS_PER_PAGE = 50


def _org_id() -> int:
    raw = request.values.get("org_id", "")
    if raw.isdigit():
        return int(raw)
    schools = registers.selectable_schools(db_session(), current_actor())
    if not schools:
        raise NotFound("Нет доступных школ.", code="organization_not_found")
    return schools[0]["id"]


def _date(name: str):
    from web.views.formatting import parse_date

    try:
        day = parse_date(request.form.get(name, ""))
    except ValueError as exc:
        raise BadInput(str(exc), code="invalid_date",
                       details={"fields": {name: str(exc)}}) from None
    if day is None:
        return None
    from workflow.dates import sane_date

    return sane_date(day, name)


def _int(name: str):
    raw = request.form.get(name, "").strip()
    return int(raw) if raw.isdigit() and len(raw) <= 9 else None


@bp.get("/")
@login_required
def index():
    return _page()


def _page(posted: dict | None = None, status: int = 200):
    actor, words = current_actor(), labels.in_current_locale()
    org_id = _org_id()
    category = request.args.get("category") or None
    if category not in registers.CATEGORY_TITLES:
        category = None
    sort = sort_arg(registers.PEOPLE_SORTS)
    people = registers.list_people(runtime(), actor, org_id=org_id, category=category,
                                   page=page_arg(), per_page=PEOPLE_PER_PAGE,
                                   with_requests=True, sort=sort)
    if people["items"] == [] and people["total"]:  # past the end: the last page
        people = registers.list_people(
            runtime(), actor, org_id=org_id, category=category, with_requests=True, sort=sort,
            page=last_page(people["total"], PEOPLE_PER_PAGE), per_page=PEOPLE_PER_PAGE)
    try:
        pair_page = pairs.list_pairs(runtime(), actor, org_id=org_id, per_page=PAIRS_PER_PAGE,
                                     page=page_arg("pairs_page"))
        if pair_page["items"] == [] and pair_page["total"]:
            pair_page = pairs.list_pairs(runtime(), actor, org_id=org_id,
                                         per_page=PAIRS_PER_PAGE,
                                         page=last_page(pair_page["total"], PAIRS_PER_PAGE))
        pair_list = pair_page["items"]
    except NotFound:
        pair_page, pair_list = None, None  # adults only for this reader: pairs name minors
    session = db_session()
    return render_template(
        "registers/index.html", org_id=org_id, people=people, pairs=pair_list,
        choices=registers.people_choices(runtime(), actor, org_id) if
        registers.may_keep(actor, org_id) else [],
        pair_page=pair_page, people_per_page=PEOPLE_PER_PAGE, pairs_per_page=PAIRS_PER_PAGE,
        category=category, schools=registers.selectable_schools(session, actor),
        forms=registers.list_forms(session), role_models=registers.list_role_models(session),
        settings=registers.get_settings(session, actor, org_id),
        can_edit=registers.may_keep(actor, org_id), titles=words.CATEGORIES,
        status_titles=words.PAIR_STATUSES, posted=posted or {}), status


def _back(org_id: int):
    return redirect(url_for("registers.index", org_id=org_id))


#: Form inputs of the register forms, in the words people see (for errors by the field).
FIELD_LABELS = {
    "full_name": "ФИО", "category": "Категория", "grade": "Класс", "position": "Должность",
    "experience_years": "Стаж", "birth_date": "Дата рождения", "request": "Запрос",
    "person_id": "Человек", "kind": "Вид согласия", "signed_by": "Кто подписал",
    "representative_name": "ФИО законного представителя", "signed_on": "Дата подписания",
    "mentor_id": "Наставник", "mentee_ids": "Наставляемые", "form": "Форма",
    "role_model": "Ролевая модель", "start": "С", "end": "По",
}
_CODE_FIELDS = {"invalid_full_name": "full_name", "invalid_category": "category",
                "invalid_request": "request", "consent_missing": "mentee_ids"}
_FIELD_WORD = re.compile(r"\(?\b(" + "|".join(sorted(FIELD_LABELS, key=len, reverse=True))
                         + r")\b\)?")


def error_field(exc: WorkflowError, names) -> str | None:
    """Which input of the posted form an error is about (None: the form as a whole)."""
    fields = (exc.details or {}).get("fields")
    if isinstance(fields, dict):
        for name in fields:
            if name in names:
                return name
    if _CODE_FIELDS.get(exc.code) in names:
        return _CODE_FIELDS[exc.code]
    found = [m.group(1) for m in _FIELD_WORD.finditer(exc.message) if m.group(1) in names]
    if found:
        return found[0]
    low = exc.message.lower()
    if "рожден" in low and "birth_date" in names:
        return "birth_date"
    if ("сроки пары" in low or "окончание" in low) and "end" in names:
        return "end"
    return None


def _humane(message: str) -> str:
    """The API message without its JSON field names."""
    text = re.sub(r"\s*\((?:" + "|".join(FIELD_LABELS) + r")\)", "", message)
    return _FIELD_WORD.sub(lambda m: f"«{FIELD_LABELS[m.group(1)]}»", text)


def _run(org_id: int, fn, success: str, form: str = ""):
    """Run a register change; on a refusal show the same page again with what was typed and
    the message next to the input it is about."""
    try:
        fn()
    except WorkflowError as exc:
        if exc.status == 404:
            raise
        field = error_field(exc, set(FIELD_LABELS))
        posted = {"form": form, "values": request.form, "message": _humane(exc.message),
                  "field": field}
        return _page(posted, 400)
    flash(success, "success")
    return _back(org_id)


@bp.post("/people")
@login_required
def add_person():
    org_id = _org_id()
    f = request.form
    return _run(org_id, lambda: registers.create_person(
        runtime(), current_actor(), org_id=org_id, full_name=f.get("full_name"),
        category=f.get("category"), grade=f.get("grade") or None,
        position=f.get("position") or None, experience_years=_int("experience_years"),
        birth_date=_date("birth_date"), request=f.get("request") or None),
        _("Человек добавлен в реестр."), "person")


@bp.post("/consents")
@login_required
def add_consent():
    org_id = _org_id()
    f = request.form
    return _run(org_id, lambda: consents.record_consent(
        runtime(), current_actor(), person_id=_int("person_id"), kind=f.get("kind"),
        signed_by=f.get("signed_by"), representative_name=f.get("representative_name") or None,
        signed_on=_date("signed_on")), _("Согласие записано."), "consent")


@bp.post("/pairs")
@login_required
def add_pair():
    org_id = _org_id()
    f = request.form
    mentee_ids = [int(v) for v in f.getlist("mentee_ids") if v.isdigit()]
    return _run(org_id, lambda: pairs.create_pair(
        runtime(), current_actor(), org_id=org_id, mentor_id=_int("mentor_id"),
        mentee_ids=mentee_ids, form=f.get("form"), role_model=f.get("role_model") or None,
        start=_date("start"), end=_date("end")), _("Пара сформирована."), "pair")


@bp.post("/import")
@login_required
def import_xlsx():
    org_id = _org_id()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Выберите файл XLSX."), "danger")
        return _back(org_id)
    data = upload.read()
    holder = {}

    def run():
        holder["n"] = registers.import_people(runtime(), current_actor(), org_id, data)

    response = _run(org_id, run, _("Реестр загружен."), "import")
    return response


@bp.get("/export.xlsx")
@login_required
def export_xlsx():
    data = registers.export_people(runtime(), current_actor(), _org_id())
    return send_file(io.BytesIO(data), mimetype=XLSX_MIME, as_attachment=True,
                     download_name="reestr-nastavnichestva.xlsx")
