"""deploy/gunicorn.conf.py plus a cProfile of every worker, dumped when the worker exits
(bench/run.py --profile): where a request's time goes, measured over real HTTP."""

import cProfile
import os
from pathlib import Path

exec(compile((Path(__file__).resolve().parents[1] / "deploy" / "gunicorn.conf.py").read_text(),
             "deploy/gunicorn.conf.py", "exec"))
# cProfile sees the thread it is enabled in: one request at a time, on the worker's own thread
worker_class, threads = "sync", 1


def post_fork(server, worker):
    worker.profiler = cProfile.Profile()
    worker.profiler.enable()


def worker_exit(server, worker):
    profiler = getattr(worker, "profiler", None)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(os.path.join(os.environ.get("BENCH_PROFILE_DIR", "."),
                                         f"web-{os.getpid()}.prof"))
