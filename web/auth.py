"""Who is calling: a browser session (flask-login, server-side revocable) or a bearer token."""

from __future__ import annotations

from flask import current_app, g, request
from flask_login import UserMixin, current_user

from web.extensions import login_manager
from workflow import accounts
from workflow.engine.permissions import Actor
from workflow.errors import NotAuthenticated


class LoginUser(UserMixin):
    """The flask-login user: its id is the server-side session id, so logout can revoke it."""

    def __init__(self, sid: str, user) -> None:
        self.sid, self.user = sid, user

    def get_id(self) -> str:
        return self.sid


def runtime():
    return current_app.extensions["nastavnik"]


def db_session():
    return runtime().db.session


@login_manager.user_loader
def _load(sid: str):
    user = accounts.user_for_session(db_session(), sid)
    return LoginUser(sid, user) if user else None


def bearer_token() -> str | None:
    """The API's bearer token; pages (outside /api/) only ever use the session cookie."""
    if not request.path.startswith("/api/"):
        return None
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def current_db_user():
    """The User behind this request, or None."""
    if "db_user" in g:
        return g.db_user
    token = bearer_token()
    if token:
        # one statement, outside a transaction: the user and the grants come in it eagerly
        with runtime().db.single_read() as session:
            user = accounts.user_for_token(session, token)
    elif current_user.is_authenticated:
        user = current_user.user
    else:
        user = None
    g.db_user = user
    return user


def current_actor() -> Actor:
    if "actor" not in g:
        user = current_db_user()
        if user is None:
            raise NotAuthenticated("Войдите в систему.", code="not_authenticated")
        g.actor = Actor.of(user)
        # The actor is plain data now: give the connection back before a use case opens its
        # own write session, so a request never holds two connections at once.
        db_session().rollback()
    return g.actor
