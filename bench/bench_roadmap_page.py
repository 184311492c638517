"""Roadmap import and page timings on a throw-away SQLite database.

Imports a 40-item roadmap through the service (target < 1 s, including its document) and
times GET of the roadmap page and of ``/api/v1/roadmaps/{id}`` for 20 and 200 items, with the
number of SQL queries each makes (it must not grow with the items).
Run: ``python bench/bench_roadmap_page.py [runs]``.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, select

from documents import schema
from documents.models import User
from documents.roadmaps.export import roadmap_to_docx
from workflow import accounts
from workflow.engine.permissions import Actor
from workflow.roadmaps import importing
from workflow.runtime import Runtime, Settings

PASSWORD = "bench-password-123"
PHRASES = ("до {d}", "Ноябрь-декабрь 2026 г.", "До 15.10 ежегодно",
           "в течение всего периода реализации ЦМН", "Декабрь, июнь в период с 2026 по 2027 г.г.",
           "в соответствии со сроками, устанавливаемыми Минпросвещения России")


def roadmap_bytes(n: int) -> bytes:
    today = date.today()
    items = [{"number": f"{k // 10 + 1}.{k % 10 + 1}", "section": str(k // 10 + 1),
              "activity": f"Мероприятие {k}: формирование базы наставников и наставляемых",
              "deadline_text": PHRASES[k % len(PHRASES)].format(
                  d=(today + timedelta(days=k * 5 - 100)).strftime("%d.%m.%Y")),
              "responsible_text": ("Директор ОУ", "кураторы", "Петров А.М.")[k % 3],
              "result_text": ("Положение о наставничестве", "Приказ ОО", "Отчёт")[k % 3]}
             for k in range(n)]
    sections = [{"number": str(s + 1), "title": f"Раздел {s + 1}"} for s in range((n + 9) // 10)]
    return roadmap_to_docx({"title": "Дорожная карта", "sections": sections, "items": items})


def main(runs: int = 20) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-roadmap-"))
    settings = Settings(database_url=f"sqlite:///{tmp / 'bench.db'}", data_dir=tmp / "data")
    schema.upgrade(settings.database_url)
    from web import create_app

    app = create_app(settings, TESTING=True)
    rt: Runtime = app.extensions["nastavnik"]
    with rt.db.write_session() as s:
        muni = accounts.create_organization(s, name="МР", short_name="МР", kind="municipality")
        school = accounts.create_organization(s, name="Школа", short_name="Школа", kind="school",
                                              parent_id=muni.id)
        user = accounts.create_user(s, email="curator@bench.local", full_name="Куратор Бенч",
                                    password=PASSWORD)
        accounts.grant_role(s, user.id, school.id, "curator")
        school_id, user_id = school.id, user.id
    with rt.db.read_session() as s:
        actor = Actor.of(s.scalar(select(User).where(User.id == user_id)))
    period = ((date.today() - timedelta(days=400)).isoformat(),
              (date.today() + timedelta(days=400)).isoformat())

    def do_import(n: int) -> tuple[int, float]:
        data = roadmap_bytes(n)
        t0 = time.perf_counter()
        rid = importing.import_roadmap(rt, actor, org_id=school_id, data=data, filename="dk.docx",
                                      period_start=period[0], period_end=period[1])["id"]
        return rid, time.perf_counter() - t0

    times40 = [do_import(40)[1] for _ in range(5)]
    print(f"import 40 items: median {statistics.median(times40) * 1000:.0f} ms "
          f"(target < 1000 ms) {'OK' if statistics.median(times40) < 1 else 'SLOW'}")

    token = accounts.issue_token(rt, user_id)
    client = app.test_client()
    page = app.test_client()
    login_page = page.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', login_page).group(1)
    page.post("/login", data={"email": "curator@bench.local", "password": PASSWORD,
                              "csrf_token": csrf})
    for n in (20, 200):
        rid, t_import = do_import(n)
        api_get = (lambda rid=rid: client.get(f"/api/v1/roadmaps/{rid}",
                                              headers={"Authorization": f"Bearer {token}"}))
        page_get = (lambda rid=rid: page.get(f"/roadmaps/{rid}"))
        for label, get in (("API ", api_get), ("page", page_get)):
            assert get().status_code == 200
            statements: list[str] = []

            def count(conn, cursor, statement, *args, statements=statements):
                statements.append(statement)

            event.listen(rt.db.engine, "before_cursor_execute", count)
            get()
            event.remove(rt.db.engine, "before_cursor_execute", count)
            samples = []
            for _ in range(runs):
                t0 = time.perf_counter()
                get()
                samples.append(time.perf_counter() - t0)
            samples.sort()
            print(f"{label} {n:>3} items: median {statistics.median(samples) * 1000:6.1f} ms, "
                  f"p95 {samples[int(len(samples) * 0.95) - 1] * 1000:6.1f} ms, "
                  f"{len(statements)} SQL queries (import {t_import * 1000:.0f} ms)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
