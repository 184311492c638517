"""Who is calling: a browser session (flask-login, server-side revocable) or a bearer token."""

from __future__ import annotations

from flask import current_app, g, request
from flask_login import UserMixin, current_user

from documents.models import User
from web.extensions import login_manager
from workflow import accounts
from workflow.engine.permissions import Actor
from workflow.errors import NotAuthenticated


class LoginUser(UserMixin):
    """The flask-login user: its id is the server-side session id, so logout can revoke it.
    It holds the person as plain data (:class:`Actor`); the pages that show or change the
    profile load the User itself (:attr:`user`)."""

    def __init__(self, sid: str, actor: Actor) -> None:
        self.sid, self.actor = sid, actor

    def get_id(self) -> str:
        return self.sid

    @property
    def user(self) -> User:
        return db_session().get(User, self.actor.id)


def runtime():
    return current_app.extensions["nastavnik"]


def db_session():
    return runtime().db.session


@login_manager.user_loader
def _load(sid: str):
    actor = accounts.actor_for_session(runtime().db, sid)
    return LoginUser(sid, actor) if actor else None


def bearer_token() -> str | None:
    """The API's bearer token; pages (outside /api/) only ever use the session cookie."""
    if not request.path.startswith("/api/"):
        return None
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def _caller() -> Actor | None:
    """Who calls, found once per request: a bearer token (one statement outside any
    transaction, plain rows) or the browser session's user."""
    if "actor" not in g:
        token = bearer_token()
        if token:
            g.actor = accounts.actor_for_token(runtime().db, token)
        elif current_user.is_authenticated:
            g.actor = current_user.actor
        else:
            g.actor = None
    return g.actor


def is_signed_in() -> bool:
    return _caller() is not None


def current_db_user():
    """The User behind this request (its profile), or None."""
    if current_user.is_authenticated and not bearer_token():
        return current_user.user
    actor = _caller()
    return db_session().get(User, actor.id) if actor else None


def current_actor() -> Actor:
    actor = _caller()
    if actor is None:
        raise NotAuthenticated("Войдите в систему.", code="not_authenticated")
    return actor
