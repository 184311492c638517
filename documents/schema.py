"""Schema management through Alembic only (the app never calls create_all outside tests).

The migrations ship inside the installed package (`migrations/` is a package), so an
installed copy migrates without the source tree and without an alembic.ini file.
"""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config


def script_location() -> str:
    """The folder of the `migrations` package, wherever it is installed."""
    return str(resources.files("migrations"))


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", script_location())
    cfg.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    cfg.attributes["url"] = url
    return cfg


def upgrade(url: str, revision: str = "heads") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)
