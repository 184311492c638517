"""Search folds Russian case and «ё»/«е» on SQLite and PostgreSQL alike (issue 13, defect 1)."""

from __future__ import annotations

import sqlalchemy as sa

from documents import schema
from workflow.engine.authoring import update_document
from workflow.engine.queries import list_documents


def _titles(rt, actor, q):
    with rt.db.read_session() as s:
        rows, total = list_documents(s, actor("admin1"), q=q)
    return sorted(d.title for d in rows)


def test_lower_case_and_yo_find_the_same_documents(rt, make_doc, actor):
    make_doc(title="Положение о наставничестве", kind="order")
    make_doc(title="ПОЛОЖЕНИЕ О МОТИВАЦИИ НАСТАВНИКОВ", kind="order")
    make_doc(title="О зачёте стажа")
    make_doc(title="О назначении куратора")
    for q in ("положение", "Положение", "ПОЛОЖЕНИЕ", "пОлОжЕнИе"):
        assert _titles(rt, actor, q) == ["ПОЛОЖЕНИЕ О МОТИВАЦИИ НАСТАВНИКОВ",
                                         "Положение о наставничестве"], q
    assert _titles(rt, actor, "зачете") == ["О зачёте стажа"]
    assert _titles(rt, actor, "ЗАЧЁТЕ") == ["О зачёте стажа"]
    assert _titles(rt, actor, "100%") == []  # LIKE wildcards are literal


def test_registration_number_and_a_renamed_draft_are_found(rt, make_doc, actor):
    signed = make_doc(state="signed", title="О закреплении пар")
    draft = make_doc(title="Старое название")
    with rt.db.read_session() as s:
        number = list_documents(s, actor("admin1"), q="закреплении")[0][0].registration_number
    assert number and _titles(rt, actor, number.upper()) == ["О закреплении пар"]
    update_document(rt, actor("admin1"), draft, expected_version=0, title="Новое Ёмкое название")
    assert _titles(rt, actor, "емкое") == ["Новое Ёмкое название"]
    assert _titles(rt, actor, "старое") == []
    assert signed


def test_documents_page_finds_lower_case(as_user, make_doc):
    make_doc(title="Положение о наставничестве")
    page = as_user("admin1").get("/documents?q=положение").get_data(as_text=True)
    assert "Положение о наставничестве" in page


def test_migration_backfills_existing_documents(tmp_path, world):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    schema.upgrade(url, "0005_merge")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO organizations (id, name, short_name, kind, founder, "
                             "place, head_name, head_position, created_at) VALUES (1, 'Школа', 'Школа', "
                             "'school', '', '', '', '', '2026-01-01')"))
        conn.execute(sa.text(
            "INSERT INTO documents (id, kind, org_id, title, state, version, lock_version, "
            "fields, created_at, updated_at) VALUES (1, 'order', 1, 'Положение о Ёлке', "
            "'draft', 1, 0, '{}', '2026-01-01', '2026-01-01')"))
    schema.upgrade(url)
    with engine.begin() as conn:
        assert conn.scalar(sa.text("SELECT search_text FROM documents")) == "положение о елке"
    engine.dispose()
