"""The status of a roadmap item derives from its document's state and the dates: a property
test over every state × due/start dates × today."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from documents.models import DocState
from workflow.roadmaps.status import assigned_status, doc_status

STATES = [s.value for s in DocState]
TODAY = date(2027, 3, 15)
dates = st.one_of(st.none(), st.integers(-400, 400).map(lambda n: TODAY + timedelta(days=n)))


@given(state=st.sampled_from(STATES), assigned=st.booleans(), due=dates, start=dates,
       worked=st.booleans())
def test_doc_status(state, assigned, due, start, worked):
    status = doc_status(state=state, assigned=assigned, due=due, start=start, today=TODAY,
                        worked=worked)
    final = "accepted" if assigned else "approved"
    # done exactly in the final state, whatever the dates
    assert (status == "done") == (state == final)
    if state != final:
        # overdue exactly when the due date passed before it was done
        assert (status == "overdue") == (due is not None and due < TODAY)
    if status not in ("done", "overdue"):
        started = state != "draft" or worked or (start is not None and start <= TODAY)
        assert status == ("in_progress" if started else "planned")
    # a school's copy approved by its director is not done until the municipality accepts
    if assigned and state == "approved":
        assert status != "done"


@given(statuses=st.lists(st.sampled_from(["planned", "in_progress", "done", "overdue"]),
                         max_size=6), due=dates, start=dates)
def test_municipal_item_done_when_every_school_is(statuses, due, start):
    status = assigned_status(statuses=statuses, due=due, start=start, today=TODAY)
    assert (status == "done") == (bool(statuses) and all(s == "done" for s in statuses))
    if status != "done":
        assert (status == "overdue") == (due is not None and due < TODAY)
