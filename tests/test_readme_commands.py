"""`make run` from a fresh clone: venv, install, migrate, demo, serve — then a newcomer logs
in with a demo login. (`make test` from a clean clone is what CI itself runs.)"""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.waiting import pause

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url, token=None, data=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=json.dumps(data).encode() if data else None,
                                 headers=headers)
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")),
                    reason="make run is the embedded (SQLite) mode; run once, in the SQLite pass")
def test_make_run_from_a_fresh_clone(tmp_path):
    clone = tmp_path / "main"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "VIRTUAL_ENV")}
    env.update(PORT=str(port), NASTAVNIK_DATA=str(tmp_path / "data"))
    log = open(tmp_path / "make-run.log", "w")
    proc = subprocess.Popen(["make", "run"], cwd=clone, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            assert proc.poll() is None, (tmp_path / "make-run.log").read_text()[-3000:]
            try:
                if _get(f"{base}/healthz") == {"status": "ok", "database": "ok"}:
                    break
            except OSError:
                pause(1)
        else:
            pytest.fail("make run did not serve within 10 minutes")
        output = (tmp_path / "make-run.log").read_text()
        assert "admin1@demo.local" in output and "demo-nastavnik" in output
        assert (tmp_path / "data" / "nastavnik.db").exists()
        token = _get(f"{base}/api/v1/auth/token",
                     data={"email": "admin1@demo.local", "password": "demo-nastavnik"})["token"]
        docs = _get(f"{base}/api/v1/documents?per_page=200", token)["items"]
        assert docs
        token = _get(f"{base}/api/v1/auth/token",
                     data={"email": "auditor@demo.local", "password": "demo-nastavnik"})["token"]
        states = {d["state"] for d in _get(f"{base}/api/v1/documents?per_page=200", token)["items"]}
        assert states >= {"draft", "on_approval", "approved", "signed", "under_municipal_review",
                          "accepted", "returned", "cancelled"}
        assert _get(f"{base}/api/v1/audit/verify", token)["ok"] is True
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()
