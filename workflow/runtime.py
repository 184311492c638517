"""Settings and the handles every use case needs (database, file store, effect dispatch).

Read from the environment when the app, a worker or the CLI starts — never at import time.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from documents.db import Database
from documents.files import FileStore


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    demo_mode: bool = False
    #: "inline": effects run in-process right after commit (embedded); "celery": the relay
    #: hands them to workers through Redis (distributed).
    effects_mode: str = "inline"
    redis_url: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 25
    mail_from: str = "nastavnik@localhost"
    base_url: str = "http://127.0.0.1:5000"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(env.get("NASTAVNIK_DATA", "instance")).resolve()
        url = env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'nastavnik.db'}"
        values = dict(
            database_url=url,
            data_dir=data_dir,
            demo_mode=env.get("NASTAVNIK_DEMO", "") in ("1", "true", "yes"),
            effects_mode=env.get("NASTAVNIK_EFFECTS", "inline"),
            redis_url=env.get("REDIS_URL") or None,
            smtp_host=env.get("SMTP_HOST") or None,
            smtp_port=int(env.get("SMTP_PORT", "25")),
            mail_from=env.get("MAIL_FROM", "nastavnik@localhost"),
            base_url=env.get("NASTAVNIK_BASE_URL", "http://127.0.0.1:5000"),
        )
        values.update(overrides)
        return cls(**values)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    files: FileStore
    #: Called with the ids of outbox rows a use case wrote, after its commit.
    on_effects: Callable[[Runtime, list[int]], None] | None = field(default=None)

    @classmethod
    def create(cls, settings: Settings) -> Runtime:
        import workflow.files.rendering  # noqa: F401
        import workflow.files.templates  # registers the uploaded-template lookup
        import workflow.mentorship.pairs  # noqa: F401 - pair order guards, DOCX pairs, on-signed hook
        import workflow.notify.notifications  # noqa: F401 - registers the effect handlers
        import workflow.notify.notification_state  # noqa: F401 - stale notices put away
        import workflow.mentorship.pair_lifecycle  # noqa: F401 - pairs end with their order
        import workflow.roadmaps.operations  # noqa: F401 - the roadmap table in its DOCX

        settings.data_dir.mkdir(parents=True, exist_ok=True)
        runtime = cls(settings, Database(settings.database_url),
                      FileStore(settings.data_dir / "files"))
        workflow.files.templates.attach(runtime)
        return runtime

    def after_commit(self, outbox_ids: list[int]) -> None:
        """Effects never run inside the transaction; in embedded mode they run right here."""
        if not outbox_ids:
            return
        if self.on_effects is not None:
            self.on_effects(self, outbox_ids)
        elif self.settings.effects_mode == "inline":
            from workflow.engine.effects import run_effects

            run_effects(self, outbox_ids)
