"""deploy/gunicorn.conf.py as gunicorn reads it: threaded workers by default, every value
overridable from the env file."""

import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[1] / "deploy" / "gunicorn.conf.py"


def test_threaded_workers_by_default(monkeypatch):
    for name in ("NASTAVNIK_WORKER_CLASS", "NASTAVNIK_THREADS", "NASTAVNIK_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    conf = runpy.run_path(str(CONF))
    assert conf["worker_class"] == "gthread" and conf["threads"] == 4
    assert conf["workers"] >= 3  # 2 × cores + 1


def test_the_env_file_overrides(monkeypatch):
    monkeypatch.setenv("NASTAVNIK_WORKER_CLASS", "sync")
    monkeypatch.setenv("NASTAVNIK_THREADS", "1")
    monkeypatch.setenv("NASTAVNIK_WORKERS", "2")
    conf = runpy.run_path(str(CONF))
    assert (conf["worker_class"], conf["threads"], conf["workers"]) == ("sync", 1, 2)
