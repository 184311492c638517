"""A version per school register of people, so a worker can keep the minors it read.

An officer's every answer is redacted with the minors of the whole municipality (hundreds to
thousands of rows, read on each request). On PostgreSQL a trigger now gives a school a new
number from one sequence whenever one of its people is added, changed, moved or removed (and
every school one after a TRUNCATE); a worker keeps what it read under the newest number among
the schools it read, so one small query tells it whether that is still current.

Revision ID: i14_register_versions
Revises: i14_checkpoint_rank_index
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i14_register_versions"
down_revision = "i14_checkpoint_rank_index"
branch_labels = None
depends_on = None

BUMP = """INSERT INTO register_versions (org_id, version)
      VALUES ({org}, nextval('register_version_seq'))
      ON CONFLICT (org_id) DO UPDATE SET version = EXCLUDED.version;"""

FUNCTIONS = f"""
CREATE FUNCTION nastavnik_register_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    {BUMP.format(org="OLD.org_id")}
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.org_id IS DISTINCT FROM OLD.org_id) THEN
    {BUMP.format(org="NEW.org_id")}
  END IF;
  RETURN NULL;
END
$$;
CREATE FUNCTION nastavnik_registers_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE register_versions SET version = nextval('register_version_seq');
  RETURN NULL;
END
$$;
"""


def upgrade() -> None:
    op.create_table(
        "register_versions",
        sa.Column("org_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("org_id", name=op.f("pk_register_versions")))
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE SEQUENCE register_version_seq")
    op.execute(FUNCTIONS)
    op.execute("CREATE TRIGGER people_register_version AFTER INSERT OR UPDATE OR DELETE "
               "ON people FOR EACH ROW EXECUTE FUNCTION nastavnik_register_changed()")
    op.execute("CREATE TRIGGER people_register_truncated AFTER TRUNCATE ON people "
               "FOR EACH STATEMENT EXECUTE FUNCTION nastavnik_registers_truncated()")
    op.execute("INSERT INTO register_versions (org_id, version) "
               "SELECT org_id, nextval('register_version_seq') FROM people GROUP BY org_id")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS people_register_truncated ON people")
        op.execute("DROP TRIGGER IF EXISTS people_register_version ON people")
        op.execute("DROP FUNCTION IF EXISTS nastavnik_registers_truncated()")
        op.execute("DROP FUNCTION IF EXISTS nastavnik_register_changed()")
        op.execute("DROP SEQUENCE IF EXISTS register_version_seq")
    op.drop_table("register_versions")
