"""A Hypothesis state machine over routes and approving orders: whatever people do, no act
is signed before its route is done, no act takes a number from the order journal, an order
signs only with every appendix, and the history chain verifies."""

import hypothesis.strategies as st
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, multiple, rule
from sqlalchemy import select

from documents.models import Appendix, Document, DocumentRoute
from tests.conftest import ORDER_FIELDS
from workflow.audit.chain import verify_chain
from workflow.errors import WorkflowError

SECTIONS = {"sections": [{"title": "Общие положения", "text": "Текст."}]}
ACT_KINDS = ("regulation", "incentive_scheme", "programme")
PEOPLE = ("admin1", "curator1", "director1")
REACHED: set[str] = set()
EVENTS = ("submit", "approve", "reject", "recall", "sign", "send_to_municipality", "revise")


def build(rt, world, actor):
    from workflow.engine import appendices
    from workflow.engine.authoring import create_document
    from workflow.engine.protocols import record_protocol
    from workflow.engine.transition import apply_event

    def attempt(fn, *args, **kw):
        try:
            fn(*args, **kw)
        except WorkflowError:
            pass

    class Routes(RuleBasedStateMachine):
        acts = Bundle("acts")
        orders = Bundle("orders")

        @rule(target=acts, kind=st.sampled_from(ACT_KINDS))
        def new_act(self, kind):
            return create_document(rt, actor("admin1"), kind=kind, org_id=world.orgs["school1"],
                                   title="Положение о наставничестве", fields=SECTIONS)

        @rule(target=orders)
        def new_order(self):
            return create_document(rt, actor("admin1"), kind="order",
                                   org_id=world.orgs["school1"], title="Приказ",
                                   fields=ORDER_FIELDS)

        @rule(doc=st.one_of(acts, orders), event=st.sampled_from(EVENTS),
              user=st.sampled_from(PEOPLE), remark=st.booleans())
        def fire(self, doc, event, user, remark):
            attempt(apply_event, rt, doc, event, actor(user), "Замечание" if remark else "")

        @rule(doc=acts, decision=st.sampled_from(["approved", "approved", "rejected"]),
              user=st.sampled_from(PEOPLE))
        def protocol(self, doc, decision, user):
            attempt(record_protocol, rt, actor(user), doc, expected_version=None, number="2",
                    day="2026-01-15", decision=decision)

        @rule(order=orders, act=acts)
        def attach(self, order, act):
            with rt.db.read_session() as s:
                lock = s.get(Document, order).lock_version
            attempt(appendices.attach, rt, actor("admin1"), order, act, lock)

        @rule(doc=st.one_of(acts, orders))
        def through_the_route(self, doc):
            """What the people involved do in a row: submit, the bodies meet, the head agrees."""
            from workflow.engine.protocols import pass_collegial_stages

            attempt(apply_event, rt, doc, "submit", actor("admin1"))
            attempt(pass_collegial_stages, rt, doc, actor("admin1"))
            attempt(apply_event, rt, doc, "approve", actor("director1"))

        @rule(target=orders, act=acts)
        def approving_order(self, act):
            try:
                return appendices.create_approving_order(rt, actor("admin1"), act)
            except WorkflowError:
                return multiple()

        @rule(target=orders, act=acts)
        def the_whole_way(self, act):
            """An act through its route, into a new approving order, signed."""
            self.through_the_route(act)
            order = self.approving_order(act)
            if isinstance(order, int):
                self.sign_order(order)
                return order
            return multiple()

        @rule(order=orders)
        def sign_order(self, order):
            for user, event in (("admin1", "submit"), ("director1", "approve"),
                                ("director1", "sign")):
                attempt(apply_event, rt, order, event, actor(user))

        @invariant()
        def acts_signed_only_after_their_route(self):
            with rt.db.read_session() as s:
                for doc in s.scalars(select(Document).where(Document.kind.in_(ACT_KINDS))):
                    if doc.registration_number:
                        assert not doc.registration_number.endswith("-од"), doc.id
                    if doc.signed_at is not None:
                        route = s.get(DocumentRoute, doc.id)
                        assert route is not None and route.status == "done", doc.id
                        assert route.version == doc.version, doc.id
                for order in s.scalars(select(Document).where(Document.kind == "order",
                                                               Document.signed_at.is_not(None))):
                    for link in s.scalars(select(Appendix).where(Appendix.order_id == order.id)):
                        act = s.get(Document, link.document_id)
                        assert act.signed_at is not None or act.state.value == "draft", act.id
                        if act.signed_at is not None:
                            REACHED.add("act signed by its order")

        def teardown(self):
            with rt.db.read_session() as s:
                assert verify_chain(s, world.orgs["school1"]).ok

    return Routes


def test_routes_and_appendices_keep_their_promises(rt, world, actor):
    machine = build(rt, world, actor)
    machine.TestCase.settings = settings(max_examples=8, stateful_step_count=25, deadline=None,
                                         derandomize=True, database=None,
                                         suppress_health_check=list(HealthCheck),
                                         phases=[Phase.explicit, Phase.reuse, Phase.generate])
    machine.TestCase().runTest()
    assert "act signed by its order" in REACHED  # the runs reached the interesting states
