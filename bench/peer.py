"""The Django + django-fsm-2 peer (bench/django_peer) beside our transition in one run: its
database, its approvals, and its figures next to ours.

The issue measured the peer at 1.43× *its* floor; here both run against the same host state,
so the printout says what matters to a region choosing between the two: each transition
relative to the same Flask floor, and ours against the peer's in requests per second.
"""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def available() -> bool:
    """Django, django-fsm-2 and DRF are installed (``make bench-tools``: the peer extra)."""
    return all(importlib.util.find_spec(m) for m in ("django", "django_fsm", "rest_framework"))


def database_url(ours: str) -> str:
    return ours + "_peer"


def prepare(url: str, orgs: int, per_org: int = 5) -> list[tuple[str, str, str, dict]]:
    """Fill the peer's (new, empty) database: ``orgs`` schools with a director and ``per_org``
    documents on approval each. Returns the approvals as wrk calls, one school after another
    round-robin (as ours: a school's approvals queue on its chain's lock)."""
    out = subprocess.run([sys.executable, "-m", "bench.django_peer.prepare", str(orgs),
                          str(per_org)], cwd=ROOT, check=True, capture_output=True, text=True,
                         env=dict(os.environ, PEER_DATABASE_URL=url, PYTHONPATH=str(ROOT)))
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    rank: dict[int, int] = {}
    keyed = []
    for row in rows:
        rank[row["org"]] = rank.get(row["org"], 0) + 1
        keyed.append(((rank[row["org"]], row["org"]), row))
    return [("POST", row["path"], row["token"], {"lock_version": row["lock_version"]})
            for _, row in sorted(keyed, key=lambda kv: kv[0])]


def describe(rounds: list[dict]) -> list[str]:
    """The peer's lines of the floor-vs-transition printout. ``rounds``: per round, the wrk
    figures of ``floor``, ``ours``, ``peer_floor`` and ``peer``. Ratios are the medians of the
    rounds' own ratios (each round compares like with like on a host whose load moves)."""
    full = [r for r in rounds if all(r[k]["rps"] for k in ("floor", "ours", "peer_floor", "peer"))]
    if not full:
        return ["the peer: no figures"]
    middle = sorted(full, key=lambda r: r["floor"]["rps"] / r["peer"]["rps"])[len(full) // 2]
    lines = [f"{label:<38} {r['rps']:7.1f} req/s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms  "
             f"SQL/request {r['statements']}  {r['statuses']}"
             for label, r in (("Django floor (the same SQL)", middle["peer_floor"]),
                              ("Django + django-fsm-2 approve", middle["peer"]))]
    def ratio(a: str, b: str) -> float:
        return statistics.median(r[a]["rps"] / r[b]["rps"] for r in full)

    return lines + [f"the peer: {ratio('peer_floor', 'peer'):.2f}× its own floor, "
                    f"{ratio('floor', 'peer'):.2f}× the Flask floor (ours "
                    f"{ratio('floor', 'ours'):.2f}×); our approve answers "
                    f"{ratio('ours', 'peer'):.2f}× the peer's requests per second"]
