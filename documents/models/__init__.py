"""All mapped classes; importing this package registers every table on ``Base.metadata``."""

from documents.models.document import DocState, Document, DocumentVersion, Visa
from documents.models.history import HistoryEvent
from documents.models.journal import RegistrationJournal
from documents.models.organization import Organization, OrgKind
from documents.models.outbox import Notification, OutboxItem
from documents.models.people import (  # noqa: E501,F401
    Consent,
    Indicator,
    MentorshipForm,
    Pair,
    PairMentee,
    Person,
    PersonalDataAccessLog,
    PersonRequest,
    RegisterVersion,
    RoleModel,
    SchoolSettings,
)
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
from documents.models.acquaintance import Acquaintance  # noqa: E402,F401
from documents.models.admin_log import AdminLogEntry  # noqa: E402,F401
from documents.models.approval_link import ApprovalLink  # noqa: E402,F401
from documents.models.audit import AuditCheckpoint, AuditJob  # noqa: E402,F401
from documents.models.evidence import EvidenceFile  # noqa: E402,F401
from documents.models.journal_setting import JournalSetting  # noqa: E402,F401
from documents.models.password_token import PasswordToken  # noqa: E402,F401
from documents.models.reminder import CalendarToken, ReminderLog  # noqa: E402,F401
from documents.models.route import (  # noqa: E402,F401,E501
    Appendix,
    ApprovalRoute,
    DocumentRoute,
    RouteVisa,
    StageProtocol,
    VisaReminderLog,
)
from documents.models.saved_filter import SavedFilter  # noqa: E402,F401
from documents.models.stored_file import StoredFile, StoredFileChunk  # noqa: E402,F401
from documents.models.substitution import Substitution  # noqa: E402,F401
from documents.models.template import UploadedTemplate  # noqa: E402,F401
