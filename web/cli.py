"""Command line: `flask --app web <command>` or the `nastavnik` console script."""

from __future__ import annotations

import dataclasses
import functools
import os
import sys

import click
from flask import Flask
from flask.cli import FlaskGroup
from sqlalchemy.exc import OperationalError

from documents import schema
from workflow.admin import console
from workflow.audit import chain as audit
from workflow.demo import loader as demo
from workflow.engine.effects import claim_pending, run_effects
from workflow.errors import NotFound, WorkflowError
from workflow.runtime import Settings

#: An id as the database keeps it (a larger number is no id of ours: a clear error, not SQL's).
ID = click.IntRange(1, 2_147_483_647)


def plain_errors(command):
    """A command refused by the rules, or that cannot reach the database, prints the reason
    (in Russian) and exits 1 — no traceback for an operator's typo."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except WorkflowError as exc:
            click.echo(f"Ошибка: {exc.message}", err=True)
        except OperationalError as exc:
            reason = str(exc.orig or exc).strip().splitlines()[0]
            click.echo(f"Ошибка: база данных недоступна (проверьте DATABASE_URL): {reason}",
                       err=True)
        sys.exit(1)

    return run


def register_cli(app: Flask) -> None:
    rt = app.extensions["nastavnik"]
    from web.admin_cli import register_admin_cli

    register_admin_cli(app)

    @app.cli.command("migrate")
    @plain_errors
    def migrate() -> None:
        """Bring the database schema up to date (Alembic)."""
        schema.upgrade(rt.settings.database_url)
        click.echo("База данных обновлена.")

    @app.cli.command("load-demo")
    @plain_errors
    def load_demo() -> None:
        """Load the demo municipality (only into an empty database) and print the logins."""
        loaded = demo.load_demo(rt)
        click.echo("Демо-данные загружены." if loaded else "База не пуста: демо не загружалось.")
        click.echo(f"Демо-входы (пароль «{demo.PASSWORD}»):")
        for email, who in demo.logins():
            click.echo(f"  {email:<24} {who}")

    @app.cli.command("create-org")
    @click.option("--name", required=True, help="Полное наименование.")
    @click.option("--short-name", required=True, help="Краткое наименование.")
    @click.option("--kind", type=click.Choice(["municipality", "school"]), required=True)
    @click.option("--parent-id", type=ID, help="Муниципалитет школы.")
    @plain_errors
    def create_org(name: str, short_name: str, kind: str, parent_id: int | None) -> None:
        """Create an organisation (a school needs --parent-id of its municipality)."""
        org_id = console.create_org(rt, name=name, short_name=short_name, kind=kind,
                                    parent_id=parent_id)
        click.echo(f"Организация создана: id={org_id}")

    @app.cli.command("create-user")
    @click.option("--email", required=True)
    @click.option("--full-name", required=True)
    @click.option("--position", default="", help="Должность.")
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    @plain_errors
    def create_user(email: str, full_name: str, position: str, password: str) -> None:
        """Create a user who logs in with this password (a strong one: at least 10 characters,
        not a common password, not the e-mail or the name); roles are given by `grant`."""
        user_id = console.create_user(rt, email=email, full_name=full_name, password=password,
                                      position=position)
        click.echo(f"Пользователь создан: id={user_id}")

    @app.cli.command("grant")
    @click.option("--user-id", type=ID, required=True)
    @click.option("--org-id", type=ID, required=True)
    @click.option("--role", required=True,
                  help="school_admin, director, curator (школа); admin, municipal_officer, "
                       "auditor, director (муниципалитет).")
    @plain_errors
    def grant(user_id: int, org_id: int, role: str) -> None:
        """Give a user a role in an organisation."""
        added = console.grant(rt, user_id=user_id, org_id=org_id, role=role)
        click.echo("Роль выдана." if added else "Эта роль у пользователя уже есть.")

    @app.cli.command("verify-history")
    @click.option("--org-id", type=ID, help="One organisation; all when omitted.")
    @plain_errors
    def verify_history(org_id: int | None) -> None:
        """Verify the hash chains of the history; exits 1 and names the first bad event."""
        from sqlalchemy import select

        from documents.models import Organization

        with rt.db.read_session() as s:
            ids = [org_id] if org_id else list(s.scalars(select(Organization.id)))
            if org_id and s.get(Organization, org_id) is None:
                raise NotFound(f"Организация id={org_id} не найдена.")
            result = audit.verify_orgs(s, ids)
        if result.ok:
            click.echo(f"История цела: проверено событий — {result.events_checked}.")
        else:
            click.echo(f"Нарушение в организации {result.org_id}, событие № "
                       f"{result.first_bad_seq}: {result.reason}", err=True)
            sys.exit(1)

    @app.cli.command("run-effects")
    @plain_errors
    def run_pending_effects() -> None:
        """Run pending outbox effects in-process (embedded mode catch-up)."""
        ids = claim_pending(rt, limit=1000)
        run_effects(rt, ids)
        click.echo(f"Выполнено эффектов: {len(ids)}")

    @app.cli.command("gen-region")
    @click.option("--schools", type=int, default=3000, show_default=True)
    @click.option("--seed", type=int, default=1, show_default=True)
    @click.option("--municipalities", type=int, help="Default: 60 (fewer for small sizes).")
    @plain_errors
    def gen_region(schools: int, seed: int, municipalities: int | None) -> None:
        """Generate the reference region (benchmarks): schools, chain-valid histories,
        registers, pairs, roadmaps; into an empty database. Same seed, same region."""
        from workflow.demo.region import PASSWORD, generate_region

        stats = generate_region(rt, schools=schools, seed=seed, municipalities=municipalities)
        click.echo(f"Регион создан за {stats.seconds} с: муниципалитетов {stats.municipalities}, "
                   f"школ {stats.schools}, пользователей {stats.users}, документов "
                   f"{stats.documents}, событий истории {stats.events}, людей в реестрах "
                   f"{stats.people}, пар {stats.pairs}, пунктов дорожных карт "
                   f"{stats.roadmap_items}.")
        click.echo(f"Входы: director.s1@region.local, admin.s1@region.local, "
                   f"officer.m1@region.local, auditor.m1@region.local; пароль «{PASSWORD}».")

    @app.cli.command("serve")
    @click.option("--host", default="127.0.0.1")
    @click.option("--port", type=int, default=lambda: int(os.environ.get("PORT", "5000")))
    @click.option("--threads", type=int, default=8)
    def serve(host: str, port: int, threads: int) -> None:
        """Serve the app with waitress (embedded mode)."""
        from waitress import serve as waitress_serve

        from web import embedded
        from web.warmup import warm

        rt.settings = served_settings(rt.settings, host, port, os.environ)
        if rt.settings.effects_mode == "inline":
            embedded.start(rt)
        warm(app)
        click.echo(f"Наставник: http://{host}:{port}")
        waitress_serve(app, host=host, port=port, threads=threads)


def served_settings(settings: Settings, host: str, port: int, env) -> Settings:
    """The links mailed (invitations, password resets) point at the address served, unless
    NASTAVNIK_BASE_URL says where people reach it (a proxy, HTTPS)."""
    if env.get("NASTAVNIK_BASE_URL"):
        return settings
    return dataclasses.replace(settings, base_url=f"http://{host}:{port}")


def main() -> None:
    from web import create_app

    FlaskGroup(create_app=create_app)(prog_name="nastavnik")
