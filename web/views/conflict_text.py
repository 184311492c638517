"""The words for a refused stale action: who changed the document, what and when."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from web.auth import current_actor, db_session
from web.views import labels
from web.views.formatting import ru_datetime
from workflow.engine.conflicts import changes_since


def conflict_message(document_id: int) -> str:
    seen = request.form.get("seen_event", type=int)
    events = changes_since(db_session(), current_actor(), document_id, seen)
    if not events:
        return _("Документ уже изменён в другой вкладке или другим пользователем. "
                 "Страница обновлена — проверьте и повторите.")
    parts = [f"{ru_datetime(e.at)} {e.actor_name} — «{labels.HISTORY.get(e.event, e.event)}»"
             + (f" ({e.comment})" if e.comment else "") for e in events[-5:]]
    state = labels.STATES.get(events[-1].to_state, events[-1].to_state)
    return _("Документ уже изменён, пока страница была открыта: %(what)s. Сейчас он в "
             "состоянии «%(state)s». Ваше действие не выполнено — страница обновлена, "
             "проверьте и повторите.", what="; ".join(parts), state=state)
