"""A separate demo site for browser walks: its own SQLite database in a temporary folder with
the demo loaded through the services (never the shared test database), served live."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from documents import schema
from workflow.runtime import Runtime, Settings

DEMO_PASSWORD = "demo-nastavnik"


@contextmanager
def demo_site(folder: Path):
    from web import create_app
    from workflow.demo.loader import load_demo

    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'demo.db'}"
    settings = Settings(database_url=url, data_dir=folder, demo_mode=True,
                        effects_mode="inline", redis_url=None)
    schema.upgrade(url)
    # (the limiter stays on: it is shared by every app of the process, and turning it off
    # here turned it off for the tests that run after this one)
    app = create_app(settings)  # imports the features' demo hooks
    rt = Runtime.create(settings)
    load_demo(rt)
    app.extensions["nastavnik"].db.dispose()
    app.extensions["nastavnik"] = rt
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, rt, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        rt.db.dispose()
