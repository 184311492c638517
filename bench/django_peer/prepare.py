"""Create the peer's database and fill it: ``orgs`` schools, each with a director (a user, a
grant and a token), ``per_org`` documents on approval and the first link of its history chain;
and the floor's tables. Prints the approvals to send as JSON lines (path, token, lock_version).

    PEER_DATABASE_URL=postgresql://… python -m bench.django_peer.prepare ORGS PER_ORG
"""

from __future__ import annotations

import json
import os
import sys

import django


def main(orgs: int, per_org: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.django_peer.settings")
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from bench.django_peer.models import Document, Grant, HistoryEvent, Organization
    from bench.django_peer.views import chain_hash
    # the floor's tables, in the peer's database (floor_app makes its engine on import)
    os.environ.setdefault("DATABASE_URL", os.environ["PEER_DATABASE_URL"])
    from bench.floor_app import SCHEMA

    call_command("migrate", verbosity=0)
    with transaction.atomic(), connection.cursor() as cur:
        for stmt in SCHEMA.strip().split(";\n"):
            cur.execute(stmt)
        cur.execute("TRUNCATE bench_floor_rows, bench_floor_log")
        cur.execute("INSERT INTO bench_floor_rows SELECT g, 0 FROM generate_series(1, 5000) g")
        now = timezone.now()
        first = Organization.objects.count()
        new = Organization.objects.bulk_create(
            [Organization(name=f"Школа {first + i + 1}") for i in range(orgs)])
        users = User.objects.bulk_create(
            [User(username=f"director{o.id}", password="!") for o in new])
        Grant.objects.bulk_create([Grant(user=u, org=o, role="director")
                                   for u, o in zip(users, new)])
        tokens = Token.objects.bulk_create([Token(key=Token.generate_key(), user=u)
                                            for u in users])
        docs = Document.objects.bulk_create(
            [Document(org=o, title=f"Приказ № {n + 1}", state="on_approval")
             for o in new for n in range(per_org)])
        first_doc = {}
        for d in docs:
            first_doc.setdefault(d.org_id, d)
        HistoryEvent.objects.bulk_create(
            [HistoryEvent(org=o, document=first_doc[o.id], actor=u, event="submit",
                          from_state="draft", to_state="on_approval", at=now, prev_hash="",
                          hash=chain_hash("", {"document": first_doc[o.id].pk}))
             for u, o in zip(users, new)])
    token_of = {u.id: t.key for u, t in zip(users, tokens)}
    director = {o.id: u.id for u, o in zip(users, new)}
    for d in docs:
        print(json.dumps({"path": f"/api/documents/{d.pk}/approve",
                          "token": token_of[director[d.org_id]], "lock_version": 0,
                          "org": d.org_id}))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
