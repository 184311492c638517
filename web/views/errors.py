"""Error pages and refusals, in the reader's language."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

TITLES = {
    400: _l("Некорректный запрос"),
    401: _l("Требуется вход"),
    403: _l("Недостаточно прав"),
    404: _l("Страница не найдена"),
    405: _l("Метод не поддерживается"),
    409: _l("Документ уже изменён"),
    413: _l("Файл слишком большой"),
    422: _l("Действие отклонено"),
    429: _l("Слишком много попыток"),
    500: _l("Внутренняя ошибка"),
    503: _l("Сервер занят"),
}


def html_error(status: int, message: str | None):
    title = str(TITLES.get(status, _l("Ошибка")))
    return render_template("error.html", status=status, title=title,
                           message=message or title), status


def refusal(exc) -> str:
    """A use case's refusal as a page shows it: in the page's language when the catalogue has
    the sentence or its template (web/babel_refusals.py extracts them), else as the use case
    wrote it."""
    return gettext(exc.template, **exc.params) if exc.params else gettext(exc.message)
