"""Flask-WTF forms of the «Администрирование» pages (CSRF on every one)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

REQ = _l("Заполните поле.")


class OrgForm(FlaskForm):
    name = StringField(_l("Полное наименование"), validators=[DataRequired(REQ), Length(max=500)])
    short_name = StringField(_l("Краткое наименование"), validators=[DataRequired(REQ),
                                                                 Length(max=200)])
    founder = StringField(_l("Учредитель"), validators=[Length(max=500)])
    place = StringField(_l("Место издания (город, посёлок)"), validators=[Length(max=200)])
    head_name = StringField(_l("ФИО руководителя"), validators=[Length(max=200)])
    head_position = StringField(_l("Должность руководителя"), default="Директор",
                                validators=[Length(max=200)])
    inn = StringField(_l("ИНН"), validators=[Optional(), Length(max=12)])
    address = StringField(_l("Адрес"), validators=[Length(max=500)])

    def values(self) -> dict:
        return {f: (getattr(self, f).data or "") for f in
                ("name", "short_name", "founder", "place", "head_name", "head_position", "inn",
                 "address")}


class ActionForm(FlaskForm):
    """A bare POST button (activate, deactivate, re-send)."""


class UserForm(FlaskForm):
    email = EmailField(_l("Электронная почта (логин)"), validators=[DataRequired(REQ),
                                                               Length(max=254)])
    full_name = StringField(_l("ФИО"), validators=[DataRequired(REQ), Length(max=200)])
    position = StringField(_l("Должность"), validators=[Length(max=200)])
    org_id = SelectField(_l("Организация"), coerce=int, choices=[])
    role = SelectField(_l("Роль"), choices=[])


class UserEditForm(FlaskForm):
    full_name = StringField(_l("ФИО"), validators=[DataRequired(REQ), Length(max=200)])
    position = StringField(_l("Должность"), validators=[Length(max=200)])
    keep = SelectMultipleField(_l("Роли"), choices=[], option_widget=CheckboxInput(),
                               widget=ListWidget(prefix_label=False))
    add_org_id = SelectField(_l("Добавить роль: организация"), coerce=int, choices=[])
    add_role = SelectField(_l("роль"), choices=[])


class ImportForm(FlaskForm):
    file = FileField(_l("Файл XLSX со списком сотрудников"),
                     validators=[FileRequired(_l("Выберите файл .xlsx."))])


class ImportConfirmForm(FlaskForm):
    upload = HiddenField()


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("Новый пароль"), validators=[DataRequired(_l("Укажите пароль."))])
    repeat = PasswordField(_l("Повторите пароль"), validators=[
        EqualTo("password", message=_l("Пароли не совпадают."))])


class ResetForm(FlaskForm):
    email = EmailField(_l("Электронная почта"), validators=[DataRequired(_l("Укажите почту.")),
                                                        Length(max=254)])


class FirstRunForm(OrgForm):
    admin_email = EmailField(_l("E-mail администратора"), validators=[DataRequired(REQ)])
    admin_name = StringField(_l("ФИО администратора"), validators=[DataRequired(REQ)])
    password = PasswordField(_l("Пароль администратора"), validators=[DataRequired(REQ)])
    repeat = PasswordField(_l("Повторите пароль"), validators=[
        EqualTo("password", message=_l("Пароли не совпадают."))])

