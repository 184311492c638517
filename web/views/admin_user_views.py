"""«Администрирование» → people: search and filter, create (with an invitation), edit,
grants, deactivate and restore, re-send the invitation."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from documents.models import Organization, User
from web.auth import current_actor, db_session, runtime
from web.views import labels
from web.views.admin_forms import ActionForm, UserEditForm, UserForm
from web.views.admin_views import bp, field_error, org_arg
from web.views.errors import refusal
from web.views.listing import page_arg, sort_arg
from workflow.admin import invitations, organisations, scope
from workflow.admin import users as people
from workflow.engine.permissions import ROLE_TITLES
from workflow.errors import WorkflowError
from workflow.paging import last_page

PER_PAGE = 50


def _managed_orgs(session, actor) -> list[Organization]:
    ids = scope.user_org_ids(session, actor)
    return [o for o in organisations.list_for_admin(session, actor)
            if o.id in ids and o.is_active]


def _role_choices(orgs: list[Organization]) -> list[tuple[str, str]]:
    roles = set()
    for o in orgs:
        roles |= {r.value for r in scope.roles_for(o.kind)}
    order, titles = list(ROLE_TITLES), labels.in_current_locale().ADMIN_ROLES
    return [(r, titles[r]) for r in sorted(roles, key=order.index)]


@bp.get("/users")
@login_required
def users():
    session, actor = db_session(), current_actor()
    org_id = org_arg()
    active_arg = request.args.get("active", "1")
    result = users_service_list(session, actor, org_id, active_arg)
    orgs = [o for o in organisations.list_for_admin(session, actor)
            if o.id in scope.reader_org_ids(session, actor)]
    names = {o.id: o.short_name for o in orgs}
    return render_template("admin/users.html", result=result, orgs=orgs, names=names,
                           org_id=org_id, q=request.args.get("q", ""),
                           role=request.args.get("role", ""), active=active_arg,
                           roles=labels.in_current_locale().ADMIN_ROLES, per_page=PER_PAGE,
                           can_manage=bool(scope.user_org_ids(session, actor)),
                           action_form=ActionForm())


def users_service_list(session, actor, org_id, active_arg):
    role = request.args.get("role") or None

    def listed(page: int) -> dict:
        return people.list_users(session, actor, org_id=org_id,
                                 q=(request.args.get("q") or "").strip()[:200] or None,
                                 role=role if role in ROLE_TITLES else None,
                                 active={"1": True, "0": False}.get(active_arg),
                                 page=page, per_page=PER_PAGE,
                                 sort=sort_arg(people.USER_SORTS))

    result = listed(page_arg())
    if not result["items"] and result["total"]:  # past the end: the last page
        result = listed(last_page(result["total"], PER_PAGE))
    return result


@bp.route("/users/new", methods=["GET", "POST"])
@login_required
def user_new():
    session, actor = db_session(), current_actor()
    orgs = _managed_orgs(session, actor)
    if not orgs:
        abort(403)
    form = UserForm()
    form.org_id.choices = [(o.id, o.short_name) for o in orgs]
    form.role.choices = _role_choices(orgs)
    if request.method == "GET":
        # preselected: the organisation asked for, else the first school (most people are a
        # school's staff), and a role that fits it — not a school's role in a municipality
        schools = [o for o in orgs if o.kind.value == "school"]
        chosen = next((o for o in orgs if o.id == org_arg()), (schools or orgs)[0])
        form.org_id.data = chosen.id
        form.role.data = _role_choices([chosen])[0][0]
    if form.validate_on_submit():
        try:
            user = people.create_user(runtime(), actor, {
                "email": form.email.data, "full_name": form.full_name.data,
                "position": form.position.data or "",
                "grants": [{"role": form.role.data, "org_id": form.org_id.data}]})
        except WorkflowError as exc:
            if exc.status in (401, 404):
                raise
            field_error(form, exc)
        else:
            back = url_for("admin.users", org_id=form.org_id.data)
            if user.get("invitation_link"):
                return handed_over([{**user, "link": user["invitation_link"]}], back)
            flash(_("Пользователь %(email)s создан; приглашение отправлено на почту.",
                    email=user["email"]), "success")
            return redirect(back)
    return render_template("admin/user_new.html", form=form,
                           mail=invitations.mail_configured(runtime().settings)), \
        400 if form.errors or form.form_errors else 200


def handed_over(links: list[dict], back: str):
    """Without a mail server: the invitation links, shown once, for the administrator to pass
    on in person (``links``: full_name, email, link)."""
    return render_template("admin/invitation_links.html", links=links, back=back)


def _edit_form(session, actor, user: User, managed: list[Organization]) -> UserEditForm:
    form = UserEditForm(obj=user) if request.method == "GET" else UserEditForm()
    names = {o.id: o.short_name for o in managed}
    titles = labels.in_current_locale().ADMIN_ROLES
    form.keep.choices = [(f"{g.role.value}:{g.org_id}",
                          f"{titles[g.role.value]} — {names[g.org_id]}")
                         for g in user.grants if g.org_id in names]
    if request.method == "GET":
        form.keep.data = [value for value, _ in form.keep.choices]
    form.add_org_id.choices = [(0, "—")] + [(o.id, o.short_name) for o in managed]
    form.add_role.choices = [("", "—")] + _role_choices(managed)
    return form


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def user_edit(user_id: int):
    session, actor = db_session(), current_actor()
    people.get_user(session, actor, user_id)  # 404 unless readable
    user = session.get(User, user_id)
    managed = _managed_orgs(session, actor)
    if not {g.org_id for g in user.grants} & {o.id for o in managed}:
        abort(403)
    form = _edit_form(session, actor, user, managed)
    if form.validate_on_submit():
        grants = [{"role": v.split(":")[0], "org_id": int(v.split(":")[1])}
                  for v in form.keep.data or []]
        if form.add_org_id.data and form.add_role.data:
            grants.append({"role": form.add_role.data, "org_id": form.add_org_id.data})
        try:
            people.update_user(runtime(), actor, user_id, {
                "full_name": form.full_name.data, "position": form.position.data or "",
                "grants": grants})
        except WorkflowError as exc:
            if exc.status in (401, 404):
                raise
            field_error(form, exc)
        else:
            flash(_("Изменения сохранены."), "success")
            return redirect(url_for("admin.user_edit", user_id=user_id))
    fresh = people.get_user(db_session(), actor, user_id)
    return render_template("admin/user_edit.html", form=form, user=fresh,
                           action_form=ActionForm()), \
        (400 if form.errors or form.form_errors else 200)


@bp.post("/users/<int:user_id>/active")
@login_required
def user_active(user_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    try:
        people.update_user(runtime(), current_actor(), user_id, {"active": active})
    except WorkflowError as exc:
        if exc.status not in (400, 422):
            raise
        flash(refusal(exc), "danger")
    else:
        flash(_("Пользователь восстановлен.") if active else
              _("Пользователь деактивирован: его сеансы и токены закрыты."), "info")
    return redirect(url_for("admin.user_edit", user_id=user_id))


@bp.post("/users/<int:user_id>/invite")
@login_required
def user_invite(user_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    back = url_for("admin.user_edit", user_id=user_id)
    try:
        link = people.resend_invitation(runtime(), current_actor(), user_id)
    except WorkflowError as exc:
        if exc.status != 422:
            raise
        flash(refusal(exc), "danger")
    else:
        if link:
            user = db_session().get(User, user_id)
            return handed_over([{"full_name": user.full_name, "email": user.email,
                                 "link": link}], back)
        flash(_("Приглашение отправлено повторно; прежняя ссылка больше не действует."),
              "success")
    return redirect(back)
