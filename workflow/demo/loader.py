"""The demo: a municipality with three schools, users for every role, documents in every
state — all made through the same services people use, so the history is real."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from documents.docx.ruformat import surname_initials
from documents.models import Organization, User
from workflow import accounts, clock
from workflow.admin import log
from workflow.demo.roadmap_plan import school_year
from workflow.engine.authoring import create_document
from workflow.engine.permissions import Actor
from workflow.engine.transition import apply_event

PASSWORD = accounts.DEMO_PASSWORD
MUNICIPALITY = "Демонстрационный муниципальный район"
FOUNDER = "Управление образования администрации Демонстрационного муниципального района"
SCHOOLS = [
    ("Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная "
     "школа № 1»", "МБОУ «СОШ № 1»", "Иванова Мария Петровна", "Соколова Анна Викторовна",
     "Кузнецова Елена Сергеевна"),
    ("Муниципальное бюджетное общеобразовательное учреждение «Лицей № 2»", "МБОУ «Лицей № 2»",
     "Петров Сергей Николаевич", "Орлова Татьяна Ивановна", "Морозов Андрей Павлович"),
    ("Муниципальное бюджетное общеобразовательное учреждение «Основная общеобразовательная "
     "школа № 3»", "МБОУ «ООШ № 3»", "Смирнова Ольга Александровна", "Волкова Ирина Юрьевна",
     "Лебедев Дмитрий Олегович"),
]


def is_loaded(session) -> bool:
    return (session.scalar(select(func.count()).select_from(Organization)) or 0) > 0


def logins() -> list[tuple[str, str]]:
    rows = [("admin@demo.local", "администратор"), ("officer@demo.local", "специалист управления"),
            ("auditor@demo.local", "проверяющий")]
    for n in (1, 2, 3):
        rows += [(f"director{n}@demo.local", f"директор школы {n}"),
                 (f"admin{n}@demo.local", f"ответственный (school_admin) школы {n}"),
                 (f"curator{n}@demo.local", f"куратор школы {n}")]
    return rows


def _actor(session, email: str) -> Actor:
    return Actor.of(session.scalar(select(User).where(User.email == email)))


def load_demo(rt) -> bool:
    """Load the demo into an empty database; returns False if it already has data."""
    _PROTOCOL_NUMBERS.clear()
    with rt.db.write_session() as s:
        if is_loaded(s):
            return False
        muni = accounts.create_organization(
            s, name=MUNICIPALITY, short_name="Демонстрационный МР", kind="municipality",
            founder="Администрация Демонстрационного муниципального района",
            place="г. Демонстрационск", head_name="Григорьев Павел Андреевич",
            head_position="Начальник управления образования")
        _logged(s, muni)
        for email, name, role in (("admin@demo.local", "Администратор системы", "admin"),
                                  ("officer@demo.local", "Никитина Светлана Борисовна",
                                   "municipal_officer"),
                                  ("auditor@demo.local", "Фёдоров Игорь Леонидович", "auditor")):
            user = accounts.create_user(s, email=email, full_name=name, password=PASSWORD,
                                        is_demo=True, position=_POSITIONS[role])
            accounts.grant_role(s, user.id, muni.id, role)
            _logged(s, muni, user, role)
        for n, (name, short, director, admin, curator) in enumerate(SCHOOLS, start=1):
            school = accounts.create_organization(
                s, name=name, short_name=short, kind="school", parent_id=muni.id,
                founder=FOUNDER, place="г. Демонстрационск", head_name=director)
            _logged(s, school)
            for email, full_name, role in ((f"director{n}@demo.local", director, "director"),
                                           (f"admin{n}@demo.local", admin, "school_admin"),
                                           (f"curator{n}@demo.local", curator, "curator")):
                user = accounts.create_user(s, email=email, full_name=full_name,
                                            password=PASSWORD, is_demo=True,
                                            position=_POSITIONS[role])
                user.phone = f"8 (3812) {20 + n}-{_PHONES[role]}"
                accounts.grant_role(s, user.id, school.id, role)
                _logged(s, school, user, role)
        school_ids = [o.id for o in s.scalars(select(Organization).where(
            Organization.parent_id == muni.id).order_by(Organization.id))]
    for n, org_id in enumerate(school_ids, start=1):
        _school_documents(rt, n, org_id)
    for hook in DEMO_HOOKS:
        hook(rt, school_ids)
    return True


def _logged(session, org: Organization, user: User | None = None, role: str = "") -> None:
    """The administrative log's rows for what the demo made (as the first run writes them):
    an organisation, or a user with a role in it."""
    if user is None:
        log.record(session, None, "create", "organization", org.id, org.id,
                   {"name": org.name, "kind": org.kind.value})
        return
    log.record(session, None, "create", "user", user.id, org.id,
               {"email": user.email, "full_name": user.full_name, "position": user.position})
    log.record(session, None, "grant", "grant", user.id, org.id,
               {"user": user.full_name, "role": role})


_POSITIONS = {
    "admin": "Администратор", "municipal_officer": "Главный специалист управления образования",
    "auditor": "Специалист отдела контроля", "director": "Директор",
    "school_admin": "Заместитель директора по УВР", "curator": "Заместитель директора по ВР",
}

_PHONES = {"director": "10-01", "school_admin": "10-02", "curator": "10-03"}

#: Extra demo content registered by features (registers and pairs, roadmaps).
DEMO_HOOKS: list = []


#: Minutes of each school's collegial bodies, numbered in order as a secretary keeps them.
_PROTOCOL_NUMBERS: dict[int, int] = {}


def walk(rt, doc_id: int, steps: list[tuple[str, str, str]]) -> None:
    """Fire (email, event, comment) steps in order, each as that user."""
    from workflow.engine.protocols import pass_collegial_stages

    for email, event, comment in steps:
        with rt.db.read_session() as s:
            actor = _actor(s, email)
            if event == "approve":  # the collegial bodies of the route meet first
                secretary = _actor(s, email.replace("director", "admin"))
        if event == "approve":  # the school's minutes are numbered 1, 2, 3 … in order
            number = _PROTOCOL_NUMBERS[secretary.id] = _PROTOCOL_NUMBERS.get(
                secretary.id, 0) + 1
            pass_collegial_stages(rt, doc_id, secretary, number=str(number))
        apply_event(rt, doc_id, event, actor, comment)


RETURNED_REGULATION = "Не указан порядок мониторинга программы наставничества (раздел 6)."


class Timeline:
    """A school's demo work, done in the order it happened: each document is created on its
    day in the past and each step taken some working days later, with the product's clock
    set to that moment, so the history, the registration dates, the time in each stage and
    the notices read like a term's real work. All of one school's actions run in time order,
    so its history chain's events follow each other in time too."""

    def __init__(self, rt) -> None:
        self.rt = rt
        self.today = clock.today()
        self.actions: list[tuple[datetime, int, Callable[[], None]]] = []
        self.ids: dict[str, int] = {}

    def _moment(self, days_ago: float) -> datetime:
        """4.75 days ago is 11:30 five days ago; 4.25, 15:30 the same day (a working day
        from 9:30 to 17:30: the later, the fewer days ago)."""
        whole = math.ceil(days_ago)
        minutes = 9 * 60 + 30 + round((whole - days_ago) * 8 * 60)
        return clock.day_start(self.today - timedelta(days=whole)) + timedelta(minutes=minutes)

    def _add(self, days_ago: float, action: Callable[[], None]) -> None:
        self.actions.append((self._moment(days_ago), len(self.actions), action))

    def document(self, key: str, days_ago: float, create: Callable[[], int],
                 steps: list[tuple[str, str, str]] = (), every: float = 3.25) -> None:
        """Create a document ``days_ago`` and take its (email, event, comment) steps one
        after another, ``every`` days apart (fractions are hours of a working day)."""
        self._add(days_ago, lambda: self.ids.__setitem__(key, create()))
        for k, step in enumerate(steps, start=1):
            self._add(max(days_ago - k * every, 0.0),
                      lambda step=step: walk(self.rt, self.ids[key], [step]))

    def run(self) -> None:
        done = None  # when the action before ended, on the product's clock
        for moment, _seq, action in sorted(self.actions, key=lambda a: a[:2]):
            if done is not None and moment <= done:  # two at one moment: one after the other
                moment = done + timedelta(milliseconds=1)
            with clock.shifted(min(moment - clock.now(), timedelta(0))):
                action()
                done = clock.now()


def _school_documents(rt, n: int, org_id: int) -> None:
    with rt.db.read_session() as s:
        author = _actor(s, f"admin{n}@demo.local")
        curator = _actor(s, f"curator{n}@demo.local")
    admin, director, officer = f"admin{n}@demo.local", f"director{n}@demo.local", "officer@demo.local"
    today = clock.today()
    start, _end = school_year(today)
    year = f"{start.year}–{start.year + 1}"
    to_sign = [(admin, "submit", ""), (director, "approve", ""), (director, "sign", "")]
    sent = to_sign + [(admin, "send_to_municipality", "")]
    plan = Timeline(rt)
    # the order before the school year starts, the regulation and the incentive scheme in its
    # first weeks (early in September, the summer before), the rest in the last fortnight
    into_year = max((today - start).days, 35)

    plan.document("order", into_year + 11 - n, lambda: create_document(
        rt, author, kind="order", org_id=org_id,
        title="О внедрении целевой модели наставничества",
        fields=order_fields(start, author, curator), responsible_id=author.id,
        due=today - timedelta(days=30)),
        sent + ([(officer, "accept", "")] if n != 3 else []))

    regulation = {1: sent + [(officer, "accept", "")],
                  2: sent + [(officer, "return_for_revision", RETURNED_REGULATION),
                             (admin, "revise", "")],
                  3: [(admin, "submit", "")]}[n]
    plan.document("regulation", into_year - 7.4 - n, lambda: create_document(
        rt, author, kind="regulation", org_id=org_id, title="Положение о наставничестве",
        fields=regulation_fields(start), responsible_id=author.id,
        due=today - timedelta(days=20)), regulation, every=4.5)

    plan.document("curator_order", 12.6, lambda: create_document(
        rt, author, kind="curator_order", org_id=org_id,
        title="О назначении куратора внедрения целевой модели наставничества",
        fields={"preamble": "В целях организации работы по внедрению целевой модели "
                            "наставничества", "curator_name": curator.full_name,
                "curator_position": curator.position,
                "duties": ["Организовать формирование баз наставников и наставляемых",
                           "Осуществлять мониторинг реализации программ наставничества",
                           ("Готовить отчёты о реализации целевой модели наставничества "
                            "для управления образования")],
                "term": f"на {year} учебный год",
                "acquaintance_user_ids": [curator.id]},
        responsible_id=author.id, due=today + timedelta(days=5)),
        [(admin, "submit", ""), (director, "approve", "")] if n != 2 else
        [(admin, "submit", ""), (director, "reject", "Уточните обязанности куратора.")])

    scheme = {1: to_sign + [(director, "cancel", "Заменено новой редакцией положения.")],
              2: [], 3: to_sign}[n]
    plan.document("scheme", into_year - 27.2, lambda: create_document(
        rt, curator, kind="incentive_scheme", org_id=org_id,
        title="Положение о мотивации наставников", fields=INCENTIVE_FIELDS,
        responsible_id=curator.id, due=today - timedelta(days=3)), scheme, every=5.1)

    plan.document("programme", 9.3, lambda: create_document(
        rt, curator, kind="programme", org_id=org_id,
        title=f"Программа наставничества «Учитель — учитель» на {year} учебный год",
        fields=programme_fields(start), responsible_id=curator.id,
        due=today + timedelta(days=20)),
        sent + [(officer, "return_for_revision",
                 "Добавьте план мероприятий по этапам программы.")] if n == 2 else [],
        every=1.6)
    plan.run()


def order_fields(start: date, author: Actor, curator: Actor) -> dict:
    """The order that starts the school year's mentorship: it cites no appendix it lacks,
    names who does what by when, and lists the staff to acquaint."""
    y1, y2 = start.year, start.year + 1
    deputy, cur = surname_initials(author.full_name), surname_initials(curator.full_name)
    return {
        "preamble": "В соответствии с распоряжением Министерства просвещения Российской "
                    "Федерации от 25.12.2019 № Р-145 «Об утверждении методологии (целевой "
                    "модели) наставничества обучающихся для организаций, осуществляющих "
                    "образовательную деятельность по общеобразовательным, дополнительным "
                    "общеобразовательным и программам среднего профессионального образования», "
                    "в целях достижения результатов федеральных и региональных проектов",
        "clauses": [
            {"text": f"Внедрить целевую модель наставничества в {y1}/{y2} учебном году.",
             "executor": f"{deputy}, заместитель директора по УВР",
             "term": f"с 01.09.{y1} по 31.05.{y2}"},
            {"text": "Разработать Положение о наставничестве и представить его на "
                     "рассмотрение педагогического совета.",
             "executor": deputy, "term": f"до 30.09.{y1}"},
            {"text": "Разработать дорожную карту внедрения целевой модели наставничества.",
             "executor": cur, "term": f"до 30.09.{y1}"},
            {"text": "Сформировать базы наставников и наставляемых.", "executor": cur,
             "term": f"до 31.10.{y1}"},
        ],
        "control_clause": "Контроль за исполнением приказа оставляю за собой",
        "acquaintance_user_ids": [author.id, curator.id],
        "appendices": [],
    }


def regulation_fields(start: date) -> dict:
    fields = dict(REGULATION_FIELDS)
    fields["considered_by"] = {"body": "педагогическим советом", "protocol_number": "1",
                               "protocol_date": f"{start.year}-08-28"}
    fields["agreed_by"] = [{"position": "Председатель первичной профсоюзной организации",
                            "name": "Белова Н.Г.", "date": f"{start.year}-08-29"}]
    return fields


def programme_fields(start: date) -> dict:
    return dict(PROGRAMME_FIELDS, term_start=start.isoformat(),
                term_end=f"{start.year + 1}-05-31")


REGULATION_FIELDS = {
    "sections": [
        {"title": "Общие положения", "text": "Настоящее Положение разработано в соответствии с "
         "Федеральным законом от 29.12.2012 № 273-ФЗ «Об образовании в Российской Федерации» и "
         "распоряжением Минпросвещения России от 25.12.2019 № Р-145."},
        {"title": "Цели и задачи наставничества", "text": "Целью наставничества является "
         "максимально полное раскрытие потенциала личности наставляемого."},
        {"title": "Формы наставничества", "text": "В школе применяются формы наставничества "
         "«ученик – ученик», «учитель – учитель», «студент – ученик», «работодатель – ученик»."},
        {"title": "Права и обязанности наставника", "text": "Наставник обязан помогать "
         "наставляемому в освоении профессиональных компетенций."},
        {"title": "Мониторинг и оценка результатов", "text": "Мониторинг проводится два раза "
         "в год: в декабре и в июне."},
    ],
    "considered_by": None,  # dated inside the school year by regulation_fields()
    "agreed_by": [],
}

INCENTIVE_FIELDS = {
    "sections": [{"title": "Общие положения", "text": "Положение определяет меры "
                  "материального и нематериального стимулирования наставников."}],
    "measures": [
        {"title": "Конкурс «Наставник года»", "kind": "non_material", "description": ""},
        {"title": "Благодарственное письмо директора", "kind": "non_material", "description": ""},
        {"title": "Доплата за наставничество (ст. 351.8 ТК РФ)", "kind": "material",
         "description": "Устанавливается дополнительным соглашением к трудовому договору."},
    ],
    "considered_by": None,
    "agreed_by": [],
}

PROGRAMME_FIELDS = {
    "sections": [{"title": "Пояснительная записка", "text": "Программа направлена на "
                  "адаптацию молодых специалистов."}],
    "form": "учитель – учитель", "term_start": "", "term_end": "",
    "goals": "Успешное закрепление молодых специалистов в профессии.",
    "considered_by": None, "agreed_by": [],
}
