"""`flask --app web create-admin`: the first run of a real installation (not the demo)."""

from __future__ import annotations

import click
from flask import Flask

from web.cli import plain_errors
from workflow.admin import firstrun


def register_admin_cli(app: Flask) -> None:
    rt = app.extensions["nastavnik"]

    @app.cli.command("create-admin")
    @click.option("--municipality", required=True, help="Полное наименование муниципалитета.")
    @click.option("--short-name", required=True, help="Краткое наименование.")
    @click.option("--founder", default="", help="Учредитель (для бланков).")
    @click.option("--place", default="", help="Место издания документов.")
    @click.option("--email", required=True, help="E-mail (логин) администратора.")
    @click.option("--full-name", required=True, help="ФИО администратора.")
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    @plain_errors
    def create_admin(municipality: str, short_name: str, founder: str, place: str, email: str,
                     full_name: str, password: str) -> None:
        """Create the municipality and its first administrator (only into an empty system)."""
        result = firstrun.create_first_admin(
            rt, municipality={"name": municipality, "short_name": short_name,
                              "founder": founder, "place": place},
            email=email, full_name=full_name, password=password)
        click.echo(f"Муниципалитет создан: id={result['org_id']}; администратор: {email}. "
                   "Дальше всё — в браузере, раздел «Администрирование».")
