"""Error pages in Russian."""

from __future__ import annotations

from flask import render_template

TITLES = {
    400: "Некорректный запрос",
    401: "Требуется вход",
    403: "Недостаточно прав",
    404: "Страница не найдена",
    405: "Метод не поддерживается",
    409: "Документ уже изменён",
    413: "Файл слишком большой",
    422: "Действие отклонено",
    429: "Слишком много попыток",
    500: "Внутренняя ошибка",
}


def html_error(status: int, message: str | None):
    title = TITLES.get(status, "Ошибка")
    return render_template("error.html", status=status, title=title,
                           message=message or title), status
