"""deploy/gunicorn.conf.py as gunicorn reads it: threaded workers, the interpreter's switch
interval set in each worker, everything overridable from the env file."""

import runpy
import sys
from pathlib import Path

CONF = Path(__file__).resolve().parents[1] / "deploy" / "gunicorn.conf.py"


def test_threaded_workers_with_a_short_switch_interval(monkeypatch):
    for name in ("NASTAVNIK_WORKER_CLASS", "NASTAVNIK_THREADS", "NASTAVNIK_GIL_SWITCH_MS"):
        monkeypatch.delenv(name, raising=False)
    conf = runpy.run_path(str(CONF))
    assert conf["worker_class"] == "gthread" and conf["threads"] == 4
    before = sys.getswitchinterval()
    try:
        conf["post_fork"](None, None)  # gunicorn calls it in each worker after the fork
        assert sys.getswitchinterval() == 0.001
    finally:
        sys.setswitchinterval(before)


def test_the_env_file_overrides(monkeypatch):
    monkeypatch.setenv("NASTAVNIK_WORKER_CLASS", "sync")
    monkeypatch.setenv("NASTAVNIK_THREADS", "1")
    monkeypatch.setenv("NASTAVNIK_GIL_SWITCH_MS", "5")
    conf = runpy.run_path(str(CONF))
    assert (conf["worker_class"], conf["threads"]) == ("sync", 1)
    before = sys.getswitchinterval()
    try:
        conf["post_fork"](None, None)
        assert sys.getswitchinterval() == 0.005
    finally:
        sys.setswitchinterval(before)
