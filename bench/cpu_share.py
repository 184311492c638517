"""Where the host's CPU went during a phase of the bench, by component: the web workers,
PostgreSQL, the effects (Celery workers, beat), Redis, the load generator.

Read from /proc (user + system time of every process, grouped by what it runs); processes
that end within the phase are missed, except the load generator, which is a waited-for
child of the bench and counted through getrusage.
"""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

GROUPS = (("web (gunicorn)", ("gunicorn", "web:create_app")),
          ("floor app", ("gunicorn", "floor_app")),
          ("effects (celery workers)", ("celery", " worker")),
          ("beat", ("celery", " beat")),
          ("redis", ("redis-server",)))


def _group(pid: str) -> str | None:
    try:
        comm = Path(f"/proc/{pid}/comm").read_text().strip()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return None
    if comm == "postgres":
        return "PostgreSQL"
    for name, marks in GROUPS:
        if all(m in cmdline for m in marks):
            return name
    return None


def _seconds(pid: str) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def snapshot() -> dict:
    """CPU seconds so far by group and by process (to tell a process that ended)."""
    per_pid = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            group = _group(entry.name)
            if group:
                per_pid[entry.name] = (group, _seconds(entry.name))
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"at": time.monotonic(), "pids": per_pid,
            "children": children.ru_utime + children.ru_stime}


def shares(before: dict, after: dict, children_label: str = "load generator (locust)"
           ) -> tuple[float, list[tuple[str, float]]]:
    """(capacity in CPU seconds, [(group, CPU seconds)]) between two snapshots."""
    spent: dict[str, float] = {}
    for pid, (group, seconds) in after["pids"].items():
        start = before["pids"].get(pid, (group, 0.0))[1]
        spent[group] = spent.get(group, 0.0) + seconds - start
    spent[children_label] = after["children"] - before["children"]
    capacity = (after["at"] - before["at"]) * (os.cpu_count() or 1)
    return capacity, sorted(spent.items(), key=lambda kv: -kv[1])


def describe(before: dict, after: dict) -> str:
    capacity, spent = shares(before, after)
    parts = [f"{name} {100 * s / capacity:.0f} %" for name, s in spent if s > 0]
    idle = 100 * (capacity - sum(s for _, s in spent)) / capacity
    return ", ".join(parts) + f"; the rest (idle, kernel, other) {idle:.0f} %"
