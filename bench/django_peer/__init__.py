"""What a Django team would build for the same approval, measured beside ours in one run
(issue 14: "faster than the Django + django-fsm-2 peer relative to the same floor").

Django 5.2, django-fsm-2 and Django REST framework, the way their documentation sets them up:
a bearer token (DRF's ``TokenAuthentication``), the role checked against a grant row, the
state machine of django-fsm-2, an optimistic lock (a conditional UPDATE on ``lock_version``;
0 rows → 409), a per-organisation SHA-256 history chain under an advisory lock, an outbox row,
all in one transaction, the document answered through a ``ModelSerializer``. And its floor:
the same SELECT + conditional UPDATE + INSERT + COMMIT as ``bench/floor_app.py``, through
Django's connection. Served by gunicorn with the same file as ours; its own database.

Not part of Nastavnik: installed only for the bench (``make bench-tools``: the ``peer`` extra).
"""
