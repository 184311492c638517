"""Who may see and do what: roles are granted per organisation; a grant in a municipality
reaches its schools only for the roles that allow it (officer, auditor, admin)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from documents.id_lists import in_ids
from documents.models import Document, Organization, OrgKind, Role, User
from workflow.engine import txcache

R = Role

#: How people name each role (pages, the staff import, the administrative log).
ROLE_TITLES = {
    "school_admin": "Администратор школы", "director": "Директор", "curator": "Куратор",
    "municipal_officer": "Специалист управления образования", "auditor": "Аудитор",
    "admin": "Администратор муниципалитета",
}

#: Roles that may fire each event, and whether the grant must be in the parent municipality.
EVENT_ROLES: dict[str, tuple[frozenset[Role], bool]] = {
    "submit": (frozenset(), False),  # the author roles, see author_roles()
    "revise": (frozenset(), False),
    "recall": (frozenset(), False),
    "approve": (frozenset({R.director}), False),
    "reject": (frozenset({R.director}), False),
    "sign": (frozenset({R.director}), False),
    "cancel": (frozenset({R.director}), False),
    "send_to_municipality": (frozenset({R.school_admin, R.director}), False),
    "accept": (frozenset({R.municipal_officer}), True),
    "return_for_revision": (frozenset({R.municipal_officer}), True),
}

#: Roles of a municipality grant that reach its schools.
REACHING_ROLES = frozenset({R.municipal_officer, R.auditor, R.admin})
#: States a school document is in once its school sent it to the municipality.
AUTHOR_EVENTS = frozenset({"submit", "revise", "recall"})


def author_roles(org_kind: OrgKind) -> frozenset[Role]:
    if org_kind is OrgKind.municipality:
        return frozenset({R.municipal_officer})
    return frozenset({R.school_admin, R.curator})


def event_roles(event: str, org_kind: OrgKind) -> frozenset[Role]:
    if event in AUTHOR_EVENTS:
        return author_roles(org_kind)
    return EVENT_ROLES[event][0]


@dataclass(frozen=True)
class Actor:
    """The person acting, with grants as (role, org_id) pairs; loaded once per request."""

    id: int
    full_name: str
    position: str
    grants: frozenset[tuple[Role, int]]
    # What a page's navigation asks about the person, read with the person (one statement,
    # accounts.actor_for_session); None where not read (then it is queried as needed):
    # id → (kind, parent id) of each granted organisation,
    orgs: Mapping[int, tuple[OrgKind, int | None]] | None = field(default=None, compare=False)
    # whether the person stands in for someone today (и. о.) and has something to read.
    deputy: bool | None = field(default=None, compare=False)
    to_read: bool | None = field(default=None, compare=False)

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.id, user.full_name, user.position or "",
                   frozenset((g.role, g.org_id) for g in user.grants))

    def roles_in(self, org_id: int | None) -> frozenset[Role]:
        return frozenset(role for role, oid in self.grants if oid == org_id)

    @property
    def org_ids(self) -> frozenset[int]:
        return frozenset(oid for _, oid in self.grants)


#: A roadmap item is confirmed by the curator or the director of a school; a school's copy
#: of a municipal item by its director; a municipality's own item by its officer.
ITEM_CONFIRM_EVENTS = frozenset({"approve", "reject"})


def item_confirm_roles(org_kind: OrgKind, assigned: bool) -> frozenset[Role]:
    if org_kind is OrgKind.municipality:
        return frozenset({R.municipal_officer})
    return frozenset({R.director}) if assigned else frozenset({R.director, R.curator})


def may_fire(actor: Actor, event: str, org: Organization, doc: Document | None = None) -> bool:
    in_parent = EVENT_ROLES[event][1]
    roles = event_roles(event, org.kind)
    if doc is not None and doc.kind == "roadmap_item":
        if event in ITEM_CONFIRM_EVENTS:
            roles = item_confirm_roles(org.kind, doc.assignment_of is not None)
        elif event in AUTHOR_EVENTS and is_item_responsible(actor, doc):
            return True
    if in_parent:
        return org.parent_id is not None and bool(actor.roles_in(org.parent_id) & roles)
    return bool(actor.roles_in(org.id) & roles)


def is_item_responsible(actor: Actor, doc: Document) -> bool:
    """The person a roadmap item names as responsible works on its report (edits, submits)
    even without an author role, while they belong to the organisation."""
    return (doc.kind == "roadmap_item" and doc.responsible_id == actor.id
            and bool(actor.roles_in(doc.org_id)))


def may_author(actor: Actor, org: Organization) -> bool:
    """Create and edit drafts: the author roles of the organisation."""
    return bool(actor.roles_in(org.id) & author_roles(org.kind))


def may_manage_templates(actor: Actor, org: Organization) -> bool:
    return R.admin in actor.roles_in(org.id) or (
        org.parent_id is not None and R.admin in actor.roles_in(org.parent_id)
    )


def granted_kinds(session: Session, actor: Actor) -> dict[int, OrgKind]:
    """The kind of each organisation the actor holds a role in: from a page's actor (read
    with the person), otherwise in one query."""
    if actor.orgs is not None:
        return {oid: kind for oid, (kind, _parent) in actor.orgs.items()}
    if not actor.grants:
        return {}
    return dict(session.execute(select(Organization.id, Organization.kind).where(
        Organization.id.in_(actor.org_ids))).tuples().all())


def visible_org_ids(session: Session, actor: Actor) -> set[int]:
    """Organisations the actor can see anything of (own grants and, for reaching roles, schools)."""
    own = set(actor.org_ids)
    reaching = {oid for role, oid in actor.grants if role in REACHING_ROLES}
    if reaching:
        own |= set(session.scalars(select(Organization.id).where(
            Organization.parent_id.in_(reaching))))
    return own


def schools_of(session: Session | None, municipalities: list[int]):
    """The schools of these municipalities: a list of ids read once per transaction (a page
    asks for it in the document list and in the navigation counts), or without a session
    the subquery."""
    query = select(Organization.id).where(Organization.parent_id.in_(municipalities))
    if session is None:
        return query
    return txcache.ids(session, ("schools_of", tuple(sorted(municipalities))), query)


def document_filter(actor: Actor, session: Session | None = None) -> ColumnElement[bool]:
    """SQL condition for the documents an actor may read.

    Any role sees its own organisation's documents; from the parent municipality the auditor
    and the admin see everything, the officer only what the school has sent. With a session
    the municipality's schools are read first and written in as a list of ids: a subquery
    inside the OR makes PostgreSQL scan every document of the region, a list uses the index
    on the organisation.
    """
    own = [oid for _, oid in actor.grants]
    everything = [oid for role, oid in actor.grants if role in (R.auditor, R.admin)]
    sent_only = [oid for role, oid in actor.grants if role is R.municipal_officer]

    conds = []
    if everything and session is not None:
        # one list: an OR of two lists made PostgreSQL count an auditor's documents by
        # walking a whole index of the region (19 ms) instead of this one's entries (3 ms)
        own = sorted(set(own) | set(schools_of(session, everything)))
        everything = []
    if own:
        conds.append(in_ids(session, Document.org_id, own))
    if everything:
        conds.append(Document.org_id.in_(schools_of(session, everything)))
    if sent_only:
        conds.append(and_(in_ids(session, Document.org_id, schools_of(session, sent_only)),
                          Document.sent_at.is_not(None)))
    return or_(*conds) if conds else false()


def may_read(actor: Actor, doc: Document) -> bool:
    org = doc.organization
    return may_read_in(actor, org.id, org.parent_id, sent=doc.sent_at is not None)


def may_read_in(actor: Actor, org_id: int, parent_id: int | None, *, sent: bool) -> bool:
    """Whether the actor opens a document of the organisation ``org_id`` (of ``parent_id``),
    sent to the municipality or not: its own people, the municipality's auditors and
    administrators always, its officers once the school sent it."""
    if actor.roles_in(org_id):
        return True
    parent_roles = actor.roles_in(parent_id) if parent_id else frozenset()
    if parent_roles & {R.auditor, R.admin}:
        return True
    return R.municipal_officer in parent_roles and sent


def is_read_only(actor: Actor) -> bool:
    return all(role is R.auditor for role, _ in actor.grants)
