"""Create and edit forms for every kind, built from the kind's field schema."""

from __future__ import annotations

from functools import lru_cache

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import DateField, FormField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from web.auth import current_actor, db_session, runtime
from web.views import bp
from web.views.conflict_text import conflict_message
from web.views.errors import refusal
from web.views.kind_forms import (
    Mapping,
    attach_errors,
    choice,
    entry_template,
    fields_form_class,
    kind_specs,
    to_fields,
    to_form_data,
)
from workflow.engine import authoring
from workflow.engine.conflicts import last_event_id
from workflow.engine.document_view import edit_context, new_context
from workflow.engine.kinds import CREATABLE
from workflow.errors import Conflict, WorkflowError
from workflow.mentorship.pair_choice import pair_choices
from workflow.notify.inbox import user_names


def _opt_int(value):
    return int(value) if value not in (None, "", "None") else None


def _lock_version(value: str | None) -> int:
    """The version the form was filled on (a hidden field): anything but a number is no
    version of this document, so the save is refused as a conflict, never a 500."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) <= 9 else -1


@lru_cache(maxsize=64)
def document_form_class(kind: str, new: bool) -> type[FlaskForm]:
    attrs = {
        "title": StringField(_l("Заголовок"), validators=[
            DataRequired(_l("Укажите заголовок документа.")), Length(max=500)]),
        "responsible_id": SelectField(_l("Ответственный"), coerce=_opt_int,
                                      validators=[Optional()]),
        "due": DateField(_l("Срок"), validators=[Optional()]),
        "f": FormField(fields_form_class(kind), label=""),
    }
    if new:
        attrs["org_id"] = SelectField(_l("Организация"), coerce=_opt_int)
    else:
        attrs["lock_version"] = HiddenField()
    return type(f"DocumentForm_{kind}_{'new' if new else 'edit'}", (FlaskForm,), attrs)


def _people(members) -> list[tuple]:
    return [choice("", _("— не назначен —"))] + [choice(u.id, u.full_name) for u in members]


def _pair_choices(form, org_ids: list[int], doc_id: int | None) -> None:
    """A pair order chooses from the school's pairs (mentor → mentees · form · term)."""
    fields = form.f.form
    if "pair_ids" in fields:
        fields["pair_ids"].choices = [choice(i, label) for i, label in
                                      pair_choices(db_session(), org_ids, doc_id)]


def _staff_choices(form, members, stored=None) -> None:
    """«Ознакомить»: the organisation's staff by name (people never type ids); someone listed
    before who is no longer among them stays in the list until unticked."""
    fields = form.f.form
    if "acquaintance_user_ids" not in fields:
        return
    people = [(u.id, u.full_name + (f", {u.position}" if getattr(u, "position", "") else ""))
              for u in members]
    known = {i for i, _label in people}
    missing = {i for i in stored or [] if isinstance(i, int) and i not in known}
    people += sorted(user_names(db_session(), missing).items(), key=lambda kv: kv[1])
    fields["acquaintance_user_ids"].choices = [choice(i, label) for i, label in people]


def _save_errors(form, mapping: Mapping, exc: WorkflowError) -> None:
    fields = exc.details.get("fields") if exc.details else None
    if fields:
        for message in attach_errors(mapping, fields):
            flash(message, "danger")
        flash(_("Проверьте поля, отмеченные красным."), "danger")
    elif exc.code == "responsible_outside_org":
        form.responsible_id.errors = [refusal(exc)]
    elif exc.code == "invalid_title":
        form.title.errors = [refusal(exc)]
    else:
        flash(refusal(exc), "danger")


@bp.get("/documents/new")
@login_required
def new_document():
    ctx = new_context(db_session(), current_actor())
    return render_template("documents/new.html", kinds=list(CREATABLE), orgs=ctx.orgs)


@bp.route("/documents/new/<kind>", methods=["GET", "POST"])
@login_required
def create_document(kind: str):
    if kind not in CREATABLE:
        abort(404)
    ctx = new_context(db_session(), current_actor())
    if not ctx.orgs:
        abort(403)
    form_cls = document_form_class(kind, True)
    if request.method == "GET":
        form = form_cls(data={"f": to_form_data(kind_specs(kind), {}),
                              "org_id": request.args.get("org_id", type=int)})
    else:
        form = form_cls()
    form.org_id.choices = [choice(o.id, o.short_name or o.name) for o in ctx.orgs]
    form.responsible_id.choices = _people(ctx.members)
    _pair_choices(form, [o.id for o in ctx.orgs], None)
    _staff_choices(form, ctx.members)
    status = 200
    if form.validate_on_submit():
        mapping = Mapping()
        fields = to_fields(form.f.form, mapping)
        try:
            doc_id = authoring.create_document(
                runtime(), current_actor(), kind=kind, org_id=form.org_id.data,
                title=form.title.data, fields=fields, responsible_id=form.responsible_id.data,
                due=form.due.data)
        except WorkflowError as exc:
            _save_errors(form, mapping, exc)
            status = exc.status
        else:
            flash(_("Черновик создан."), "success")
            return redirect(url_for("views.document", document_id=doc_id))
    elif request.method == "POST":
        status = 400
    return render_template("documents/form.html", form=form, kind=kind, doc=None,
                           specs=kind_specs(kind), entry_template=entry_template), status


@bp.route("/documents/<int:document_id>/edit", methods=["GET", "POST"])
@login_required
def edit_document(document_id: int):
    ctx = edit_context(db_session(), current_actor(), document_id)
    doc = ctx.doc
    if not ctx.may_edit:
        abort(403)
    if doc.state.value != "draft":
        flash(_("Изменять можно только черновик."), "warning")
        return redirect(url_for("views.document", document_id=document_id))
    form_cls = document_form_class(doc.kind, False)
    if request.method == "GET":
        form = form_cls(data={"title": doc.title, "responsible_id": doc.responsible_id,
                              "due": doc.due, "lock_version": doc.lock_version,
                              "f": to_form_data(kind_specs(doc.kind), doc.fields)})
    else:
        form = form_cls()
    form.responsible_id.choices = _people(ctx.members)
    _pair_choices(form, [doc.org_id], doc.id)
    _staff_choices(form, ctx.members, (doc.fields or {}).get("acquaintance_user_ids"))
    status, conflict = 200, None
    if form.validate_on_submit():
        mapping = Mapping()
        fields = to_fields(form.f.form, mapping)
        try:
            authoring.update_document(
                runtime(), current_actor(), document_id,
                expected_version=_lock_version(form.lock_version.data), title=form.title.data,
                fields=fields, responsible_id=form.responsible_id.data, due=form.due.data)
        except Conflict:
            conflict = conflict_message(document_id)
            status = 409
        except WorkflowError as exc:
            _save_errors(form, mapping, exc)
            status = exc.status
        else:
            flash(_("Изменения сохранены."), "success")
            return redirect(url_for("views.document", document_id=document_id))
    elif request.method == "POST":
        status = 400
    return render_template("documents/form.html", form=form, kind=doc.kind, doc=doc,
                           specs=kind_specs(doc.kind), entry_template=entry_template,
                           conflict=conflict,
                           seen_event=last_event_id(db_session(), document_id)), status
