"""Flask-WTF forms of the «Администрирование» pages (CSRF on every one)."""

from __future__ import annotations

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

REQ = "Заполните поле."


class OrgForm(FlaskForm):
    name = StringField("Полное наименование", validators=[DataRequired(REQ), Length(max=500)])
    short_name = StringField("Краткое наименование", validators=[DataRequired(REQ),
                                                                 Length(max=200)])
    founder = StringField("Учредитель", validators=[Length(max=500)])
    place = StringField("Место издания (город, посёлок)", validators=[Length(max=200)])
    head_name = StringField("ФИО руководителя", validators=[Length(max=200)])
    head_position = StringField("Должность руководителя", default="Директор",
                                validators=[Length(max=200)])
    inn = StringField("ИНН", validators=[Optional(), Length(max=12)])
    address = StringField("Адрес", validators=[Length(max=500)])

    def values(self) -> dict:
        return {f: (getattr(self, f).data or "") for f in
                ("name", "short_name", "founder", "place", "head_name", "head_position", "inn",
                 "address")}


class ActionForm(FlaskForm):
    """A bare POST button (activate, deactivate, re-send)."""


class UserForm(FlaskForm):
    email = EmailField("Электронная почта (логин)", validators=[DataRequired(REQ),
                                                               Length(max=254)])
    full_name = StringField("ФИО", validators=[DataRequired(REQ), Length(max=200)])
    position = StringField("Должность", validators=[Length(max=200)])
    org_id = SelectField("Организация", coerce=int, choices=[])
    role = SelectField("Роль", choices=[])


class UserEditForm(FlaskForm):
    full_name = StringField("ФИО", validators=[DataRequired(REQ), Length(max=200)])
    position = StringField("Должность", validators=[Length(max=200)])
    keep = SelectMultipleField("Роли", choices=[], option_widget=CheckboxInput(),
                               widget=ListWidget(prefix_label=False))
    add_org_id = SelectField("Добавить роль: организация", coerce=int, choices=[])
    add_role = SelectField("роль", choices=[])


class ImportForm(FlaskForm):
    file = FileField("Файл XLSX со списком сотрудников",
                     validators=[FileRequired("Выберите файл .xlsx.")])


class ImportConfirmForm(FlaskForm):
    upload = HiddenField()


class SetPasswordForm(FlaskForm):
    password = PasswordField("Новый пароль", validators=[DataRequired("Укажите пароль.")])
    repeat = PasswordField("Повторите пароль", validators=[
        EqualTo("password", message="Пароли не совпадают.")])


class ResetForm(FlaskForm):
    email = EmailField("Электронная почта", validators=[DataRequired("Укажите почту."),
                                                        Length(max=254)])


class FirstRunForm(OrgForm):
    admin_email = EmailField("E-mail администратора", validators=[DataRequired(REQ)])
    admin_name = StringField("ФИО администратора", validators=[DataRequired(REQ)])
    password = PasswordField("Пароль администратора", validators=[DataRequired(REQ)])
    repeat = PasswordField("Повторите пароль", validators=[
        EqualTo("password", message="Пароли не совпадают.")])

