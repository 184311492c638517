"""The state machine of a document, built once per kind with ``transitions``.

The library only decides whether an event is valid from a state and runs the guards; the
database (conditional UPDATE on ``lock_version``) arbitrates concurrent changes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from transitions import EventData, Machine, MachineError

from documents.models.document import DocState
from workflow.engine.kinds import KINDS
from workflow.errors import RuleViolation

S = DocState

#: The transition table of api.md: (event, sources, dest). Roles live in permissions.py.
TRANSITIONS: list[tuple[str, tuple[DocState, ...], DocState]] = [
    ("submit", (S.draft,), S.on_approval),
    ("approve", (S.on_approval,), S.approved),
    ("reject", (S.on_approval,), S.draft),
    ("sign", (S.approved,), S.signed),
    ("send_to_municipality", (S.signed,), S.under_municipal_review),
    ("accept", (S.under_municipal_review,), S.accepted),
    ("return_for_revision", (S.under_municipal_review,), S.returned),
    ("revise", (S.returned,), S.draft),
    ("cancel", (S.signed, S.accepted), S.cancelled),
    ("recall", (S.on_approval,), S.draft),
]

#: A roadmap item is never signed: approved is done; a school's copy of a municipal item
#: goes on from approved to the municipality like an act (see roadmaps/items.py).
KIND_TRANSITIONS: dict[str, list[tuple[str, tuple[DocState, ...], DocState]]] = {
    "roadmap_item": [
        ("submit", (S.draft,), S.on_approval),
        ("approve", (S.on_approval,), S.approved),
        ("reject", (S.on_approval,), S.draft),
        ("send_to_municipality", (S.approved,), S.under_municipal_review),
        ("accept", (S.under_municipal_review,), S.accepted),
        ("return_for_revision", (S.under_municipal_review,), S.returned),
        ("revise", (S.returned,), S.draft),
    ],
}

EVENTS = tuple(name for name, _, _ in TRANSITIONS)

#: Events that need a remark, with the Russian message shown when it is missing.
REMARK_REQUIRED = {
    "reject": "Чтобы вернуть документ на доработку, укажите замечание.",
    "return_for_revision": "Чтобы вернуть документ школе, укажите замечания.",
    "cancel": "Чтобы отменить документ, укажите основание отмены.",
}

Guard = Callable[["TransitionContext"], None]


@dataclass
class TransitionContext:
    """What the guards see; ``state`` is written by the machine on success."""

    state: DocState
    document: object
    comment: str = ""
    extra: dict = field(default_factory=dict)


#: Extra guards per (kind, event), registered by features (e.g. pair orders need consents).
GUARDS: dict[tuple[str, str], list[Guard]] = {}


def register_guard(kind: str, event: str) -> Callable[[Guard], Guard]:
    def decorator(fn: Guard) -> Guard:
        GUARDS.setdefault((kind, event), []).append(fn)
        return fn

    return decorator


def _remark_guard(event: str) -> Callable[[EventData], bool]:
    def check(ev: EventData) -> bool:
        ctx: TransitionContext = ev.model
        if not ctx.comment.strip():
            raise RuleViolation(REMARK_REQUIRED[event], code="comment_required")
        return True

    return check


def _kind_guards(kind: str, event: str) -> Callable[[EventData], bool]:
    def check(ev: EventData) -> bool:
        for guard in GUARDS.get((kind, event), ()):
            guard(ev.model)
        return True

    return check


def build_machine(kind: str) -> Machine:
    transitions = []
    for event, sources, dest in KIND_TRANSITIONS.get(kind, TRANSITIONS):
        conditions = [_kind_guards(kind, event)]
        if event in REMARK_REQUIRED:
            conditions.insert(0, _remark_guard(event))
        for source in sources:
            transitions.append(
                {"trigger": event, "source": source, "dest": dest, "conditions": conditions}
            )
    return Machine(model=None, states=DocState, transitions=transitions, initial=None,
                   auto_transitions=False, send_event=True)


MACHINES: dict[str, Machine] = {kind: build_machine(kind) for kind in KINDS}


def destination(kind: str, event: str, state: DocState) -> DocState | None:
    """Where ``event`` leads from ``state`` (None when it is not valid there)."""
    machine = MACHINES[kind]
    ev = machine.events.get(event)
    if ev is None or state.name not in ev.transitions:
        return None
    return DocState(ev.transitions[state.name][0].dest)


@functools.lru_cache(maxsize=None)
def events_from(kind: str, state: DocState) -> tuple[str, ...]:
    """The events valid from ``state`` for ``kind``, in EVENTS order (asked for every
    document of every list: which actions it offers)."""
    return tuple(e for e in EVENTS if destination(kind, e, state) is not None)


def fire(kind: str, event: str, ctx: TransitionContext) -> DocState:
    """Run the machine on a context; raises RuleViolation when invalid or a guard refuses."""
    ev = MACHINES[kind].events.get(event)
    try:
        if ev is None:  # an event this kind's chain does not have (a roadmap item is not signed)
            raise MachineError(event)
        ev.trigger(ctx)
    except MachineError:
        from workflow.engine.diagrams import EVENT_VERBS, STATE_TITLES

        verb = EVENT_VERBS.get(event, event)
        state = STATE_TITLES.get(ctx.state.value, ctx.state.value)
        raise RuleViolation(
            f"Действие «{verb}» сейчас недоступно: документ в состоянии «{state}».",
            code="invalid_transition",
        ) from None
    return ctx.state


def describe(kind: str) -> dict:
    """States and transitions as the machine knows them (for /document-kinds and diagrams)."""
    machine = MACHINES[kind]
    out = []
    for name, ev in machine.events.items():
        for source, trans in ev.transitions.items():
            for t in trans:
                out.append({"event": name, "source": source, "dest": t.dest})
    return {"states": [s for s in machine.states], "transitions": out}
