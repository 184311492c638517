"""The last gate of every answer: a page read by someone outside a school (the municipal
officer) never carries a name of that school's minors, whatever view produced it.

Files (DOCX, XLSX) and JSON are redacted where they are built (workflow/mentorship/minors.py
hooks); this pass covers every text answer — HTML pages, previews, calendars — at once.
"""

from __future__ import annotations

from flask import Flask, g

TEXT_TYPES = ("text/html", "text/calendar", "text/plain", "text/csv")


def install(app: Flask) -> None:
    @app.after_request
    def _redact_minors(response):
        actor = g.get("actor")
        if (actor is None or response.direct_passthrough
                or response.mimetype not in TEXT_TYPES or response.status_code >= 300):
            return response
        from web.auth import db_session
        from workflow.mentorship.minors import scanner_for

        scanner = scanner_for(db_session(), actor)
        if scanner:
            response.set_data(scanner.redact(response.get_data(as_text=True)))
        return response
