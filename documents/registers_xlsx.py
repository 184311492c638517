"""XLSX of a school's registers: one sheet, one person a row, the way curators keep it.

Reading checks every row before anything is stored; the first bad cell is reported by
row and column (e.g. «строка 5, столбец «Дата рождения» (F5)»).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from documents import xlsx_safe

COLUMNS = [
    ("full_name", "ФИО"),
    ("category", "Категория"),
    ("grade", "Класс"),
    ("position", "Должность"),
    ("experience_years", "Педагогический стаж, лет"),
    ("birth_date", "Дата рождения"),
    ("request", "Запрос"),
]

CATEGORY_TITLES = {
    "student": "обучающийся",
    "teacher": "педагог",
    "graduate": "выпускник",
    "employer_staff": "представитель работодателя",
    "student_of_college": "студент",
}
_CATEGORY_WORDS = {
    **{code: code for code in CATEGORY_TITLES},
    **{title: code for code, title in CATEGORY_TITLES.items()},
    "ученик": "student", "учащийся": "student", "обучающаяся": "student",
    "учитель": "teacher", "педагогический работник": "teacher", "воспитатель": "teacher",
    "выпускница": "graduate", "работодатель": "employer_staff",
    "сотрудник предприятия": "employer_staff", "студентка": "student_of_college",
    "студент колледжа": "student_of_college", "студент вуза": "student_of_college",
}
MAX_ROWS = 20_000
MAX_UNPACKED = 50 * 1024 * 1024


class RegisterFileError(ValueError):
    """A bad file or cell; ``message`` is Russian and names the row and the cell."""

    def __init__(self, message: str, row: int | None = None, cell: str | None = None):
        super().__init__(message)
        self.message, self.row, self.cell = message, row, cell


@dataclass
class PersonRow:
    row: int
    full_name: str
    category: str
    grade: str
    position: str
    experience_years: int | None
    birth_date: date | None
    request: str


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return xlsx_safe.unneutralise(str(value).strip())


def _where(row: int, col: int) -> tuple[str, str]:
    cell = f"{get_column_letter(col)}{row}"
    return f"строка {row}, столбец «{COLUMNS[col - 1][1]}» ({cell})", cell


def _date(value, row: int, col: int) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    where, cell = _where(row, col)
    raise RegisterFileError(f"{where}: «{text}» — не дата (ожидается ДД.ММ.ГГГГ).", row, cell)


def _int(value, row: int, col: int) -> int | None:
    if value in (None, ""):
        return None
    text = _text(value).replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        number = -1.0
    if number < 0 or number > 80 or not number.is_integer():
        where, cell = _where(row, col)
        raise RegisterFileError(f"{where}: «{text}» — ожидается целое число лет от 0 до 80.",
                                row, cell)
    return int(number)


def _open(data: bytes):
    problem = xlsx_safe.upload_problem(data, max_unpacked=MAX_UNPACKED)
    if problem:
        raise RegisterFileError(problem)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_UNPACKED:
                raise RegisterFileError("Файл слишком велик после распаковки.")
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except RegisterFileError:
        raise
    except Exception:  # noqa: BLE001 - any unreadable file is the user's error
        raise RegisterFileError("Файл не является книгой Excel (XLSX).") from None


def read_people(data: bytes) -> list[PersonRow]:
    """All rows of the first sheet, validated; raises RegisterFileError at the first bad cell."""
    wb = _open(data)
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        titles = [_text(v).lower() for v in (header or ())]
        expected = [title.lower() for _, title in COLUMNS[:2]]
        if titles[:2] != expected:
            raise RegisterFileError("Первая строка должна содержать заголовки: "
                                    + ", ".join(f"«{t}»" for _, t in COLUMNS) + ".", 1, "A1")
        out: list[PersonRow] = []
        for number, values in enumerate(rows, start=2):
            values = list(values) + [None] * (len(COLUMNS) - len(values))
            if all(_text(v) == "" for v in values[:len(COLUMNS)]):
                continue
            if len(out) >= MAX_ROWS:
                raise RegisterFileError(f"Больше {MAX_ROWS} строк в одном файле.", number)
            name = _text(values[0])
            if not name or len(name) > 200:
                where, cell = _where(number, 1)
                raise RegisterFileError(f"{where}: укажите ФИО (до 200 символов).", number, cell)
            word = _text(values[1]).lower()
            category = _CATEGORY_WORDS.get(word)
            if category is None:
                where, cell = _where(number, 2)
                known = ", ".join(f"«{t}»" for t in CATEGORY_TITLES.values())
                raise RegisterFileError(f"{where}: неизвестная категория «{_text(values[1])}»; "
                                        f"допустимы {known}.", number, cell)
            out.append(PersonRow(
                row=number, full_name=name, category=category, grade=_text(values[2])[:20],
                position=_text(values[3])[:200],
                experience_years=_int(values[4], number, 5),
                birth_date=_date(values[5], number, 6), request=_text(values[6])[:5000]))
        return out
    finally:
        wb.close()


def write_people(rows: list[dict], title: str) -> bytes:
    """Rows as returned by the registers API (plain dicts) to an XLSX."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Реестр"
    ws.append([t for _, t in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append(xlsx_safe.row([
            r["full_name"], CATEGORY_TITLES.get(r["category"], r["category"]),
            r.get("grade") or "", r.get("position") or "", r.get("experience_years"),
            r.get("birth_date") or "", "; ".join(q["text"] for q in r.get("requests") or [])]))
    for i, width in enumerate((40, 24, 10, 30, 14, 14, 50), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    wb.properties.title = xlsx_safe.clean_text(title)
    return xlsx_safe.save(wb)
