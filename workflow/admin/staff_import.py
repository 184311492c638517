"""Bulk onboarding from XLSX (ФИО, должность, e-mail, роль): a preview with row-level errors
in Russian, then all or nothing — every new person with an invitation, in one transaction.
The e-mail (trimmed, case-insensitive) is the key: a second upload of the same file
changes nothing."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from documents.models import Role, User
from workflow.admin import invitations, log, scope
from workflow.admin.users import add_user, normalise_email
from workflow.engine.permissions import ROLE_TITLES, Actor
from workflow.errors import BadInput, RuleViolation, TooLarge
from workflow.names import has_letter

HEADERS = ("ФИО", "Должность", "E-mail", "Роль")
COLUMNS = "ABCD"
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
#: Accepted spellings of the role column (lower case) → role.
ROLE_WORDS = {title.lower(): Role(code) for code, title in ROLE_TITLES.items()} | {
    code: Role(code) for code in ROLE_TITLES} | {
    "администратор": Role.school_admin, "заместитель директора": Role.school_admin,
    "куратор наставничества": Role.curator, "руководитель": Role.director}


def template_xlsx(org_kind_school: bool = True) -> bytes:
    """The file to fill in: headers, a role list and a short instruction."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "Сотрудники"
    ws.append(list(HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for col, width in zip(COLUMNS, (40, 30, 34, 26), strict=True):
        ws.column_dimensions[col].width = width
    roles = (["Директор", "Администратор школы", "Куратор"] if org_kind_school else
             ["Администратор муниципалитета", "Специалист управления образования", "Аудитор",
              "Директор"])
    dv = DataValidation(type="list", formula1='"' + ",".join(roles) + '"', allow_blank=False)
    ws.add_data_validation(dv)
    dv.add(f"D2:D{MAX_ROWS + 1}")
    info = wb.create_sheet("Как заполнять")
    for line in ("Одна строка — один сотрудник, начиная со второй строки листа «Сотрудники».",
                 "ФИО и e-mail обязательны; e-mail — логин, он не должен повторяться.",
                 "Роль: " + ", ".join(roles) + ".",
                 "Вставляйте значения, а не формулы.",
                 "Каждый новый сотрудник получит письмо со ссылкой для установки пароля."):
        info.append([line])
    info.column_dimensions["A"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _load(data: bytes):
    from openpyxl import load_workbook

    if len(data) > MAX_BYTES:
        raise TooLarge("Файл больше 5 МБ.", code="file_too_large")
    if not data:
        raise BadInput("Выберите файл XLSX.", code="missing_file")
    try:
        return load_workbook(io.BytesIO(data), data_only=False, read_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise BadInput("Файл не читается как XLSX (Excel 2007+). Сохраните его в формате "
                       ".xlsx и загрузите снова.", code="invalid_file") from None


def _cell_text(cell) -> tuple[str, str | None]:
    """(text, error) of a cell; formulas are refused, numbers kept as typed."""
    value = cell.value
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
        return "", (f"в ячейке {cell.coordinate} формула; вставьте в неё значение "
                    "(Специальная вставка → Значения)")
    if value is None:
        return "", None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()), None


def parse(session: Session, org, data: bytes) -> dict:
    """Read and check every row against the file and the database; changes nothing."""
    wb = _load(data)
    ws = wb.worksheets[0]
    header = [(" ".join(str(c.value or "").split())).lower() for c in ws[1][:4]]
    if header[:4] != [h.lower() for h in HEADERS]:
        raise BadInput("Первая строка файла должна содержать заголовки: " + ", ".join(HEADERS)
                       + ". Скачайте шаблон.", code="invalid_headers")
    if ws.max_row - 1 > MAX_ROWS:
        raise BadInput("В файле больше %(n)s строк.", code="too_many_rows",
                       params={"n": MAX_ROWS})
    allowed_roles = scope.roles_for(org.kind)
    rows, errors, seen = [], [], {}
    for cells in ws.iter_rows(min_row=2, max_col=4):
        cells = list(cells) + [None] * (4 - len(cells))
        number = cells[0].row
        texts, row_errors = [], []
        for cell in cells:
            text, error = _cell_text(cell) if cell is not None else ("", None)
            texts.append(text)
            if error:
                row_errors.append((cell.coordinate, error))
        if not any(texts) and not row_errors:
            continue
        full_name, position, email_raw, role_raw = texts
        item = {"row": number, "full_name": full_name, "position": position,
                "email": email_raw, "role": role_raw, "status": "create", "errors": []}
        if not full_name and not any(c == f"A{number}" for c, _ in row_errors):
            row_errors.append((f"A{number}", "не заполнено ФИО"))
        elif len(full_name) > 200:
            row_errors.append((f"A{number}", "ФИО длиннее 200 символов"))
        elif full_name and not has_letter(full_name):
            row_errors.append((f"A{number}", "в ФИО нет ни одной буквы"))
        if len(position) > 200:
            row_errors.append((f"B{number}", "должность длиннее 200 символов"))
        if not any(c == f"C{number}" for c, _ in row_errors):
            try:
                item["email"] = normalise_email(email_raw) if email_raw else ""
                if not email_raw:
                    row_errors.append((f"C{number}", "не заполнен e-mail"))
            except BadInput:
                row_errors.append((f"C{number}", f"некорректный e-mail «{email_raw}»"))
        role = ROLE_WORDS.get(role_raw.lower()) if role_raw else None
        if not any(c == f"D{number}" for c, _ in row_errors):
            if role is None or role not in allowed_roles:
                titles = ", ".join(sorted(ROLE_TITLES[r.value] for r in allowed_roles))
                wrong = f"роль «{role_raw}» не подходит; возможные: {titles}"
                row_errors.append((f"D{number}", wrong))
            else:
                item["role"] = role.value
        email = item["email"]
        if email and not any(c == f"C{number}" for c, _ in row_errors):
            if email in seen:
                repeated = f"e-mail {email} уже встречается в строке {seen[email]}"
                row_errors.append((f"C{number}", repeated))
            else:
                seen[email] = number
        for coordinate, message in row_errors:
            errors.append({"row": number, "cell": coordinate,
                           "message": f"Строка {number}, ячейка {coordinate}: {message}."})
            item["errors"].append(message)
        if row_errors:
            item["status"] = "error"
        rows.append(item)
    if not rows:
        raise BadInput("В файле нет ни одной строки с сотрудниками.", code="empty_file")
    _against_database(session, org, rows, errors)
    errors.sort(key=lambda e: (e["row"], e["cell"]))
    return {"org_id": org.id, "rows": rows, "errors": errors,
            "create": sum(r["status"] == "create" for r in rows),
            "unchanged": sum(r["status"] == "unchanged" for r in rows)}


def _against_database(session: Session, org, rows: list[dict], errors: list[dict]) -> None:
    emails = [r["email"] for r in rows if r["status"] != "error" and r["email"]]
    existing = {u.email.lower(): u for u in session.scalars(
        select(User).where(func.lower(User.email).in_(emails)))} if emails else {}
    for r in rows:
        user = existing.get(r["email"]) if r["status"] != "error" else None
        if user is None:
            continue
        if any(g.org_id == org.id for g in user.grants):
            r["status"] = "unchanged"
            continue
        message = (f"пользователь {r['email']} уже зарегистрирован в другой организации; "
                   "роль в этой школе выдайте ему на странице пользователя")
        r["status"], r["errors"] = "error", [message]
        errors.append({"row": r["row"], "cell": f"C{r['row']}",
                       "message": f"Строка {r['row']}, ячейка C{r['row']}: {message}."})


def _target(session: Session, actor: Actor, org_id: int | None):
    org = scope.require_org(session, actor, org_id, scope.user_org_ids(session, actor),
                            "Загружать сотрудников этой организации вам нельзя.")
    if not org.is_active:
        raise RuleViolation("Организация «%(org)s» деактивирована.",
                            code="organization_inactive", params={"org": org.short_name})
    return org


def preview(session: Session, actor: Actor, org_id: int | None, data: bytes) -> dict:
    return parse(session, _target(session, actor, org_id), data)


def import_staff(rt, actor: Actor, org_id: int | None, data: bytes) -> dict:
    """All or nothing: any error → nothing is created and the first error is named."""
    with rt.db.write_session() as session:
        org = _target(session, actor, org_id)
        result = parse(session, org, data)
        if result["errors"]:
            first = result["errors"][0]["message"]
            more = len(result["errors"]) - 1
            raise BadInput(first + (f" И ещё ошибок: {more}." if more else "")
                           + " Ничего не создано.", code="import_invalid",
                           details={"errors": result["errors"]})
        outbox, links = [], []
        for r in result["rows"]:
            if r["status"] != "create":
                continue
            user = add_user(session, actor, email=r["email"], full_name=r["full_name"],
                            position=r["position"], grants={(Role(r["role"]), org.id)})
            item, link = invitations.invite(rt, session, actor, user, org.id)
            if item:
                outbox.append(item.id)
            else:
                links.append({"email": r["email"], "full_name": r["full_name"], "link": link})
            r["user_id"] = user.id
        log.record(session, actor, "import", "user", None, org.id,
                   {"created": result["create"], "unchanged": result["unchanged"]})
    rt.after_commit(outbox)
    return {"created": result["create"], "unchanged": result["unchanged"],
            "rows": result["rows"], "errors": []} | ({"invitation_links": links} if links else {})
