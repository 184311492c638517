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
          ("Django peer", ("gunicorn", "django_peer")),
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


class PerRequest:
    """CPU per answered request of a phase run several times (the rounds of floor vs
    transition), by group: ``measure`` wraps a runner returning ``{"n": answered, …}``."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.answered = 0

    def measure(self, run):
        def measured(calls):
            before = snapshot()
            result = run(calls)
            after = snapshot()
            for group, seconds in shares(before, after, "load generator")[1]:
                self.spent[group] = self.spent.get(group, 0.0) + seconds
            self.answered += result["n"]
            return result

        return measured

    def ms(self, group: str) -> float:
        return 1000 * self.spent.get(group, 0.0) / self.answered if self.answered else 0.0

    def total(self, groups: tuple[str, ...]) -> float:
        return sum(self.ms(g) for g in groups)


#: Requests a phase needs before its CPU per request is read (/proc counts in 10 ms ticks; the
#: load generator's end, cheap filler requests while the last answers come, weighs on few).
ENOUGH = 200


def where_the_time_goes(floor: PerRequest, ours: PerRequest) -> list[str]:
    """The CPU of one floor request and one approve, by component, and what PostgreSQL's share
    alone means for the ratio (the load is CPU-bound: requests per second ≈ cores / CPU per
    request)."""
    if min(floor.answered, ours.answered) < ENOUGH:
        note = (f"(CPU per request: under {ENOUGH} requests a phase at this size, too few to "
                "read from /proc's 10 ms ticks — `make bench-full` prints it)")
        return [note]
    gen = "load generator"
    fw, fp, fg = floor.ms("floor app"), floor.ms("PostgreSQL"), floor.ms(gen)
    ow, op, og = ours.ms("web (gunicorn)"), ours.ms("PostgreSQL"), ours.ms(gen)
    f_all, o_all = fw + fp + fg, ow + op + og
    extra = o_all - f_all
    lines = [(
        "CPU per request (ms, from /proc over the rounds): "
        f"floor {f_all:.2f} = app {fw:.2f} + PostgreSQL {fp:.2f} + load generator {fg:.2f}; "
        f"approve {o_all:.2f} = web {ow:.2f} + PostgreSQL {op:.2f} + load generator {og:.2f}")]
    if f_all and extra > 0:
        lines.append(
            f"the approve's extra {extra:.2f} ms: web {ow - fw:+.2f} ({100 * (ow - fw) / extra:.0f} %),"
            f" PostgreSQL {op - fp:+.2f} ({100 * (op - fp) / extra:.0f} %); with the web's CPU"
            f" cut to the floor's, PostgreSQL's work alone would leave the approve at"
            f" {(fw + op + og) / f_all:.2f}× the floor")
    return lines
