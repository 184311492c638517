"""Words the pages show for states, events, roles and inbox sections (translatable)."""

from __future__ import annotations

from functools import lru_cache

from flask import has_request_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

STATES = {
    "draft": _l("черновик"),
    "on_approval": _l("на утверждении"),
    "approved": _l("утверждён"),
    "signed": _l("подписан"),
    "under_municipal_review": _l("на проверке в управлении"),
    "accepted": _l("принят"),
    "returned": _l("возвращён"),
    "cancelled": _l("отменён"),
}

#: Bootstrap colour of each state's badge.
STATE_COLOURS = {
    "draft": "secondary", "on_approval": "warning", "approved": "info", "signed": "primary",
    "under_municipal_review": "warning", "accepted": "success", "returned": "danger",
    "cancelled": "dark",
}

#: Button captions (verbs) of the events.
BUTTONS = {
    "submit": _l("Отправить на утверждение"),
    "approve": _l("Утвердить"),
    "reject": _l("Вернуть на доработку"),
    "sign": _l("Подписать"),
    "send_to_municipality": _l("Направить в управление"),
    "accept": _l("Принять"),
    "return_for_revision": _l("Вернуть с замечаниями"),
    "revise": _l("Взять на доработку"),
    "cancel": _l("Отменить документ"),
    "recall": _l("Отозвать"),
}

#: On a route with stages still ahead, the participant agrees rather than approves.
ROUTE_BUTTONS = {"approve": _l("Согласовать"), "reject": _l("Вернуть с замечанием")}

BUTTON_COLOURS = {
    "approve": "success", "sign": "primary", "accept": "success", "reject": "outline-danger",
    "return_for_revision": "danger", "cancel": "outline-danger",
}

#: What happened, for the history timeline (same meaning as transition.EVENT_TITLES).
HISTORY = {
    "create": _l("Создан"),
    "edit": _l("Изменён"),
    "submit": _l("Отправлен на утверждение"),
    "approve": _l("Утверждён"),
    "reject": _l("Возвращён на доработку директором"),
    "sign": _l("Подписан и зарегистрирован"),
    "send_to_municipality": _l("Направлен в управление образования"),
    "accept": _l("Принят управлением образования"),
    "return_for_revision": _l("Возвращён управлением на доработку"),
    "revise": _l("Взят на доработку (новая версия)"),
    "cancel": _l("Отменён"),
    "recall": _l("Отозван автором с согласования"),
    "visa": _l("Виза согласования"),
    "protocol": _l("Решение коллегиального органа"),
    "attach_appendix": _l("Добавлено приложение"),
}

COLLEGIAL = {
    "pedagogical_council": _l("Педагогический совет"),
    "trade_union": _l("Профсоюзная организация"),
    "student_council": _l("Совет обучающихся"),
    "parents_council": _l("Совет родителей"),
    "governing_council": _l("Управляющий совет"),
}
MODES = {"all": _l("все участники"), "any": _l("любой из участников"),
         "n_of_m": _l("N из M"), "collegial": _l("решение коллегиального органа")}
STAGE_STATUS = {"done": _l("пройден"), "current": _l("сейчас"), "waiting": _l("ожидает"),
                "rejected": _l("возвращён")}

ROLES = {
    "school_admin": _l("ответственный (заместитель директора)"),
    "director": _l("директор"),
    "curator": _l("куратор"),
    "municipal_officer": _l("специалист управления образования"),
    "auditor": _l("проверяющий"),
    "admin": _l("администратор системы"),
}

SECTIONS = {
    "to_acknowledge": _l("Ознакомиться"),
    "to_check": _l("На проверку в управлении"),
    "to_approve": _l("На утверждение"),
    "to_sign": _l("На подпись"),
    "to_send": _l("Направить в управление образования"),
    "returned": _l("Возвращены на доработку"),
    "drafts": _l("Черновики"),
}

REMARK_PROMPTS = {
    "reject": _l("Чтобы вернуть документ на доработку, укажите замечание."),
    "return_for_revision": _l("Чтобы вернуть документ школе, укажите замечания."),
    "cancel": _l("Чтобы отменить документ, укажите основание отмены."),
}

KINDS = {
    "order": _l("Приказ"),
    "regulation": _l("Положение о наставничестве"),
    "roadmap": _l("Дорожная карта"),
    "pair_order": _l("Приказ о закреплении наставнических пар"),
    "incentive_scheme": _l("Положение о мотивации наставников"),
    "curator_order": _l("Приказ о назначении куратора"),
    "programme": _l("Программа наставничества"),
    "roadmap_item": _l("Пункт дорожной карты"),
}


#: The compliance matrix's columns and cells (workflow.compliance.matrix CHECKPOINT_TITLES,
#: STATE_TITLES) in the request's language.
CHECKPOINTS = {
    "regulation": _l("Положение о наставничестве"),
    "roadmap": _l("Дорожная карта"),
    "pair_order": _l("Приказ о закреплении пар"),
    "incentive_scheme": _l("Положение о мотивации"),
    "curator_order": _l("Приказ о назначении куратора"),
    "programme": _l("Программа наставничества"),
}
CHECKPOINT_STATES = {
    "draft": _l("черновик"), "on_approval": _l("на утверждении"), "approved": _l("утверждён"),
    "signed": _l("подписан"), "under_municipal_review": _l("на проверке в управлении"),
    "accepted": _l("принят управлением"), "returned": _l("возвращён на доработку"),
    "cancelled": _l("отменён"),
}


#: People's categories in the registers (workflow.mentorship.registers.CATEGORY_TITLES).
CATEGORIES = {
    "student": _l("обучающийся"), "teacher": _l("педагог"), "graduate": _l("выпускник"),
    "employer_staff": _l("представитель работодателя"), "student_of_college": _l("студент"),
}

#: Mentoring pairs' statuses (workflow.mentorship.pairs.STATUS_TITLES).
PAIR_STATUSES = {"planned": _l("сформирована"), "active": _l("действует"),
                 "finished": _l("завершена"), "cancelled": _l("отменена")}

#: Roles as the administration pages name them (workflow.engine.permissions.ROLE_TITLES).
ADMIN_ROLES = {
    "school_admin": _l("Администратор школы"), "director": _l("Директор"),
    "curator": _l("Куратор"), "municipal_officer": _l("Специалист управления образования"),
    "auditor": _l("Аудитор"), "admin": _l("Администратор муниципалитета"),
}
#: The administrative log's actions and objects (workflow.admin.log ACTIONS, OBJECT_KINDS).
ADMIN_LOG_ACTIONS = {
    "create": _l("создание"), "update": _l("изменение"), "deactivate": _l("деактивация"),
    "activate": _l("восстановление"), "grant": _l("выдача роли"), "revoke": _l("снятие роли"),
    "invite": _l("приглашение"), "password_set": _l("установка пароля"), "import": _l("импорт"),
}
ADMIN_LOG_OBJECTS = {
    "user": _l("пользователь"), "grant": _l("роль"), "organization": _l("организация"),
    "journal": _l("журнал регистрации"), "route": _l("маршрут"), "template": _l("шаблон"),
}
#: An organisation's kind in the log's details (workflow.admin.log ORG_KINDS).
ADMIN_LOG_ORG_KINDS = {"municipality": _l("муниципалитет"), "school": _l("школа")}
#: The administrative log's details (workflow.admin.log DETAIL_LABELS).
ADMIN_LOG_DETAILS = {
    "email": _l("e-mail"), "full_name": _l("ФИО"), "position": _l("должность"),
    "user": _l("пользователь"), "role": _l("роль"), "name": _l("наименование"),
    "short_name": _l("краткое наименование"), "founder": _l("учредитель"),
    "place": _l("место издания"), "head_name": _l("руководитель"),
    "head_position": _l("должность руководителя"), "inn": _l("ИНН"), "address": _l("адрес"),
    "kind": _l("вид"), "filename": _l("файл"), "code": _l("журнал"), "title": _l("название"),
    "suffix": _l("суффикс"), "kinds": _l("виды документов"),
    "next_number": _l("следующий номер"), "created": _l("создано"),
    "unchanged": _l("без изменений"), "first_run": _l("первый запуск"),
    "handed_over": _l("ссылка передана администратором лично (почта не настроена)"),
}
#: A roadmap item's status (workflow.roadmaps.status.STATUS_RU).
ROADMAP_STATUSES = {"planned": _l("запланировано"), "in_progress": _l("в работе"),
                    "done": _l("выполнено"), "overdue": _l("просрочено")}


def kind_title(kind: str) -> str:
    from workflow.engine.kinds import KINDS as SPECS

    return str(KINDS[kind]) if kind in KINDS else (SPECS[kind].title if kind in SPECS else kind)


def as_str(mapping: dict) -> dict[str, str]:
    return {k: str(v) for k, v in mapping.items()}


class _InLocale:
    """The labels above as plain strings in one locale: a page looks up a state's or a kind's
    name for every row, and a lazy string translates itself again each time it is shown."""

    def __init__(self) -> None:
        for name, value in globals().items():
            if name.isupper() and isinstance(value, dict):
                setattr(self, name, as_str(value))

    def kind_title(self, kind: str) -> str:
        title = self.KINDS.get(kind)  # type: ignore[attr-defined]
        return title if title is not None else kind_title(kind)


@lru_cache(maxsize=8)
def _in_locale(_locale: str) -> _InLocale:
    return _InLocale()


def in_current_locale() -> _InLocale:
    """The labels translated into the request's locale (built once per locale)."""
    return _in_locale(str(get_locale()) if has_request_context() else "ru")
