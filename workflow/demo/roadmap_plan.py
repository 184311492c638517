"""The demo roadmap of a school, written for the current school year: every date inside
the period, numbered from 1.1, responsibles the school's own people. Rendered as a DOCX
table (the form schools send) and imported through the same reader as a real file."""

from __future__ import annotations

import io
from datetime import date

from docx import Document

from documents.docx.ruformat import surname_initials


def school_year(today: date) -> tuple[date, date]:
    """1 September – 31 August of the school year ``today`` falls in."""
    start_year = today.year if today.month >= 9 else today.year - 1
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def _d(day: int, month: int, start: date) -> str:
    year = start.year if month >= 9 else start.year + 1
    return f"до {day:02d}.{month:02d}.{year}"


def _who(*names: str) -> str:
    return ", ".join(n for n in names if n)


def plan(start: date, director: str, deputy: str, curator: str) -> list[tuple]:
    """Sections and items: (number, activity, deadline, responsible, result); a section
    row has only its number and title."""
    dr, dp, cu = (surname_initials(n) for n in (director, deputy, curator))
    y1, y2 = start.year, start.year + 1
    return [
        ("1", "Подготовка условий для запуска программы наставничества"),
        ("1.1", "Издание приказа о внедрении целевой модели наставничества",
         _d(15, 9, start), dr, "Приказ о внедрении целевой модели наставничества"),
        ("1.2", "Назначение куратора внедрения целевой модели наставничества",
         _d(15, 9, start), dr, "Приказ о назначении куратора"),
        ("1.3", "Разработка и утверждение Положения о наставничестве",
         _d(30, 9, start), _who(dp, cu), "Положение о наставничестве"),
        ("1.4", "Разработка и утверждение дорожной карты внедрения целевой модели",
         _d(30, 9, start), cu, "Дорожная карта"),
        ("1.5", "Разработка и утверждение Положения о мотивации наставников",
         _d(15, 10, start), dp, "Положение о мотивации наставников"),
        ("1.6", "Информирование педагогов, обучающихся и родителей о запуске программы",
         _d(15, 10, start), cu, "Информация на сайте школы, протокол родительского собрания"),
        ("2", "Формирование баз наставников и наставляемых"),
        ("2.1", "Анкетирование педагогов и обучающихся, сбор запросов наставляемых",
         _d(15, 10, start), cu, "Аналитическая справка"),
        ("2.2", "Сбор согласий на обработку персональных данных",
         _d(31, 10, start), dp, "Согласия участников программы"),
        ("2.3", "Формирование базы наставников", _d(31, 10, start), cu, "База наставников"),
        ("2.4", "Формирование базы наставляемых", _d(31, 10, start), cu,
         "База наставляемых"),
        ("3", "Организация работы наставнических пар (групп)"),
        ("3.1", "Закрепление наставнических пар (групп)", _d(15, 11, start), dr,
         "Приказ о закреплении наставнических пар"),
        ("3.2", "Разработка и утверждение программы наставничества «Учитель — учитель»",
         _d(30, 11, start), _who(dp, cu), "Программа наставничества"),
        ("3.3", ("Обучение наставников (семинар «Роль наставника в адаптации молодого "
                 "педагога»)"), _d(15, 12, start), cu, "Программа семинара, лист регистрации"),
        ("3.4", "Разработка индивидуальных планов развития наставляемых",
         _d(25, 12, start), cu, "Индивидуальные планы развития"),
        ("3.5", "Встречи наставников с наставляемыми", "ежемесячно", cu,
         "Журналы наставнических пар"),
        ("4", "Мониторинг и завершение программы"),
        ("4.1", (f"Промежуточный мониторинг реализации программы за I полугодие "
                 f"{y1}/{y2} учебного года"), _d(25, 1, start), dp, "Аналитическая справка"),
        ("4.2", "Размещение информации о ходе реализации программы на сайте школы",
         "ежеквартально", cu, "Раздел «Наставничество» на сайте школы"),
        ("4.3", "Итоговый мониторинг реализации программы", _d(31, 5, start), dp,
         "Аналитическая справка"),
        ("4.4", "Конкурс «Наставник года», поощрение лучших наставников",
         _d(15, 6, start), dr, "Приказ о поощрении наставников"),
        ("4.5", f"Подведение итогов и планирование работы на {y2}/{y2 + 1} учебный год",
         _d(30, 6, start), _who(dr, cu), "Протокол педагогического совета"),
    ]


def roadmap_docx(start: date, director: str, deputy: str, curator: str) -> bytes:
    doc = Document()
    doc.add_paragraph("Дорожная карта внедрения целевой модели наставничества")
    rows = plan(start, director, deputy, curator)
    table = doc.add_table(rows=1, cols=5)
    for cell, title in zip(table.rows[0].cells,
                           ("№ п/п", "Мероприятие", "Сроки", "Ответственный", "Результат")):
        cell.text = title
    for row in rows:
        cells = table.add_row().cells
        if len(row) == 2:
            merged = cells[0].merge(cells[-1])
            merged.text = f"{row[0]}. {row[1]}"
        else:
            for cell, text in zip(cells, row):
                cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
