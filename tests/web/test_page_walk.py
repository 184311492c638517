"""Every page as every role, as a phone (390 px) shows it: no ISO date, no raw state or kind
code, no internal id where a registration number belongs, no sideways scroll (issue 13).

The walk runs on its own demo site (documents in every state, registers, roadmaps) so the
pages have something to show; it visits each GET page of the page blueprints with sample
ids taken from the demo database."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from documents.models import (
    AuditJob,
    Document,
    Organization,
    PasswordToken,
    Roadmap,
    RoadmapItem,
    User,
)
from tests.web.demo_site import DEMO_PASSWORD, demo_site
from tests.web.test_browser_chain import ARGS, CHROMIUM, SHOTS

pytestmark = pytest.mark.browser

ROLES = ["admin", "officer", "auditor", "director1", "admin1", "curator1"]
#: Endpoints that answer a file, not a page (checked by their own tests).
FILES = {"static", "favicon", "healthz", "views.document_docx", "views.version_docx",
         "registers.export_xlsx", "compliance.export_xlsx", "compliance.report_docx",
         "preview.document_pdf", "roadmaps.export", "roadmaps.calendar",
         "roadmaps.calendar_by_token", "templates_admin.preview", "views.login",
         "views.approval_link",  # a one-time e-mail link: test_browser_email_approval
         "healthz_live", "healthz_ready", "admin.import_template", "admin.log_export",
         "audit.events_xlsx", "audit.job_download", "roadmaps.progress_xlsx",
         "roadmaps.evidence_file"}
#: A one-time password link the walk plants for a demo user (the page only shows the form).
LINK_TOKEN = "walk-password-link-token"

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
CODES = re.compile(r"\b(draft|on_approval|approved|signed|under_municipal_review|accepted|"
                   r"returned|cancelled|pair_order|incentive_scheme|curator_order|programme|"
                   r"regulation|roadmap|school_admin|municipal_officer|non_material|Mermaid|"
                   r"None|True|False)\b|\{\{|@ ")
#: «Приказ № 16» — a number sign before a bare integer (a school's own number is fine).
BARE_ID = re.compile(r"№\s*(\d+)(?![\d\-/])")
SCHOOL_NUMBER = re.compile(r"(школа|СОШ|ООШ|лицей|гимназия|учреждение)\s*$", re.I)
#: Minutes of a collegial body are numbered 1, 2, 3 … («Протокол от 03.12.2026 № 4»).
PROTOCOL_NUMBER = re.compile(r"протокол[а-я]*(\s+от\s+\d\d\.\d\d\.\d{4})?\s*$", re.I)


def _urls(rt) -> list[str]:
    with rt.db.read_session() as s:
        schools = s.scalars(select(Organization.id).where(
            Organization.parent_id.is_not(None)).order_by(Organization.id)).all()[:1]
        docs = s.scalars(select(Document).where(Document.org_id.in_(schools))
                         .order_by(Document.id)).all()
        by_state: dict = {}
        for d in docs:
            by_state.setdefault(d.state, d.id)
        drafts = [d.id for d in docs if d.state.value == "draft"][:1]
        roadmaps = s.scalars(select(Roadmap.id).order_by(Roadmap.id)).all()[:1]
        # a municipal item carried out by a school: (roadmap, item, school)
        report = s.execute(select(RoadmapItem.roadmap_id, Document.assignment_of, Document.org_id)
                           .join(RoadmapItem, RoadmapItem.id == Document.assignment_of)
                           .order_by(Document.id)).first()
        users = s.scalars(select(User.id).order_by(User.id)).all()[:1]
    _plant_links(rt)
    from workflow.engine.kinds import KINDS

    urls = ["/", "/documents", "/documents/new", "/kinds", "/profile", "/profile/password",
            "/schools", "/registers/", "/compliance/", "/templates/", "/roadmaps/",
            "/notifications/archive", "/journal"]
    urls += [f"/kinds/{k}" for k in list(KINDS)[:2]]
    urls += [f"/documents/new/{k}" for k in ("order", "pair_order")]
    urls += [f"/documents/{i}" for i in list(by_state.values())[:8]]
    urls += [f"/documents/{i}/edit" for i in drafts]
    urls += [f"/documents/{i}/card" for i in list(by_state.values())[:2]]
    urls += [f"/documents/{i}/preview" for i in list(by_state.values())[:1]]
    urls += [f"/schools/{i}" for i in schools] + [f"/compliance/school/{i}" for i in schools]
    urls += [f"/roadmaps/{i}" for i in roadmaps]
    urls += ["/approval-routes", "/substitutions", "/first-run", "/password/reset",
             f"/password/set/{LINK_TOKEN}"]
    urls += ["/admin/", "/admin/users", "/admin/users/new", "/admin/orgs/new", "/admin/import",
             "/admin/journals", "/admin/log"]
    urls += [f"/admin/users/{i}" for i in users] + [f"/admin/orgs/{i}" for i in schools]
    urls += ["/audit/", "/audit/chains", "/audit/pack", "/audit/personal-data-reads",
             "/audit/time-in-stage"]
    urls += [f"/audit/documents/{i}/compare" for i in list(by_state.values())[:1]]
    urls += [f"/audit/jobs/{_audit_job(rt)}"]
    if report is not None:
        urls += [f"/roadmaps/{report[0]}/progress", "/roadmaps/{}/progress/{}/{}".format(*report)]
    urls += [f"/roadmaps/{i}/progress" for i in roadmaps]
    return urls


def _plant_links(rt) -> None:
    from workflow import clock
    from workflow.admin.invitations import TTL, digest

    with rt.db.write_session() as s:
        user = s.scalar(select(User).where(User.email == "curator1@demo.local"))
        now = clock.now()
        s.add(PasswordToken(user_id=user.id, purpose="reset", token_sha256=digest(LINK_TOKEN),
                            created_at=now, expires_at=now + TTL))


def _audit_job(rt) -> int:
    """A finished chain check the auditor asked for (others see «not found»)."""
    from workflow.audit import jobs
    from workflow.engine.permissions import Actor

    with rt.db.read_session() as s:
        auditor = Actor.of(s.scalar(select(User).where(User.email == "auditor@demo.local")))
    job_id = jobs.start_verify(rt, auditor, None)
    for _ in range(300):
        with rt.db.read_session() as s:
            if s.get(AuditJob, job_id).status not in ("queued", "running"):
                break
        time.sleep(0.1)
    return job_id


def _visible_problems(text: str) -> list[str]:
    found = [f"ISO date {m.group(0)}" for m in ISO_DATE.finditer(text)]
    found += [f"code «{m.group(0)}»" for m in CODES.finditer(text)]
    found += [f"bare id «{m.group(0)}»" for m in BARE_ID.finditer(text)
              if not SCHOOL_NUMBER.search(text[max(0, m.start() - 12):m.start()])
              and not PROTOCOL_NUMBER.search(text[max(0, m.start() - 30):m.start()])]
    return found


def test_visible_text_checks_catch_what_people_must_not_see():
    assert _visible_problems("Срок 2026-12-03") and _visible_problems("№ 22 (draft)")
    assert _visible_problems("Приказ № 16 от 03.12.2026")
    assert not _visible_problems("Приказ № 4-од от 03.12.2026, МБОУ «СОШ № 1», "
                                 "«Средняя общеобразовательная школа № 71»")
    assert not _visible_problems("Протокол от 03.12.2026 № 4; протокол № 5")


def test_every_page_as_every_role_on_a_phone(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Chromium is not installed")
    problems: list[str] = []
    with demo_site(tmp_path / "demo") as (app, rt, base), sync_api.sync_playwright() as p:
        urls = _urls(rt)
        declared = {r.endpoint for r in app.url_map.iter_rules()
                    if "GET" in r.methods and not r.rule.startswith("/api")}
        walked = {app.url_map.bind("x").match(u.split("?")[0])[0] for u in urls}
        assert declared - FILES - walked == set(), "a page the walk does not visit"
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for role in ROLES:
            ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="ru-RU")
            page = ctx.new_page()
            page.goto(base + "/login")
            page.fill("#email", f"{role}@demo.local")
            page.fill("#password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(base + "/")
            for url in urls:
                page.goto(base + url)
                where = f"{role} {url}"
                text = page.inner_text("body")
                problems += [f"{where}: {x}" for x in _visible_problems(text)]
                wide = page.evaluate("document.documentElement.scrollWidth - "
                                     "document.documentElement.clientWidth")
                if wide > 1:
                    problems.append(f"{where}: scrolls sideways by {wide} px")
                    SHOTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(SHOTS / f"walk-{role}-{len(problems)}.png"))
            ctx.close()
        browser.close()
    assert not problems, "\n".join(sorted(set(problems)))
