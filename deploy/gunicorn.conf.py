"""gunicorn settings for one web host of the distributed mode.

    gunicorn -c /etc/nastavnik/gunicorn.conf.py 'web:create_app()'

Every value can be overridden from the environment (the systemd unit reads
/etc/nastavnik/nastavnik.env), so the same file serves production and the benchmarks.
"""

import os

bind = os.environ.get("NASTAVNIK_BIND", "127.0.0.1:8000")
# Worker processes (2 × cores + 1 is the usual start), each serving requests on a few threads
# (gthread). A request mostly waits on PostgreSQL, and while it waits another request of the
# same process runs; a long one (signing renders its file) no longer holds back the short
# ones queued behind it on a busy host. Measured with the locust mix (deploy/README.md §9.4):
# p50 of all requests about halved and p95 ~20 % lower than with sync workers, in two
# back-to-back pairs. Each thread holds at most one database connection (pool of 10 per
# process).
workers = int(os.environ.get("NASTAVNIK_WORKERS", str((os.cpu_count() or 1) * 2 + 1)))
worker_class = os.environ.get("NASTAVNIK_WORKER_CLASS", "gthread")
threads = int(os.environ.get("NASTAVNIK_THREADS", "4"))
# Recycle workers now and then (with jitter, so they do not restart together): a slow leak in
# a library cannot grow without bound. bench/ measures RSS after 1,000 vs 20,000 requests.
max_requests = int(os.environ.get("NASTAVNIK_MAX_REQUESTS", "0"))
max_requests_jitter = max(1, max_requests // 10) if max_requests else 0
timeout = int(os.environ.get("NASTAVNIK_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Each worker loads the app itself (no preload): no database connection or Redis client can
# be inherited across the fork. It then warms up before it accepts a request (below).
preload_app = False
# The app writes its own structured access line (with the request id); gunicorn's is off.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("NASTAVNIK_LOG_LEVEL", "info").lower()
# Behind the load balancer / nginx on the same host: trust X-Forwarded-* from it only.
forwarded_allow_ips = os.environ.get("NASTAVNIK_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "nastavnik-web"


def post_worker_init(worker):
    """Templates compiled, mappers configured, translations and the DOCX renderer loaded and a
    database connection opened before the worker's first request (web/warmup.py): the first
    people after a start or an upgrade are not the ones who pay for it."""
    from web.warmup import warm

    warm(worker.wsgi)
