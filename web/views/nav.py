"""What every page's chrome needs: the navigation (with counts and optional sections that other
features add when they land), labels. Date and number filters live in web.views.formatting."""

from __future__ import annotations

from flask import current_app, g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from web.auth import current_actor, db_session
from web.views import bp, labels
from workflow import clock
from workflow.engine.queries import is_overdue
from workflow.engine.routes import keeps_some_route
from workflow.mentorship.register_access import reads_some_register
from workflow.notify import inbox

#: Sections other blueprints provide; shown only once their endpoint exists.
OPTIONAL_LINKS = (
    ("roadmaps.index", _l("Дорожные карты")),
    ("registers.index", _l("Реестры")),
    ("compliance.index", _l("Мониторинг")),
    ("templates_admin.index", _l("Шаблоны")),
    ("views.approval_routes", _l("Согласование")),
    ("views.substitutions_page", _l("И. о.")),
)


#: Sections offered only to people who have something there (anyone else would be refused).
OFFERED_TO = {"registers.index": reads_some_register,
              "views.approval_routes": keeps_some_route,
              "views.substitutions_page": keeps_some_route}


def _offered(endpoint: str) -> bool:
    check = OFFERED_TO.get(endpoint)
    return check is None or check(db_session(), current_actor())


#: Reference pages gathered under one «Настройки» item of the menu (with «Маршруты»).
SETTINGS_ENDPOINTS = ("templates_admin.index", "views.approval_routes", "views.substitutions_page")


def settings_links(optional_links) -> list[tuple[str, str, bool]]:
    """The «Настройки» menu: (endpoint, title, is the current page in that section)."""
    from flask import request

    ep = request.endpoint or ""
    links = [("views.kinds", _l("Маршруты"), ep.startswith("views.kind"))]
    for endpoint, title in optional_links:
        if endpoint in SETTINGS_ENDPOINTS:
            blueprint = endpoint.split(".")[0]
            same = ep == endpoint if blueprint == "views" else ep.split(".")[0] == blueprint
            links.append((endpoint, title, same))
    return links


def nav_counts():
    if "nav_counts" not in g:
        g.nav_counts = inbox.nav_counts(db_session(), current_actor())
    return g.nav_counts


def _has_role(*roles: str) -> bool:
    return any(role.value in roles for role, _ in current_actor().grants)


def _can_administer() -> bool:
    """The «Администрирование» item: admins, school directors and school admins, auditors."""
    if not _has_role("admin", "director", "school_admin", "auditor"):
        return False
    from workflow.admin import scope

    return bool(scope.user_org_ids(db_session(), current_actor()) or _may_read_admin_log())


def _may_read_admin_log() -> bool:
    """Whether the person reads some organisation's administrative log (asked once a page:
    the menu and the administration pages' tabs both ask)."""
    if "may_read_admin_log" not in g:
        from workflow.admin import scope

        g.may_read_admin_log = bool(scope.log_readable_org_ids(db_session(), current_actor()))
    return g.may_read_admin_log


@bp.app_context_processor
def chrome() -> dict:
    views = current_app.view_functions
    words = labels.in_current_locale()
    data = {
        "optional_links": [(ep, title) for ep, title in OPTIONAL_LINKS if ep in views],
        "settings_endpoints": SETTINGS_ENDPOINTS,
        "settings_links": settings_links,
        "L": words,
        "get_locale": get_locale,
        "kind_title": words.kind_title,
        "is_overdue": lambda doc: is_overdue(doc, clock.today()),
    }
    if current_user.is_authenticated:
        data["optional_links"] = [link for link in data["optional_links"] if _offered(link[0])]
        data["may_read_admin_log"] = _may_read_admin_log
        data["nav"] = nav_counts
        # the signed-in person as plain data (the User object is expired once the actor is
        # read: showing its name would load it again)
        data["actor"] = current_actor
        data["has_role"] = _has_role
        data["can_administer"] = _can_administer
    return data
