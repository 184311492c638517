"""Each saved edit of a draft says in its history entry what changed (issue 13, defect 9)."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import ORDER_FIELDS
from workflow import clock
from workflow.engine.authoring import update_document
from workflow.engine.queries import document_history


def test_edit_history_names_the_changed_fields(rt, make_doc, actor):
    doc = make_doc()
    fields = {**ORDER_FIELDS, "clauses": [*ORDER_FIELDS["clauses"],
                                          {"text": "Провести мониторинг.", "executor": "",
                                           "term": ""}]}
    due = clock.today() + timedelta(days=10)
    update_document(rt, actor("admin1"), doc, expected_version=0, title="Новый заголовок",
                    fields=fields, due=due)
    update_document(rt, actor("admin1"), doc, expected_version=1, title="Новый заголовок",
                    fields=fields, due=due)  # saved again unchanged
    with rt.db.read_session() as s:
        edits = [e.comment for e in document_history(s, actor("admin1"), doc)
                 if e.event == "edit"]
    assert edits[0] == ("Изменено: Заголовок; Пункты приказа › 2 › Текст пункта; "
                        f"Срок ({due:%d.%m.%Y}).")
    assert edits[1] == ""
