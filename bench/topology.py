"""The distributed topology on one machine, started and stopped by the benchmarks:

    own redis-server (127.0.0.1:REDIS_PORT, no persistence — never the machine's Redis)
    two gunicorn instances of the app (127.0.0.1:WEB_PORTS), deploy/gunicorn.conf.py
    two Celery workers and exactly one beat
    the floor app (bench/floor_app.py) served by gunicorn the same way
    the Django + django-fsm-2 peer (bench/django_peer), the same way, on its own database
    one PostgreSQL database (DATABASE_URL, must exist; migrated and filled by the caller)

Everything binds to 127.0.0.1 on ports ≥ 8100 and is a child process of this script (its own
process group), so `stop()` ends exactly what it started.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
REDIS_PORT = int(os.environ.get("BENCH_REDIS_PORT", "6390"))
WEB_PORTS = (8101, 8102)
FLOOR_PORT = 8103
PEER_PORT = 8104


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    try:
        out = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(p) for p in out]


@dataclass
class Topology:
    database_url: str
    workdir: Path
    web_workers: int = 2
    log_format: str = "json"
    env_extra: dict = field(default_factory=dict)
    gunicorn_conf: Path = ROOT / "deploy" / "gunicorn.conf.py"
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{REDIS_PORT}/0"

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
        env.update(DATABASE_URL=self.database_url, REDIS_URL=self.redis_url,
                   NASTAVNIK_EFFECTS="celery", NASTAVNIK_FILES="database",
                   NASTAVNIK_DATA=str(self.workdir / "data"), SECRET_KEY="bench-" + "0" * 58,
                   NASTAVNIK_LOG_FORMAT=self.log_format, NASTAVNIK_LOG_LEVEL="INFO",
                   NASTAVNIK_COUNT_SQL="1", PYTHONPATH=str(ROOT))
        env.update(self.env_extra)
        return env

    def _start(self, name: str, cmd: list[str], settings: dict | None = None
               ) -> subprocess.Popen:
        """Start ``cmd`` in the topology's environment (``settings``: env overrides)."""
        log = open(self.workdir / f"{name}.log", "ab")
        proc = subprocess.Popen(cmd, cwd=self.workdir, env=dict(self.env(), **(settings or {})),
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs[name] = proc
        return proc

    # --- pieces -------------------------------------------------------------------------
    def start_redis(self) -> None:
        self._start("redis", ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1",
                              "--save", "", "--appendonly", "no"])
        self._wait(lambda: _redis_ping(REDIS_PORT), "redis")

    def stop_redis(self) -> None:
        self._stop("redis")

    def start_web(self, n: int, settings: dict | None = None) -> None:
        """Web instance ``n`` with deploy/gunicorn.conf.py (``settings``: env overrides)."""
        port = WEB_PORTS[n]
        self._start(f"web{n}", [str(BIN / "gunicorn"), "-c", str(self.gunicorn_conf),
                                "-w", str(self.web_workers), "-b",
                                f"127.0.0.1:{port}", "web:create_app()"], settings)
        self._wait(lambda: _http_ok(f"http://127.0.0.1:{port}/healthz/ready"), f"web{n}")

    def restart_web(self, n: int, settings: dict | None = None) -> None:
        self._stop(f"web{n}")
        self.start_web(n, settings)

    def start_floor(self, settings: dict | None = None) -> None:
        self._stop("floor")
        self._start("floor", [str(BIN / "gunicorn"), "-c", str(self.gunicorn_conf),
                              "-w", str(self.web_workers), "-b",
                              f"127.0.0.1:{FLOOR_PORT}", "bench.floor_app:app"], settings)
        self._wait(lambda: _http_ok(f"http://127.0.0.1:{FLOOR_PORT}/ping"), "floor")

    def start_peer(self, database_url: str, settings: dict | None = None) -> None:
        self._stop("peer")
        self._start("peer", [str(BIN / "gunicorn"), "-c", str(self.gunicorn_conf),
                             "-w", str(self.web_workers), "-b", f"127.0.0.1:{PEER_PORT}",
                             "bench.django_peer.wsgi:application"],
                    dict(settings or {}, PEER_DATABASE_URL=database_url,
                         DJANGO_SETTINGS_MODULE="bench.django_peer.settings"))
        self._wait(lambda: _http_ok(f"http://127.0.0.1:{PEER_PORT}/ping"), "peer")

    def stop_peer(self) -> None:
        self._stop("peer")

    def start_worker(self, n: int) -> None:
        # niced as the systemd unit runs them (Nice=19): effects yield to people's requests
        self._start(f"worker{n}", ["nice", "-n", "19", str(BIN / "celery"), "-A",
                                   "tasks.celery_app", "worker",
                                   f"--hostname=bench{n}@%h", "--concurrency=1",
                                   "--without-gossip", "--without-mingle", "--loglevel=INFO",
                                   "-Q", "celery"])

    def start_beat(self) -> None:
        self._start("beat", [str(BIN / "celery"), "-A", "tasks.celery_app", "beat",
                             f"--schedule={self.workdir / 'celerybeat-schedule'}",
                             "--loglevel=WARNING"])

    def start_all(self, floor: bool = True) -> None:
        (self.workdir / "data").mkdir(parents=True, exist_ok=True)
        self.start_redis()
        for n in range(len(WEB_PORTS)):
            self.start_web(n)
        if floor:
            self.start_floor()
        self.start_worker(1)
        self.start_worker(2)
        self.start_beat()

    def web_worker_pids(self) -> list[int]:
        return [pid for n in range(len(WEB_PORTS)) if f"web{n}" in self.procs
                for pid in children(self.procs[f"web{n}"].pid)]

    def celery_child_pids(self, name: str) -> list[int]:
        return children(self.procs[name].pid)

    def _stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, sig)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)

    def stop(self) -> None:
        for name in list(self.procs):
            self._stop(name)

    def _wait(self, ok, what: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ok():
                return
            proc = self.procs.get(what)
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"{what} exited; see {self.workdir / (what + '.log')}")
            time.sleep(0.3)
        raise RuntimeError(f"{what} did not come up within {timeout} s")


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


def _redis_ping(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def http(method: str, url: str, token: str | None = None, body: dict | None = None,
         timeout: float = 30) -> tuple[int, dict, dict]:
    """(status, json body or {}, headers) without raising on 4xx/5xx."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, method=method, headers=headers,
                                 data=json.dumps(body).encode() if body is not None else None)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
            return resp.status, _json(raw), dict(resp.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, _json(exc.read()), dict(exc.headers)


def _json(raw: bytes) -> dict:
    try:
        return json.loads(raw)
    except ValueError:
        return {}
