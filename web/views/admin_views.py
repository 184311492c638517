"""«Администрирование»: the municipality and its schools (requisites, deactivation) and the
registration journals. People, import and the log are in admin_user_views, admin_import_views
and admin_log_views; all on this blueprint."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from web.auth import current_actor, db_session, runtime
from web.views.admin_forms import ActionForm, OrgForm
from web.views.errors import refusal
from workflow.admin import journals, organisations, scope
from workflow.engine.kinds import KINDS
from workflow.errors import WorkflowError

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="../templates")


def org_arg(name: str = "org_id") -> int | None:
    raw = (request.values.get(name) or "").strip()
    return int(raw) if raw.isdigit() else None


def org_or_choose(allowed: set[int]) -> int | None:
    """The organisation of ``?org_id=``; an address typed without it opens the one the person
    may work in, or, when there are several, the list to choose from (was a 404)."""
    org_id = org_arg()
    if org_id is None and len(allowed) == 1:
        return next(iter(allowed))
    if org_id is None and allowed:
        flash(_("Выберите организацию."), "info")
        abort(redirect(url_for("admin.index")))
    return org_id


def field_error(form, exc: WorkflowError) -> None:
    """Put a service's refusal next to the field it names (or on the form)."""
    name = (exc.details or {}).get("field")
    field = getattr(form, name, None) if name else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, refusal(exc)]
    else:
        form.form_errors.append(refusal(exc))


def _areas(session, actor) -> dict:
    return {"users": scope.user_org_ids(session, actor),
            "requisites": scope.requisite_org_ids(session, actor),
            "log": scope.log_readable_org_ids(session, actor),
            "munis": scope.admin_municipalities(session, actor)}


@bp.get("/")
@login_required
def index():
    session, actor = db_session(), current_actor()
    areas = _areas(session, actor)
    orgs = organisations.list_for_admin(session, actor)
    log_only = sorted(areas["log"] - {o.id for o in orgs})
    if not orgs and not log_only:
        abort(403)
    from documents.models import Organization

    extra = [session.get(Organization, i) for i in log_only]
    return render_template("admin/index.html", orgs=orgs + extra, areas=areas,
                           action_form=ActionForm())


@bp.route("/orgs/new", methods=["GET", "POST"])
@login_required
def org_new():
    session, actor = db_session(), current_actor()
    if not scope.admin_municipalities(session, actor):
        abort(403)
    form = OrgForm()
    if form.validate_on_submit():
        try:
            org = organisations.create_school(runtime(), actor, form.values())
        except WorkflowError as exc:
            if exc.status in (401, 403, 404):
                raise
            field_error(form, exc)
        else:
            flash(_("Школа «%(name)s» создана. Теперь добавьте её сотрудников.",
                    name=org["short_name"]), "success")
            return redirect(url_for("admin.users", org_id=org["id"]))
    return render_template("admin/org_form.html", form=form, org=None), \
        400 if form.errors or form.form_errors else 200


@bp.route("/orgs/<int:org_id>", methods=["GET", "POST"])
@login_required
def org_edit(org_id: int):
    session, actor = db_session(), current_actor()
    org = scope.require_org(session, actor, org_id, scope.requisite_org_ids(session, actor),
                            "Реквизиты этой организации вам менять нельзя.")
    form = OrgForm(obj=org)
    if form.validate_on_submit():
        try:
            organisations.update_organization(runtime(), actor, org_id, form.values())
        except WorkflowError as exc:
            if exc.status in (401, 403, 404):
                raise
            field_error(form, exc)
        else:
            flash(_("Реквизиты сохранены; новые документы будут оформлены с ними."), "success")
            return redirect(url_for("admin.index"))
    can_toggle = org.kind.value == "school" and scope.municipality_of(org) in \
        scope.admin_municipalities(session, actor)
    return render_template("admin/org_form.html", form=form, org=org, can_toggle=can_toggle,
                           action_form=ActionForm()), 400 if form.errors else 200


@bp.post("/orgs/<int:org_id>/active")
@login_required
def org_active(org_id: int):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    organisations.update_organization(runtime(), current_actor(), org_id, {"active": active})
    flash(_("Организация восстановлена.") if active else _("Организация деактивирована."),
          "info")
    return redirect(url_for("admin.index"))


@bp.route("/journals", methods=["GET", "POST"])
@login_required
def journals_page():
    session, actor = db_session(), current_actor()
    readable = scope.reader_org_ids(session, actor)
    org = scope.require_org(session, actor, org_or_choose(readable), readable,
                            "Журналы регистрации этой организации вам недоступны.")
    can_edit = org.id in scope.requisite_org_ids(session, actor)
    form, error, status = ActionForm(), None, 200
    if request.method == "POST":
        if not can_edit:
            abort(403)
        if not form.validate_on_submit():
            abort(400)
        items = []
        for code in request.form.getlist("code"):
            raw_number = (request.form.get(f"next_number_{code}") or "").strip()
            items.append({"code": code, "title": request.form.get(f"title_{code}", ""),
                          "suffix": request.form.get(f"suffix_{code}", ""),
                          "kinds": request.form.getlist(f"kinds_{code}"),
                          "next_number": int(raw_number) if raw_number.isdigit() else None})
        try:
            journals.put_journals(runtime(), actor, org.id, items)
        except WorkflowError as exc:
            if exc.status in (401, 403, 404):
                raise
            error, status = refusal(exc), exc.status
        else:
            flash(_("Журналы регистрации сохранены."), "success")
            return redirect(url_for("admin.journals_page", org_id=org.id))
    rows = journals.list_journals(db_session(), actor, org.id)
    return render_template("admin/journals.html", org=org, rows=rows, kinds=KINDS,
                           can_edit=can_edit, form=form, error=error), status


from web.views import admin_import_views, admin_log_views, admin_user_views  # noqa: F401
