"""The log of reads of minors' personal data: filters, names of the people read, auditor only."""

from datetime import timedelta

from documents.models import PersonalDataAccessLog
from workflow import clock


def _log(rt, world, who: str, org: str, action: str, person_ids, days_ago: int = 0):
    with rt.db.write_session() as s:
        s.add(PersonalDataAccessLog(at=clock.now() - timedelta(days=days_ago),
                                    actor_id=world.users[who], actor_name=f"Пользователь {who}",
                                    action=action, org_id=world.orgs[org],
                                    person_ids=person_ids))


def test_reads_are_filtered_and_scoped(rt, world, api):
    _log(rt, world, "curator1", "school1", "read_person", [101], days_ago=10)
    _log(rt, world, "admin1", "school1", "list_people", [101, 102, 103])
    _log(rt, world, "admin2", "school2", "list_pairs", [201])
    _log(rt, world, "admin3", "school3", "list_people", [301])
    auditor = api.as_("auditor")
    body = auditor.get("/api/v1/audit/personal-data-reads").get_json()
    assert body["total"] == 3  # school3 belongs to another municipality
    assert set(body["items"][0]) == {"at", "actor_id", "actor_name", "subject", "what"}
    one = auditor.get(f"/api/v1/audit/personal-data-reads?org_id={world.orgs['school1']}"
                      f"&actor_id={world.users['curator1']}").get_json()
    assert [i["what"] for i in one["items"]] == ["Просмотр карточки"]
    since = (clock.today() - timedelta(days=2)).isoformat()
    recent = auditor.get(f"/api/v1/audit/personal-data-reads?org_id={world.orgs['muni']}"
                         f"&from={since}").get_json()
    assert {i["actor_name"] for i in recent["items"]} == {"Пользователь admin1",
                                                           "Пользователь admin2"}
    assert api.as_("officer").get(
        f"/api/v1/audit/personal-data-reads?org_id={world.orgs['school1']}").status_code == 403
