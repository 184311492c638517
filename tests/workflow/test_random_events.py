"""Random events by random users through the API, checked against a plain reference model."""

import hypothesis.strategies as st
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from tests.workflow.test_transition_matrix import TABLE, USERS, expected_status

EVENTS = sorted(TABLE)


def build_machine_test(api, make_doc, rt, world):
    from workflow.audit.chain import verify_chain

    class DocumentLife(RuleBasedStateMachine):
        @initialize()
        def create(self):
            self.doc_id = make_doc("draft")
            self.state, self.lock, self.events, self.approved = "draft", 0, 1, False
            self.signed_without_approval = False

        @rule(event=st.sampled_from(EVENTS), user=st.sampled_from(USERS),
              comment=st.sampled_from(["", "Замечание"]), stale=st.booleans())
        def fire(self, event, user, comment, stale):
            stale = stale and self.lock > 0
            lock = self.lock - 1 if stale else self.lock
            resp = api.as_(user).fire(self.doc_id, event, comment, lock_version=lock)
            want = expected_status(self.state, event, user)
            needs_remark = event in ("reject", "return_for_revision", "cancel")
            if stale and want in (200, 422):
                want = 409  # an outdated copy is refused before the state is looked at
            elif want == 200 and needs_remark and not comment:
                want = 422
            assert resp.status_code == want, (self.state, event, user, resp.get_json())
            if want == 200:
                if event == "sign" and not self.approved:
                    self.signed_without_approval = True
                self.approved = event == "approve" or (self.approved and event != "reject"
                                                       and event != "revise")
                self.state, self.lock, self.events = TABLE[event][1], self.lock + 1, self.events + 1

        @invariant()
        def matches_reference(self):
            body = api.as_("auditor").get(f"/api/v1/documents/{self.doc_id}").get_json()
            assert body["state"] == self.state
            assert body["lock_version"] == self.lock
            history = api.as_("auditor").get(f"/api/v1/documents/{self.doc_id}/history").get_json()
            assert len(history) == self.events == body["lock_version"] + 1
            assert not self.signed_without_approval
            if body["registration_number"]:
                assert any(h["event"] == "approve" for h in history)

        def teardown(self):
            with rt.db.read_session() as s:
                assert verify_chain(s, world.orgs["school1"]).ok

    return DocumentLife


def test_random_event_sequences(api, make_doc, rt, world):
    machine = build_machine_test(api, make_doc, rt, world)
    machine.TestCase.settings = settings(max_examples=25, stateful_step_count=25, deadline=None,
                                         suppress_health_check=list(HealthCheck),
                                         phases=[Phase.explicit, Phase.reuse, Phase.generate])
    machine.TestCase().runTest()
