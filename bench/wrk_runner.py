"""Drive a fixed list of HTTP requests through wrk (8 connections, as the issue measured), each
request sent exactly once, and read back req/s, latency percentiles, statuses and the
X-SQL-Statements header. wrk is a C client: on a 2-core host it takes far less CPU from the
server than a Python client would, so the floor is not capped by the client."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

#: One request per line: METHOD \t PATH \t TOKEN \t BODY (token and body may be empty).
LUA = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } nastavnik_timespec;
int clock_gettime(int clk_id, nastavnik_timespec *tp);
]]
local function now()
  local ts = ffi.new("nastavnik_timespec")
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

local id_counter = 0
local threads = {}

function setup(thread)
  thread:set("tid", id_counter)
  id_counter = id_counter + 1
  table.insert(threads, thread)
end

function init(args)
  reqs = {}
  dir = args[1]
  for line in io.lines(dir .. "/requests-" .. tid .. ".tsv") do
    local method, path, token, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = {["Content-Type"] = "application/json"}
    if token ~= "" then headers["Authorization"] = "Bearer " .. token end
    if body == "" then body = nil end
    table.insert(reqs, wrk.format(method, path, headers, body))
  end
  sent, answered, statuses, sqls, first, last = 0, 0, {}, {}, 0, 0
  filler = wrk.format("GET", args[2])
  -- wrk asks the first thread for one request before it starts, only to parse it (its
  -- script_verify_request): that request is never sent, so it must not use up a listed one
  verifying = tid == 0
end

function request()
  if verifying then
    verifying = false
    return reqs[1] or filler
  end
  if sent == 0 then first = now() end
  sent = sent + 1
  -- nothing left: a cheap filler until wrk is stopped (told apart in response())
  if sent > #reqs then return filler end
  return reqs[sent]
end

local function finish()
  -- wrk's main thread sleeps for -d whatever the threads do: tell the caller, which
  -- interrupts wrk (SIGINT makes it report at once)
  io.open(dir .. "/done-" .. tid, "w"):close()
  wrk.thread:stop()
end

function response(status, headers, body)
  local n = tonumber(headers["X-SQL-Statements"] or "0")
  -- the filler answers 200 without touching the database; every listed request that
  -- succeeds runs SQL (the servers are started with NASTAVNIK_COUNT_SQL=1)
  if status == 200 and n == 0 then
    -- a listed request lost to a socket error is never answered: give up waiting for it
    -- a second after the last answer
    if sent > #reqs and now() - last > 1.0 then finish() end
    return
  end
  if answered >= #reqs then return end
  answered = answered + 1
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  if n > 0 then sqls[n] = (sqls[n] or 0) + 1 end
  last = now()
  if answered >= #reqs then finish() end
end

function done(summary, latency, requests)
  local total = {}
  local answered_all, sql_total, t0, t1 = 0, {}, nil, 0
  for _, t in ipairs(threads) do
    answered_all = answered_all + t:get("answered")
    if t:get("first") > 0 and (t0 == nil or t:get("first") < t0) then t0 = t:get("first") end
    if t:get("last") > t1 then t1 = t:get("last") end
    for k, v in pairs(t:get("statuses")) do total[k] = (total[k] or 0) + v end
    for k, v in pairs(t:get("sqls")) do sql_total[k] = (sql_total[k] or 0) + v end
  end
  local parts, sql_parts = {}, {}
  for k, v in pairs(total) do table.insert(parts, string.format('"%s": %d', k, v)) end
  for k, v in pairs(sql_total) do table.insert(sql_parts, string.format('"%d": %d', k, v)) end
  io.write(string.format(
    'WRKJSON {"answered": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, ' ..
    '"statuses": {%s}, "sql": {%s}, "socket_errors": %d}\n',
    answered_all, t1 - (t0 or t1), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    table.concat(parts, ", "), table.concat(sql_parts, ", "),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def run(base_url: str, calls: list[tuple[str, str, str | None, dict | None]], *,
        filler: str = "/healthz/live", threads: int = 1, connections: int = 8,
        max_seconds: int = 600) -> dict:
    """Send each (method, path, token, body) once; figures as bench.run.hammer returns them.
    One wrk thread drives all the connections (its C event loop answers many thousands a
    second). With two (the issue's -t2), the thread done first stops with a connection it has
    just opened again and not yet written to; a sync gunicorn worker that accepts it waits for
    a request until its 30 s timeout while the other thread's requests queue behind it (seen
    once: the floor at 60 req/s).
    ``filler``: a GET that answers 200 without SQL, sent by connections that have nothing
    left while the others finish (wrk needs a request from every ready connection)."""
    work = Path(tempfile.mkdtemp(prefix="nastavnik-wrk-"))
    (work / "script.lua").write_text(LUA)
    for t in range(threads):
        with open(work / f"requests-{t}.tsv", "w") as fh:
            for method, path, token, body in calls[t::threads]:
                fh.write(f"{method}\t{path}\t{token or ''}\t"
                         f"{json.dumps(body) if body is not None else ''}\n")
    proc = subprocess.Popen(["wrk", "-t", str(threads), "-c", str(connections), "-d",
                             f"{max_seconds}s", "--timeout", "30s", "-s",
                             str(work / "script.lua"), base_url, "--", str(work), filler],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + max_seconds
    while (proc.poll() is None and time.monotonic() < deadline
           and len(list(work.glob("done-*"))) < threads):
        time.sleep(0.05)
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)  # wrk stops its threads and reports
    stdout, stderr = proc.communicate(timeout=60)
    shutil.rmtree(work, ignore_errors=True)
    found = re.search(r"^WRKJSON (.*)$", stdout, re.M)
    if found is None:
        raise RuntimeError(f"wrk printed no figures: {stdout[-500:]} {stderr[-500:]}")
    data = json.loads(found.group(1))
    seconds = data["seconds"] or 1e-9
    return {"n": data["answered"], "rps": data["answered"] / seconds, "p50": data["p50"],
            "p95": data["p95"], "p99": data["p99"],
            "statuses": {int(k): v for k, v in data["statuses"].items()},
            "statements": _median({int(k): v for k, v in data["sql"].items()}),
            "socket_errors": data["socket_errors"]}


def _median(counts: dict[int, int]) -> int | None:
    """The median of values given as {value: how many times}."""
    total, seen = sum(counts.values()), 0
    for value in sorted(counts):
        seen += counts[value]
        if seen * 2 >= total:
            return value
    return None
