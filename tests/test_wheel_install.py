"""`pip install .` (not editable) gives a working installation: the wheel carries the
migrations, the DOCX templates, translations and static files, and the installed copy
migrates a database and answers /healthz without the source tree."""

import json
import os
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(cmd, **kw):
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=240, check=False, **kw)
    assert out.returncode == 0, f"{cmd}\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}"
    return out.stdout


def test_wheel_installs_into_a_fresh_venv_and_serves(tmp_path):
    # Build from a copy of the tracked (and new, unignored) files: no stale build/ leaks in.
    src = tmp_path / "src"
    files = _run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT).split("\n")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            (src / name).write_bytes((ROOT / name).read_bytes())
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(src)])
    wheel = next(dist.glob("nastavnik-*.whl"))

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    py = venv / "bin" / "python"
    purelib = Path(_run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
                        ).strip())
    # The dependencies come from this interpreter's site-packages (no network in CI), placed
    # AFTER the new venv's own site-packages, so the installed wheel wins over any checkout.
    (purelib / "zz_shared_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)])

    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "DATABASE_URL", "VIRTUAL_ENV", "REDIS_URL")}
    env.update(NASTAVNIK_DATA=str(tmp_path / "data"))
    work = tmp_path / "elsewhere"
    work.mkdir()
    # Every declared dependency is satisfied and the code comes from the venv, not the tree.
    check = _run([str(py), "-c", """
import importlib.metadata as md, json
from packaging.requirements import Requirement
import web, documents.docx.render as r, migrations
missing = []
for spec in md.requires('nastavnik') or []:
    req = Requirement(spec)
    if req.marker and not req.marker.evaluate({'extra': ''}):
        continue
    try:
        if not req.specifier.contains(md.version(req.name), prereleases=True):
            missing.append(spec)
    except md.PackageNotFoundError:
        missing.append(spec)
print(json.dumps({'web': web.__file__, 'migrations': migrations.__file__,
                  'missing': missing, 'order': len(r.builtin_template('order'))}))
"""], cwd=work, env=env)
    info = json.loads(check.strip().splitlines()[-1])
    assert info["web"].startswith(str(venv)) and info["migrations"].startswith(str(venv))
    assert info["missing"] == [] and info["order"] > 10_000

    out = _run([str(venv / "bin" / "nastavnik"), "migrate"], cwd=work, env=env)
    assert "База данных обновлена" in out
    assert (tmp_path / "data" / "nastavnik.db").exists()

    port = _free_port()
    proc = subprocess.Popen([str(py), "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}",
                             "web:create_app()"], cwd=work, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    body = json.loads(r.read())
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.5)
        assert body == {"status": "ok", "database": "ok"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as r:
            page = r.read().decode()
        assert "Вход" in page or "Войти" in page
        css = page.split('href="/static/')[1].split('"')[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/{css}", timeout=5) as r:
            assert r.status == 200 and len(r.read()) > 100
    finally:
        proc.terminate()
        proc.wait(10)
