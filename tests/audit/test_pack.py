"""The audit pack of a demo school verifies offline with verify_pack.py (plain python3), and
any tampering — a flipped byte in a signed file, an edited or deleted history line — makes it
exit non-zero naming what failed."""

import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from documents import schema
from documents.models import Document, DocumentVersion, Organization, OrgKind
from workflow.audit.pack import write_pack
from workflow.runtime import Runtime, Settings

PYTHON = shutil.which("python3") or sys.executable


@pytest.fixture(scope="module")
def demo_pack(tmp_path_factory):
    """The pack of the demo school with the most signed versions, unpacked."""
    from workflow.demo.loader import load_demo

    root = tmp_path_factory.mktemp("demo-pack")
    url = f"sqlite:///{root / 'demo.db'}"
    schema.upgrade(url)
    rt = Runtime.create(Settings(database_url=url, data_dir=root / "data"))
    assert load_demo(rt) is True
    with rt.db.read_session() as s:
        org_id, signed = s.execute(
            select(Document.org_id, func.count(DocumentVersion.id))
            .join(DocumentVersion, DocumentVersion.document_id == Document.id)
            .join(Organization, Organization.id == Document.org_id)
            .where(DocumentVersion.signed_at.is_not(None), Organization.kind == OrgKind.school)
            .group_by(Document.org_id).order_by(func.count(DocumentVersion.id).desc())).first()
        buffer = io.BytesIO()
        manifest = write_pack(rt, s, org_id, None, None, buffer)
    rt.db.dispose()
    folder = root / "pack"
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as zf:
        zf.extractall(folder)
    assert signed >= 1
    return folder, manifest, signed


def _run(folder: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, str(folder / "verify_pack.py"), str(folder), *extra],
                          capture_output=True, text=True, check=False)


def _copy(demo_pack, tmp_path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(demo_pack[0], target)
    return target


def test_demo_pack_verifies_offline(demo_pack):
    folder, manifest, signed = demo_pack
    assert {p.name for p in folder.iterdir()} == {"manifest.json", "history.jsonl",
                                                  "documents", "verification.json",
                                                  "verify_pack.py"}
    docs = sorted(str(p.relative_to(folder)) for p in (folder / "documents").rglob("*.docx"))
    assert len(docs) == signed and all(d.startswith("documents/") for d in docs)
    lines = (folder / "history.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == manifest["head"]["seq"]
    assert json.loads((folder / "verification.json").read_text())["ok"] is True
    result = _run(folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK" in result.stdout
    head = f"{manifest['head']['seq']}:{manifest['head']['hash']}"
    assert _run(folder, "--head", head).returncode == 0


def test_a_flipped_byte_in_a_signed_file_fails(demo_pack, tmp_path):
    folder = _copy(demo_pack, tmp_path)
    victim = min((folder / "documents").rglob("*.docx"))
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0x01
    victim.write_bytes(bytes(data))
    result = _run(folder)
    assert result.returncode != 0
    assert str(victim.relative_to(folder)) in result.stdout


def test_an_edited_history_line_fails_naming_it(demo_pack, tmp_path):
    folder = _copy(demo_pack, tmp_path)
    path = folder / "history.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    event = json.loads(lines[2])
    event["actor_name"] = "Подставной Подписант"
    lines[2] = json.dumps(event, ensure_ascii=False, sort_keys=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _run(folder)
    assert result.returncode != 0
    assert "history.jsonl, строка 3" in result.stdout and "изменена" in result.stdout


def test_a_deleted_history_line_fails_naming_the_gap(demo_pack, tmp_path):
    folder = _copy(demo_pack, tmp_path)
    path = folder / "history.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    del lines[4]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _run(folder)
    assert result.returncode != 0
    assert "запись № 5 отсутствует" in result.stdout


def test_a_deleted_last_line_is_caught_by_the_head(demo_pack, tmp_path):
    folder = _copy(demo_pack, tmp_path)
    path = folder / "history.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    result = _run(folder)
    assert result.returncode != 0 and "обрывается" in result.stdout


def test_pack_api_streams_a_zip_for_the_auditor_only(rt, world, make_doc, api):
    make_doc("accepted")
    org = world.orgs["school1"]
    resp = api.as_("auditor").get(f"/api/v1/audit/pack?org_id={org}")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(resp.data)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = set(zf.namelist())
    assert manifest["org_id"] == org and manifest["head"]["seq"] == 6
    assert any(n.startswith("documents/") and n.endswith("/v1.docx") for n in names)
    assert api.as_("director1").get(f"/api/v1/audit/pack?org_id={org}").status_code == 403
    assert api.as_("admin3").get(f"/api/v1/audit/pack?org_id={org}").status_code == 404


def test_a_signed_file_missing_on_the_server_fails_the_pack(rt, world, make_doc, tmp_path):
    from documents.models import DocumentVersion

    doc = make_doc("signed")
    with rt.db.read_session() as s:
        key = s.scalar(select(DocumentVersion.file_key)
                       .where(DocumentVersion.document_id == doc))
    (rt.files.root / key).unlink()
    buffer = io.BytesIO()
    with rt.db.read_session() as s:
        manifest = write_pack(rt, s, world.orgs["school1"], None, None, buffer)
    assert manifest["missing"] == [f"documents/{doc}/v1.docx"]
    with zipfile.ZipFile(buffer) as zf:
        zf.extractall(tmp_path / "p")
    result = _run(tmp_path / "p")
    assert result.returncode != 0 and f"documents/{doc}/v1.docx" in result.stdout
