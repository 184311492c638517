"""Shared fixtures: one migrated database per run (PostgreSQL when DATABASE_URL is set,
else SQLite), a small world of organisations and users created once, and per-test cleanup
of everything else.

Fixtures:
- ``rt``: the Runtime (database, files) the app uses; ``app``/``client``: Flask.
- ``world``: ids of organisations and users (see World).
- ``api``: ``api.as_("director1")`` returns a client that sends that user's bearer token.
- ``make_doc(org, kind=..., walk=[...])``: a document created and walked through the services.
- ``count_queries``: context manager counting SQL statements.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, event, select, text
from sqlalchemy.engine import make_url

from documents import schema
from documents.db import Base
from documents.models import Grant, Organization, User
from workflow import accounts
from workflow.engine.permissions import Actor
from workflow.runtime import Runtime, Settings

PASSWORD = "correct-horse-battery"
KEEP_TABLES = {"organizations", "users", "grants", "api_tokens", "user_sessions",
               "alembic_version", "mentorship_forms", "role_models"}

# org key -> (kind, parent key)
ORGS = {
    "muni": ("municipality", None),
    "school1": ("school", "muni"),
    "school2": ("school", "muni"),
    "muni2": ("municipality", None),
    "school3": ("school", "muni2"),
}
# user key -> [(role, org key)]
USERS = {
    "director1": [("director", "school1")],
    "admin1": [("school_admin", "school1")],
    "curator1": [("curator", "school1")],
    "director2": [("director", "school2")],
    "admin2": [("school_admin", "school2")],
    "curator2": [("curator", "school2")],
    "officer": [("municipal_officer", "muni")],
    "auditor": [("auditor", "muni")],
    "sysadmin": [("admin", "muni")],
    "head": [("director", "muni")],
    "officer2": [("municipal_officer", "muni2")],
    "director3": [("director", "school3")],
    "admin3": [("school_admin", "school3")],
}
SCHOOL_ROLES_BY_USER = {k: v[0][0] for k, v in USERS.items()}


@dataclass
class World:
    orgs: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    #: the world's kept rows as it made them (grants by id, users and organisations by the
    #: columns tests change): after each test extra rows go and changed ones come back
    grants: dict[int, dict] = field(default_factory=dict)
    user_rows: dict[int, dict] = field(default_factory=dict)
    org_rows: dict[int, dict] = field(default_factory=dict)

    def email(self, user: str) -> str:
        return f"{user}@test.local"


def _per_xdist_worker() -> None:
    """Under pytest-xdist each worker gets its own PostgreSQL database and Redis db number,
    so workers never drop each other's schema or consume each other's Celery queue."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # "gw0", "gw1", …
    if not worker or os.environ.get("NASTAVNIK_WORKER_ENV") == worker:
        return
    os.environ["NASTAVNIK_WORKER_ENV"] = worker
    url = os.environ.get("DATABASE_URL")
    if url and url.startswith("postgresql"):
        base = make_url(url)
        name = f"{base.database}_{worker}"
        engine = create_engine(base, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        os.environ["DATABASE_URL"] = base.set(database=name).render_as_string(
            hide_password=False)
    redis = os.environ.get("REDIS_URL")
    if redis:
        head, _, db = redis.rpartition("/")
        number = int(db) if db.isdigit() else 0
        os.environ["REDIS_URL"] = f"{head}/{number + 1 + int(worker[2:])}"


_per_xdist_worker()


def _database_url(tmp_root: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_root / 'test.db'}"


@pytest.fixture(scope="session")
def tmp_root() -> Path:
    return Path(tempfile.mkdtemp(prefix="nastavnik-test-"))


@pytest.fixture(scope="session")
def settings(tmp_root) -> Settings:
    return Settings(database_url=_database_url(tmp_root), data_dir=tmp_root / "data",
                    demo_mode=False, effects_mode="inline",
                    redis_url=os.environ.get("REDIS_URL") or None)


@pytest.fixture(scope="session")
def rt(settings) -> Runtime:
    runtime = Runtime.create(settings)
    if runtime.db.is_postgres:
        with runtime.db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"))
    schema.upgrade(settings.database_url)
    yield runtime
    runtime.db.dispose()


@pytest.fixture(scope="session")
def world(rt) -> World:
    w = World()
    with rt.db.write_session() as s:
        for key, (kind, parent) in ORGS.items():
            number = key[-1] if key[-1].isdigit() else ""
            name = (f"Муниципальное бюджетное общеобразовательное учреждение «Школа № {number}»"
                    if kind == "school" else f"Тестовый муниципальный район {key}")
            org = accounts.create_organization(
                s, name=name, short_name=f"МБОУ «Школа № {number}»" if number else key,
                kind=kind, parent_id=w.orgs.get(parent), founder="Управление образования",
                place="г. Тестовск", head_name="Директоров Д.Д.")
            w.orgs[key] = org.id
        for key, grants in USERS.items():
            user = accounts.create_user(s, email=w.email(key), full_name=f"Пользователь {key}",
                                        password=PASSWORD, position="Должность")
            for role, org_key in grants:
                accounts.grant_role(s, user.id, w.orgs[org_key], role)
            w.users[key] = user.id
        s.flush()
        w.grants = _rows(s.connection(), Grant, ("user_id", "org_id", "role"))
        w.user_rows = _rows(s.connection(), User, USER_COLUMNS)
        w.org_rows = _rows(s.connection(), Organization, ORG_COLUMNS)
    _WORLDS[id(rt)] = w
    return w


_WORLDS: dict[int, World] = {}  # by id(rt)


#: What tests change in the world's users and organisations (and get back after).
USER_COLUMNS = ("full_name", "position", "is_active", "password_hash", "password_changed_at")
ORG_COLUMNS = ("name", "short_name", "founder", "place", "head_name", "head_position", "inn",
               "address", "is_active")


def _rows(conn, model, columns: tuple[str, ...]) -> dict[int, dict]:
    table = model.__table__
    return {row.id: {c: row._mapping[c] for c in columns}
            for row in conn.execute(select(table.c.id, *(table.c[c] for c in columns)))}


def _restore_world(conn, world: World) -> None:
    """Put the kept tables back as the world made them: drop the users, organisations and
    grants a test added (admin tests create staff, and a reminder would reach them), give
    back the grants a test removed (with their ids) and the names, passwords and active
    flags it changed."""
    conn.execute(delete(Grant).where(Grant.id.not_in(sorted(world.grants))))
    conn.execute(delete(User).where(User.id.not_in(sorted(world.user_rows))))
    extra = Organization.id.not_in(sorted(world.org_rows))  # schools first (RESTRICT)
    conn.execute(delete(Organization).where(extra, Organization.parent_id.is_not(None)))
    conn.execute(delete(Organization).where(extra))
    for model, kept, columns in ((Organization, world.org_rows, ORG_COLUMNS),
                                 (User, world.user_rows, USER_COLUMNS)):
        table = model.__table__
        for row_id, values in _rows(conn, model, columns).items():
            if values != kept[row_id]:
                conn.execute(table.update().where(table.c.id == row_id).values(kept[row_id]))
    missing = set(world.grants) - set(_rows(conn, Grant, ()))
    if missing:
        conn.execute(Grant.__table__.insert(), [dict(world.grants[i], id=i) for i in missing])


@pytest.fixture(autouse=True)
def _clean(request, rt):
    """Empty every table but the world's after each test that touched the database."""
    yield
    if "rt" not in request.fixturenames:
        return
    rt.db.session.remove()  # a service called outside a request may have left it open
    tables = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    with rt.db.engine.begin() as conn:
        if rt.db.is_postgres:
            conn.execute(text("SET LOCAL lock_timeout = '20s'"))  # fail loudly, never hang
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))
        if id(rt) in _WORLDS:
            _restore_world(conn, _WORLDS[id(rt)])


@pytest.fixture(scope="session")
def app(rt, settings):
    from web import create_app

    flask_app = create_app(settings, TESTING=True,
                           RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex[:8]}")
    flask_app.extensions["nastavnik"].db.dispose()
    flask_app.extensions["nastavnik"] = rt
    return flask_app


@pytest.fixture()
def client(app):
    return app.test_client()


class ApiClient:
    """A test client that sends one user's bearer token on every call."""

    def __init__(self, client, token: str) -> None:
        self.client, self.token = client, token

    def _h(self, kw):
        kw.setdefault("headers", {})["Authorization"] = f"Bearer {self.token}"
        return kw

    def get(self, url, **kw):
        return self.client.get(url, **self._h(kw))

    def post(self, url, **kw):
        return self.client.post(url, **self._h(kw))

    def patch(self, url, **kw):
        return self.client.patch(url, **self._h(kw))

    def put(self, url, **kw):
        return self.client.put(url, **self._h(kw))

    def delete(self, url, **kw):
        return self.client.delete(url, **self._h(kw))

    def fire(self, doc: dict | int, event: str, comment: str = "", lock_version=None):
        doc_id = doc if isinstance(doc, int) else doc["id"]
        if lock_version is None:
            lock_version = self.get(f"/api/v1/documents/{doc_id}").get_json()["lock_version"]
        return self.post(f"/api/v1/documents/{doc_id}/events/{event}",
                         json={"lock_version": lock_version, "comment": comment})


class Api:
    _tokens: dict[str, tuple[str, datetime]] = {}

    def __init__(self, app, world: World) -> None:
        self.app, self.world = app, world

    def token(self, user: str) -> str:
        """A bearer token of ``user``, issued again when the product clock has moved past
        (or before) the one cached — tokens expire, and tests move the clock."""
        from workflow import clock

        cached = self._tokens.get(user)
        if cached is None or not timedelta(0) <= clock.now() - cached[1] < timedelta(hours=1):
            rt = self.app.extensions["nastavnik"]
            cached = (accounts.issue_token(rt, self.world.users[user]), clock.now())
            self._tokens[user] = cached
        return cached[0]

    def as_(self, user: str) -> ApiClient:
        return ApiClient(self.app.test_client(), self.token(user))


@pytest.fixture()
def api(app, world) -> Api:
    return Api(app, world)


def actor_of(rt, user_id: int) -> Actor:
    with rt.db.read_session() as s:
        return Actor.of(s.scalar(select(User).where(User.id == user_id)))


@pytest.fixture()
def actor(rt, world):
    return lambda user: actor_of(rt, world.users[user])


ORDER_FIELDS = {"preamble": "В целях внедрения целевой модели наставничества",
                "clauses": [{"text": "Назначить куратора.", "executor": "Директор",
                             "term": "до 01.12.2026"}]}

#: Events to reach each state from a draft, with who fires them (school1 users).
PATH_TO = {
    "draft": [],
    "on_approval": [("admin1", "submit", "")],
    "approved": [("admin1", "submit", ""), ("director1", "approve", "")],
    "signed": [("admin1", "submit", ""), ("director1", "approve", ""),
               ("director1", "sign", "")],
    "under_municipal_review": [("admin1", "submit", ""), ("director1", "approve", ""),
                               ("director1", "sign", ""), ("admin1", "send_to_municipality", "")],
    "accepted": [("admin1", "submit", ""), ("director1", "approve", ""),
                 ("director1", "sign", ""), ("admin1", "send_to_municipality", ""),
                 ("officer", "accept", "")],
    "returned": [("admin1", "submit", ""), ("director1", "approve", ""),
                 ("director1", "sign", ""), ("admin1", "send_to_municipality", ""),
                 ("officer", "return_for_revision", "Доработать")],
    "cancelled": [("admin1", "submit", ""), ("director1", "approve", ""),
                  ("director1", "sign", ""), ("director1", "cancel", "Ошибка")],
}


@pytest.fixture()
def make_doc(rt, world, actor):
    """Create a document in school1 (as admin1) and walk it to ``state``."""
    from workflow.engine.authoring import create_document
    from workflow.engine.protocols import pass_collegial_stages
    from workflow.engine.transition import apply_event

    def make(state: str = "draft", kind: str = "order", fields: dict | None = None,
             org: str = "school1", author: str = "admin1", title: str = "О наставничестве",
             **kw) -> int:
        doc_id = create_document(rt, actor(author), kind=kind, org_id=world.orgs[org],
                                 title=title, fields=fields if fields is not None else
                                 ORDER_FIELDS, **kw)
        for user, event, comment in PATH_TO[state]:
            if org == "school2":  # the same people of the other school
                user = {"admin1": "admin2", "director1": "director2"}.get(user, user)
            if event == "approve":  # collegial stages of the kind's default route first
                pass_collegial_stages(rt, doc_id, actor(author))
            apply_event(rt, doc_id, event, actor(user), comment)
        return doc_id

    return make


@pytest.fixture()
def count_queries(rt):
    @contextmanager
    def counter():
        statements: list[str] = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(rt.db.engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(rt.db.engine, "before_cursor_execute", before)

    return counter
