"""Templates page: the DOCX templates in force per kind, uploading one, and a sample preview."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField

from web.auth import current_actor, db_session, runtime
from web.views.errors import refusal
from web.views.labels import kind_title
from workflow.errors import WorkflowError
from workflow.files import templates

bp = Blueprint("templates_admin", __name__, url_prefix="/templates",
               template_folder="../templates")


class UploadForm(FlaskForm):
    org_id = HiddenField()
    kind = SelectField(_l("Вид документа"), choices=[])
    file = FileField(_l("Файл шаблона (.docx)"),
                     validators=[FileRequired(_l("Выберите файл шаблона .docx."))])


def _form(org_id: int) -> UploadForm:
    form = UploadForm()
    form.kind.choices = [(k, kind_title(k)) for k in templates.KINDS_ORDER]
    form.org_id.data = str(org_id)
    return form


def _page(org_id: int | None, form: UploadForm | None = None, status: int = 200):
    page = templates.templates_page(db_session(), current_actor(), org_id)
    form = form or _form(page.org["id"])
    form.org_id.data = str(page.org["id"])
    return render_template("templates_admin/index.html", page=page, form=form,
                           kind_title=kind_title), status


def _org_arg(name: str = "org_id") -> int | None:
    raw = (request.values.get(name) or "").strip()
    return int(raw) if raw.isdigit() else None


@bp.get("/")
@login_required
def index():
    return _page(_org_arg())


@bp.post("/")
@login_required
def upload():
    org_id = _org_arg()
    form = _form(org_id or 0)
    if not form.validate_on_submit():
        return _page(org_id, form, 400)
    upload_file = form.file.data
    try:
        row = templates.upload_template(runtime(), current_actor(), kind=form.kind.data,
                                        org_id=org_id or 0, filename=upload_file.filename or "",
                                        data=upload_file.read())
    except WorkflowError as exc:
        if exc.status in (401, 404):
            raise
        form.file.errors = [*form.file.errors, refusal(exc)]
        return _page(org_id, form, exc.status)
    flash(_("Шаблон «%(file)s» загружен и действует для вида «%(kind)s».", file=row.filename,
            kind=kind_title(row.kind)), "success")
    return redirect(url_for("templates_admin.index", org_id=row.org_id))


@bp.get("/preview")
@login_required
def preview():
    kind = request.args.get("kind") or None
    result = templates.preview_template(runtime(), current_actor(), kind, _org_arg() or 0)
    return render_template("templates_admin/preview.html", p=result, kind_title=kind_title)
