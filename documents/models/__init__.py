"""All mapped classes; importing this package registers every table on ``Base.metadata``."""

from documents.models.document import DocState, Document, DocumentVersion, Visa
from documents.models.history import HistoryEvent
from documents.models.journal import RegistrationJournal
from documents.models.organization import OrgKind, Organization
from documents.models.outbox import Notification, OutboxItem
from documents.models.people import Consent, Indicator, MentorshipForm, Pair, PairMentee, Person, PersonalDataAccessLog, PersonRequest, RoleModel, SchoolSettings  # noqa: E501,F401
from documents.models.roadmap import Roadmap, RoadmapItem, RoadmapSection
from documents.models.user import ApiToken, Grant, Role, User, UserSession

__all__ = [
    "ApiToken",
    "DocState",
    "Document",
    "DocumentVersion",
    "Grant",
    "HistoryEvent",
    "Notification",
    "OrgKind",
    "Organization",
    "OutboxItem",
    "RegistrationJournal",
    "Roadmap",
    "RoadmapItem",
    "RoadmapSection",
    "Role",
    "User",
    "UserSession",
    "Visa",
]
from documents.models.template import UploadedTemplate  # noqa: E402,F401
from documents.models.reminder import CalendarToken, ReminderLog  # noqa: E402,F401
from documents.models.approval_link import ApprovalLink  # noqa: E402,F401
