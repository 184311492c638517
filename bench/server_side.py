"""Where the web processes' time went during the locust mix, read from their access lines
(web/requestlog.py): per route, the answers, the server-side p50/p95 (``ms``), the CPU of the
request's own thread (``cpu_ms``) and that route's share of all the requests' CPU. Against
locust's figures it tells what the app spent from what was spent before and after it (the
socket, gunicorn's queue, a busy core)."""

from __future__ import annotations

import json
import re
from pathlib import Path

_ID = re.compile(r"/\d+(?=/|$)")


def _route(method: str, path: str) -> str:
    return f"{method} {_ID.sub('/{id}', path)}"


def read(logs: list[Path], since: str, until: str) -> dict[str, list[tuple[float, float]]]:
    """{route: [(ms, cpu_ms), …]} of the access lines logged between ``since`` and ``until``
    (ISO timestamps as the lines write them)."""
    out: dict[str, list[tuple[float, float]]] = {}
    for log in logs:
        for line in log.read_text(errors="replace").splitlines():
            if '"nastavnik.access"' not in line:
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if not since <= rec.get("ts", "") <= until or "cpu_ms" not in rec:
                continue
            out.setdefault(_route(rec["method"], rec["path"]), []).append(
                (rec["ms"], rec["cpu_ms"]))
    return out


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def describe(routes: dict[str, list[tuple[float, float]]], top: int = 12) -> list[str]:
    total_cpu = sum(cpu for rows in routes.values() for _ms, cpu in rows) or 1.0
    ranked = sorted(routes.items(), key=lambda kv: -sum(cpu for _ms, cpu in kv[1]))
    lines = [f"{'route':<44} {'reqs':>6} {'p50':>6} {'p95':>6} {'CPU/req':>8} {'CPU %':>6}"]
    for route, rows in ranked[:top]:
        ms = [m for m, _cpu in rows]
        cpu = sum(c for _m, c in rows)
        lines.append(f"{route[:44]:<44} {len(rows):>6} {_pct(ms, 50):>6.0f} {_pct(ms, 95):>6.0f} "
                     f"{cpu / len(rows):>7.1f}  {100 * cpu / total_cpu:>5.0f}")
    return lines
