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
from documents.files_db import DbFileStore


def make_file_store(settings: Settings, db: Database) -> FileStore | DbFileStore:
    kind = settings.file_store
    if kind == "auto":
        kind = "database" if db.is_postgres and settings.effects_mode == "celery" else "local"
    if kind == "database":
        return DbFileStore(db.engine)
    return FileStore(settings.data_dir / "files")


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
    #: "local" (a folder under data_dir), "database" (PostgreSQL rows: any host reads any
    #: file) or "auto": the database in the distributed mode (PostgreSQL + celery effects).
    file_store: str = "auto"
    #: An outbox row handed to the broker but not done after this many seconds is handed out
    #: again (the broker lost it: Redis restarted empty, a worker died with it).
    redispatch_after: int = 600

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
            file_store=env.get("NASTAVNIK_FILES", "auto"),
            redispatch_after=int(env.get("NASTAVNIK_REDISPATCH_AFTER", "600")),
        )
        values.update(overrides)
        return cls(**values)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    files: FileStore | DbFileStore
    #: Called with the ids of outbox rows a use case wrote, after its commit.
    on_effects: Callable[[Runtime, list[int]], None] | None = field(default=None)

    @classmethod
    def create(cls, settings: Settings) -> Runtime:
        import workflow.admin.invitations  # noqa: F401 - registers the password-link e-mail
        import workflow.audit.anchors  # noqa: F401 - the daily heads e-mail effect
        import workflow.audit.jobs  # noqa: F401 - background verification and packs
        import workflow.engine.appendices  # noqa: F401 - approving orders and their appendices
        import workflow.engine.appendix_citations  # noqa: F401 - cites only its appendices
        import workflow.engine.visas  # noqa: F401 - approval routes: visas, protocols, recall
        import workflow.files.approval_snapshot  # noqa: F401 - grifs of the approval in DOCX
        import workflow.files.rendering  # noqa: F401
        import workflow.files.templates  # registers the uploaded-template lookup
        import workflow.mentorship.minors  # noqa: F401 - minors' names redacted outside a school
        import workflow.mentorship.pair_lifecycle  # noqa: F401 - pairs end with their order
        import workflow.mentorship.pairs  # noqa: F401 - pair order guards, DOCX pairs, on-signed hook
        import workflow.notify.acquaintance  # noqa: F401 - acquaintance steps and e-mail
        import workflow.notify.notification_state  # noqa: F401 - stale notices put away
        import workflow.notify.notifications  # noqa: F401 - registers the effect handlers
        import workflow.roadmaps.reading  # noqa: F401 - the roadmap table in its DOCX

        settings.data_dir.mkdir(parents=True, exist_ok=True)
        db = Database(settings.database_url)
        runtime = cls(settings, db, make_file_store(settings, db))
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
