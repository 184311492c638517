"""The last gate of every answer: a page read by someone outside a school (the municipal
officer) never carries a name of that school's minors, whatever view produced it.

Files (DOCX, XLSX) are redacted where they are built (workflow/mentorship/minors.py hooks);
this pass covers every text and JSON answer — pages, previews, calendars, every API route
(history, versions, search) — at once.
"""

from __future__ import annotations

import json
import re

from flask import Flask, current_app, g

TEXT_TYPES = ("text/html", "text/calendar", "text/plain", "text/csv")


def install(app: Flask) -> None:
    @app.after_request
    def _redact_minors(response):
        actor = g.get("actor")
        kind = response.mimetype
        if (actor is None or response.direct_passthrough or response.status_code >= 300
                or (kind not in TEXT_TYPES and kind != "application/json")):
            return response
        from web.auth import db_session
        from workflow.mentorship.minors import scanner_for

        scanner = scanner_for(db_session(), actor)
        if not scanner:
            return response
        if kind == "application/json":
            body = response.get_json(silent=True)
            if body is not None and _names_in(body, scanner):
                response.set_data(current_app.json.dumps(_redact(body, scanner)) + "\n")
        else:
            response.set_data(scanner.redact(response.get_data(as_text=True)))
        return response


#: A JSON escape. Dumped with ensure_ascii=False, JSON escapes only quotes, backslashes and
#: control characters: none is a letter, so each is blanked to as many spaces (a name right
#: after «\n» still starts a word there).
_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{4}|.)")


def _names_in(body, scanner) -> bool:
    """Whether some string of ``body`` holds a name, read as one text in one pass (most
    answers hold none: they go out as they are, not walked string by string and written
    again). The strings of the text are separated by quotes, which no name holds, so a name
    in one of them is found here too."""
    text = _ESCAPE.sub(lambda m: " " * len(m.group()), json.dumps(body, ensure_ascii=False))
    return scanner.redact(text) != text


def _redact(value, scanner):
    if isinstance(value, str):
        return scanner.redact(value)
    if isinstance(value, list):
        return [_redact(v, scanner) for v in value]
    if isinstance(value, dict):
        return {k: _redact(v, scanner) for k, v in value.items()}
    return value
