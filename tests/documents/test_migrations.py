"""Migrations: one head, and upgrade → downgrade to base → upgrade works on a fresh database."""

from sqlalchemy import create_engine, inspect

from documents import schema
from documents.db import Base


def test_single_head():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(schema.alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


def test_upgrade_downgrade_upgrade_matches_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    schema.upgrade(url, "head")
    schema.downgrade(url, "base")
    schema.upgrade(url, "head")
    engine = create_engine(url)
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    engine.dispose()
    assert tables == set(Base.metadata.tables)
