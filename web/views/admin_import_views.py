"""«Администрирование» → staff import: upload an XLSX, see every row checked, confirm to
create all of them (or none), download the template."""

from __future__ import annotations

import re
import secrets

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from web.auth import current_actor, db_session, runtime
from web.views import labels
from web.views.admin_forms import ImportConfirmForm, ImportForm
from web.views.admin_user_views import handed_over
from web.views.admin_views import bp, org_arg, org_or_choose
from web.views.errors import refusal
from workflow.admin import scope, staff_import
from workflow.errors import WorkflowError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _folder():
    folder = runtime().settings.data_dir / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stash(actor_id: int, data: bytes) -> str:
    key = f"{actor_id}-{secrets.token_hex(16)}"
    (_folder() / f"{key}.xlsx").write_bytes(data)
    return key


def _unstash(actor_id: int, key: str) -> bytes:
    if not re.fullmatch(rf"{actor_id}-[0-9a-f]{{32}}", key or ""):
        abort(400)
    path = _folder() / f"{key}.xlsx"
    if not path.exists():
        abort(410)
    return path.read_bytes()


@bp.get("/import/template.xlsx")
@login_required
def import_template():
    return Response(staff_import.template_xlsx(), mimetype=XLSX, headers={
        "Content-Disposition": "attachment; filename=staff_template.xlsx"})


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_page():
    session, actor = db_session(), current_actor()
    allowed = scope.user_org_ids(session, actor)
    org = scope.require_org(session, actor, org_or_choose(allowed), allowed,
                            "Загружать сотрудников этой организации вам нельзя.")
    form, preview, confirm, status = ImportForm(), None, None, 200
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            preview = staff_import.preview(session, actor, org.id, data)
        except WorkflowError as exc:
            if exc.status in (401, 403, 404):
                raise
            form.file.errors = [*form.file.errors, refusal(exc)]
            status = exc.status
        else:
            if not preview["errors"]:
                confirm = ImportConfirmForm(upload=_stash(actor.id, data))
            else:
                status = 400
    elif form.errors:
        status = 400
    return render_template("admin/import.html", org=org, form=form, preview=preview,
                           confirm=confirm, roles=labels.in_current_locale().ADMIN_ROLES), status


@bp.post("/import/confirm")
@login_required
def import_confirm():
    actor = current_actor()
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    org_id = org_arg()
    data = _unstash(actor.id, form.upload.data)
    try:
        result = staff_import.import_staff(runtime(), actor, org_id, data)
    except WorkflowError as exc:
        if exc.status in (401, 403, 404):
            raise
        flash(refusal(exc), "danger")
        return redirect(url_for("admin.import_page", org_id=org_id))
    (_folder() / f"{form.upload.data}.xlsx").unlink(missing_ok=True)
    back = url_for("admin.users", org_id=org_id)
    if result.get("invitation_links"):
        flash(_("Создано пользователей: %(created)s, без изменений: %(unchanged)s.",
                created=result["created"], unchanged=result["unchanged"]), "success")
        return handed_over(result["invitation_links"], back)
    flash(_("Создано пользователей: %(created)s, без изменений: %(unchanged)s. Приглашения "
            "отправлены.", created=result["created"], unchanged=result["unchanged"]), "success")
    return redirect(back)
