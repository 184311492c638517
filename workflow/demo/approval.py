"""Demo of the approval: school 1's director is «on leave» with the deputy director for
educational work as acting director (и. о.), so the whole «Done means» scenario of approving
a положение can be walked on the demo; the built-in routes (педсовет → профком → директор)
are in force. A programme of school 1 waits approved for its approving order."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from documents.models import User
from workflow import clock
from workflow.demo import loader as demo
from workflow.engine.authoring import create_document
from workflow.engine.substitutions import create_substitution

LEAVE_DAYS = 14


def load(rt, school_ids: list[int]) -> None:
    if not school_ids:
        return
    org_id = school_ids[0]
    with rt.db.read_session() as s:
        director = demo._actor(s, "director1@demo.local")
        author = demo._actor(s, "admin1@demo.local")
        deputy_id = s.scalar(select(User.id).where(User.email == "curator1@demo.local"))
    today = clock.today()
    create_substitution(rt, director, org_id=org_id, absent_id=director.id,
                        deputy_id=deputy_id, start=today - timedelta(days=1),
                        end=today + timedelta(days=LEAVE_DAYS),
                        reason="Ежегодный оплачиваемый отпуск")
    doc_id = create_document(rt, author, kind="programme", org_id=org_id,
                             title="Программа наставничества «Учитель — учитель»",
                             fields=demo.PROGRAMME_FIELDS)
    demo.walk(rt, doc_id, [("admin1@demo.local", "submit", ""),
                           ("director1@demo.local", "approve", "")])


if load not in demo.DEMO_HOOKS:
    demo.DEMO_HOOKS.append(load)
