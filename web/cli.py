"""Command line: `flask --app web <command>` or the `nastavnik` console script."""

from __future__ import annotations

import dataclasses
import os
import sys

import click
from flask import Flask
from flask.cli import FlaskGroup

from documents import schema
from workflow import accounts
from workflow.audit import chain as audit
from workflow.demo import loader as demo
from workflow.engine.effects import claim_pending, run_effects
from workflow.runtime import Settings


def register_cli(app: Flask) -> None:
    rt = app.extensions["nastavnik"]
    from web.admin_cli import register_admin_cli

    register_admin_cli(app)

    @app.cli.command("migrate")
    def migrate() -> None:
        """Bring the database schema up to date (Alembic)."""
        schema.upgrade(rt.settings.database_url)
        click.echo("База данных обновлена.")

    @app.cli.command("load-demo")
    def load_demo() -> None:
        """Load the demo municipality (only into an empty database) and print the logins."""
        loaded = demo.load_demo(rt)
        click.echo("Демо-данные загружены." if loaded else "База не пуста: демо не загружалось.")
        click.echo(f"Демо-входы (пароль «{demo.PASSWORD}»):")
        for email, who in demo.logins():
            click.echo(f"  {email:<24} {who}")

    @app.cli.command("create-org")
    @click.option("--name", required=True)
    @click.option("--short-name", required=True)
    @click.option("--kind", type=click.Choice(["municipality", "school"]), required=True)
    @click.option("--parent-id", type=int)
    def create_org(name: str, short_name: str, kind: str, parent_id: int | None) -> None:
        """Create an organisation (a school needs --parent-id of its municipality)."""
        with rt.db.write_session() as s:
            org = accounts.create_organization(s, name=name, short_name=short_name, kind=kind,
                                               parent_id=parent_id)
            click.echo(f"Организация создана: id={org.id}")

    @app.cli.command("create-user")
    @click.option("--email", required=True)
    @click.option("--full-name", required=True)
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    def create_user(email: str, full_name: str, password: str) -> None:
        """Create a user with a password."""
        with rt.db.write_session() as s:
            user = accounts.create_user(s, email=email, full_name=full_name, password=password)
            click.echo(f"Пользователь создан: id={user.id}")

    @app.cli.command("grant")
    @click.option("--user-id", type=int, required=True)
    @click.option("--org-id", type=int, required=True)
    @click.option("--role", required=True)
    def grant(user_id: int, org_id: int, role: str) -> None:
        """Give a user a role in an organisation."""
        with rt.db.write_session() as s:
            accounts.grant_role(s, user_id, org_id, role)
        click.echo("Роль выдана.")

    @app.cli.command("verify-history")
    @click.option("--org-id", type=int, help="One organisation; all when omitted.")
    def verify_history(org_id: int | None) -> None:
        """Verify the hash chains of the history; exits 1 and names the first bad event."""
        from sqlalchemy import select

        from documents.models import Organization

        with rt.db.read_session() as s:
            ids = [org_id] if org_id else list(s.scalars(select(Organization.id)))
            result = audit.verify_orgs(s, ids)
        if result.ok:
            click.echo(f"История цела: проверено событий — {result.events_checked}.")
        else:
            click.echo(f"Нарушение в организации {result.org_id}, событие № "
                       f"{result.first_bad_seq}: {result.reason}", err=True)
            sys.exit(1)

    @app.cli.command("run-effects")
    def run_pending_effects() -> None:
        """Run pending outbox effects in-process (embedded mode catch-up)."""
        ids = claim_pending(rt, limit=1000)
        run_effects(rt, ids)
        click.echo(f"Выполнено эффектов: {len(ids)}")

    @app.cli.command("gen-region")
    @click.option("--schools", type=int, default=3000, show_default=True)
    @click.option("--seed", type=int, default=1, show_default=True)
    @click.option("--municipalities", type=int, help="Default: 60 (fewer for small sizes).")
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
