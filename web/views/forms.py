"""Flask-WTF forms of the account pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from workflow.saved_filters import name_error


class LoginForm(FlaskForm):
    email = EmailField(_l("Электронная почта"), validators=[DataRequired(_l("Укажите почту.")),
                                                       Length(max=254)])
    password = PasswordField(_l("Пароль"), validators=[DataRequired(_l("Укажите пароль."))])
    next = HiddenField()


class PasswordForm(FlaskForm):
    old = PasswordField(_l("Текущий пароль"), validators=[DataRequired(_l("Укажите текущий пароль."))])
    new = PasswordField(_l("Новый пароль"), validators=[
        DataRequired(_l("Укажите новый пароль.")),
        Length(min=10, message=_l("Не короче 10 символов."))])
    repeat = PasswordField(_l("Повторите новый пароль"), validators=[
        EqualTo("new", message=_l("Пароли не совпадают."))])


def _filter_name(form, field) -> None:
    problem = name_error(field.data or "")
    if problem:
        raise ValidationError(problem)


class SavedFilterForm(FlaskForm):
    """«Сохранить фильтр»: a name for the list's current filter (its query string)."""

    name = StringField(_l("Название фильтра"), validators=[_filter_name])
