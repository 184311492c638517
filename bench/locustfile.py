"""The user mix of a region, for locust (headless, started by bench/run.py):

- directors: their inbox (page) and documents on approval, a document page, approve, sign;
- school admins: inbox (API), a document, draft + submit (keeps directors supplied),
  registers and pairs;
- municipal officers: the municipality's compliance, documents under review, accept;
- auditors: a document's history and the organisation's chain verification.

Credentials come from BENCH_TOKENS (a JSON file written by bench/run.py: bearer tokens and
the region password for page logins). BENCH_HOSTS lists the web instances; each simulated
user sticks to one of them, as behind a balancer with sticky sessions.

The users are locust's FastHttpUser (geventhttpclient), its lighter client: on this 2-core
host the load generator shares the cores with the servers it measures.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

CREDS = json.loads(open(os.environ["BENCH_TOKENS"]).read())
HOSTS = os.environ.get("BENCH_HOSTS", "").split(",")
_pick = {role: itertools.cycle(CREDS[role]) for role in ("director", "school_admin",
                                                         "municipal_officer", "auditor")}
_host = itertools.cycle(HOSTS)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class _Base(FastHttpUser):
    abstract = True
    wait_time = between(0.2, 1.0)
    role = ""

    def on_start(self) -> None:
        self.cred = next(_pick[self.role])
        if HOSTS and HOSTS[0]:
            self.client.base_url = next(_host)
        self.h = {"Authorization": f"Bearer {self.cred['token']}"}

    def api(self, method: str, path: str, name: str, **kw):
        kw.setdefault("headers", dict(self.h))  # the client adds to the dict it is given
        with self.client.request(method, f"/api/v1{path}", name=name, catch_response=True,
                                 **kw) as resp:
            if resp.status_code in (200, 201, 202, 409):  # 409: someone was faster — fine
                resp.success()
            else:
                resp.failure(f"{resp.status_code}: {resp.text[:200]}")
            return resp

    def docs(self, name: str, **params):
        params.setdefault("per_page", 20)
        resp = self.api("GET", "/documents", name, params=params)
        try:
            return resp.json().get("items", [])
        except ValueError:
            return []

    def fire(self, doc_id: int, event: str, comment: str = ""):
        resp = self.api("GET", f"/documents/{doc_id}", "document (api)")
        try:
            version = resp.json()["lock_version"]
        except (ValueError, KeyError):
            return
        self.api("POST", f"/documents/{doc_id}/events/{event}", event,
                 json={"lock_version": version, "comment": comment})

    def page(self, path: str, name: str) -> None:
        """A page as the signed-in person sees it (a redirect to the login page fails)."""
        with self.client.get(path, name=name, catch_response=True,
                             allow_redirects=False) as resp:
            if resp.status_code != 200:
                resp.failure(f"{resp.status_code}")

    def login_page(self) -> None:
        page = self.client.get("/login", name="login (page)")
        match = CSRF.search(page.text)
        if not match:
            return
        self.client.post("/login", name="login (post)", allow_redirects=False,
                         data={"csrf_token": match.group(1), "email": self.cred["email"],
                               "password": CREDS["password"], "next": ""})


class Director(_Base):
    weight = 3
    role = "director"

    def on_start(self) -> None:
        super().on_start()
        self.login_page()

    @task(3)
    def inbox_page(self):
        self.page("/", "inbox (page)")

    @task(3)
    def document_page(self):
        docs = self.docs("documents (api)", org_id=self.cred["org_id"])
        if docs:
            self.page(f"/documents/{random.choice(docs)['id']}", "document (page)")

    @task(2)
    def approve(self):
        docs = self.docs("inbox (api)", org_id=self.cred["org_id"], state="on_approval")
        if docs:
            self.fire(random.choice(docs)["id"], "approve")

    @task(1)
    def sign(self):
        docs = self.docs("inbox (api)", org_id=self.cred["org_id"], state="approved")
        if docs:
            self.fire(random.choice(docs)["id"], "sign")


class SchoolAdmin(_Base):
    weight = 3
    role = "school_admin"

    @task(3)
    def inbox(self):
        self.docs("inbox (api)", responsible_id=self.cred["user_id"])

    @task(2)
    def document(self):
        docs = self.docs("documents (api)", org_id=self.cred["org_id"])
        if docs:
            self.api("GET", f"/documents/{random.choice(docs)['id']}", "document (api)")

    @task(2)
    def draft_and_submit(self):
        resp = self.api("POST", "/documents", "create", json={
            "kind": "order", "org_id": self.cred["org_id"], "title": "О наставничестве",
            "fields": {"clauses": [{"text": "Внедрить целевую модель наставничества."}]}})
        if resp.status_code == 201:
            doc = resp.json()
            self.api("POST", f"/documents/{doc['id']}/events/submit", "submit",
                     json={"lock_version": doc["lock_version"]})

    @task(1)
    def registers(self):
        self.api("GET", "/people", "registers (api)", params={"org_id": self.cred["org_id"]})
        self.api("GET", "/pairs", "pairs (api)", params={"org_id": self.cred["org_id"]})


class Officer(_Base):
    weight = 1
    role = "municipal_officer"

    @task(2)
    def compliance(self):
        self.api("GET", "/compliance", "compliance (municipality)",
                 params={"municipality_id": self.cred["org_id"]})

    @task(3)
    def review(self):
        docs = self.docs("documents (api)", state="under_municipal_review")
        if docs:
            self.fire(random.choice(docs)["id"], "accept")


class Auditor(_Base):
    weight = 1
    role = "auditor"

    @task(3)
    def history(self):
        docs = self.docs("documents (api)", per_page=50)
        if docs:
            self.api("GET", f"/documents/{random.choice(docs)['id']}/history", "history")

    @task(1)
    def verify(self):
        docs = self.docs("documents (api)", per_page=5)
        if docs:
            self.api("GET", "/audit/verify", "verify (school)",
                     params={"org_id": docs[0]["org_id"]})
