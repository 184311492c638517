"""Flask-WTF forms of the account pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    email = EmailField("Электронная почта", validators=[DataRequired("Укажите почту."),
                                                       Length(max=254)])
    password = PasswordField("Пароль", validators=[DataRequired("Укажите пароль.")])
    next = HiddenField()


class PasswordForm(FlaskForm):
    old = PasswordField("Текущий пароль", validators=[DataRequired("Укажите текущий пароль.")])
    new = PasswordField("Новый пароль", validators=[
        DataRequired("Укажите новый пароль."),
        Length(min=10, message="Не короче 10 символов.")])
    repeat = PasswordField("Повторите новый пароль", validators=[
        EqualTo("new", message="Пароли не совпадают.")])
