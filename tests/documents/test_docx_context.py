"""Snapshot → context: Russian dates, «И.О. Фамилия», grifs, kind-specific rows."""

from __future__ import annotations

import json

import pytest

from documents.docx.context import build_context
from documents.docx.ruformat import initials_first, long_date, short_date, surname_initials
from documents.docx.samples import sample_snapshot


@pytest.mark.parametrize(
    ("value", "short", "long"),
    [
        ("2026-11-12", "12.11.2026", "12 ноября 2026 г."),
        ("2027-01-01T09:30:00", "01.01.2027", "1 января 2027 г."),
        ("2026-05-31", "31.05.2026", "31 мая 2026 г."),
        (None, "", ""),
    ],
)
def test_dates_in_both_forms(value, short, long):
    assert short_date(value) == short
    assert long_date(value) == long


@pytest.mark.parametrize(
    ("name", "initials", "listed"),
    [
        ("Иванова Мария Петровна", "М.\u00a0П.\u00a0Иванова", "Иванова\u00a0М.\u00a0П."),
        ("Ли Чен", "Ч.\u00a0Ли", "Ли\u00a0Ч."),
        ("  Петров   Андрей  Михайлович ", "А.\u00a0М.\u00a0Петров", "Петров\u00a0А.\u00a0М."),
        ("Сидоров", "Сидоров", "Сидоров"),
        # An abbreviated name keeps both initials.
        ("Белова Н.Г.", "Н.\u00a0Г.\u00a0Белова", "Белова\u00a0Н.\u00a0Г."),
        ("Белова Н. Г.", "Н.\u00a0Г.\u00a0Белова", "Белова\u00a0Н.\u00a0Г."),
    ],
)
def test_names(name, initials, listed):
    assert initials_first(name) == initials
    assert surname_initials(name) == listed


def test_signed_order_requisites():
    ctx = build_context(sample_snapshot("order"))
    # Typeset with non-breaking spaces; compared here as plain text.
    assert {k: v.replace("\u00a0", " ") if isinstance(v, str) else v
            for k, v in ctx["doc"].items()} == {
        "number": "45-од",
        "date": "12.11.2026",
        "date_long": "12 ноября 2026 г.",
        "is_draft": False,
        "mark": "",
        "registration": "от 12.11.2026 № 45-од",
    }
    assert ctx["signer"]["short"] == "М.\u00a0П.\u00a0Иванова"
    assert ctx["control_clause"] == {
        "n": "4",
        "text": "Контроль за исполнением приказа оставляю за собой.",
    }
    assert ctx["visas"][1]["outcome_text"] == "Согласовано"
    json.dumps(ctx)  # plain JSON types only


def test_draft_has_blanks_and_mark():
    ctx = build_context(sample_snapshot("order", draft=True))
    assert ctx["doc"]["is_draft"] and ctx["doc"]["mark"] == "ПРОЕКТ"
    assert ctx["doc"]["number"].startswith("___") and "___" in ctx["doc"]["date_long"]


def test_custom_control_clause_and_numbering():
    snapshot = sample_snapshot("order")
    snapshot["fields"]["control_clause"] = "Контроль возложить на заместителя директора"
    snapshot["fields"]["clauses"] = [{"text": "Первый"}, {"text": ""}, "Второй"]
    ctx = build_context(snapshot)
    assert [c["n"] for c in ctx["clauses"]] == ["1", "2"]
    assert ctx["control_clause"] == {
        "n": "3",
        "text": "Контроль возложить на заместителя директора.",
    }


def test_approval_grif_uses_own_number_and_date():
    ctx = build_context(sample_snapshot("regulation"))
    assert ctx["approval"]["word"] == "УТВЕРЖДЕНО"
    assert ctx["approval"]["text"] == "приказом МБОУ «СОШ №\u00a01» от 12.11.2026 №\u00a045-од"
    assert ctx["heading"] == "о наставничестве"
    assert ctx["considered"]["protocol_date"] == "05.11.2026"


def test_pair_order_adds_mentors_to_acquaintance_once():
    snapshot = sample_snapshot("pair_order")
    snapshot["fields"]["acquaintance"] = ["Смирнова Ксения Константиновна"]
    names = [a["name"] for a in build_context(snapshot)["acquaintance"]]
    assert names == ["Смирнова Ксения Константиновна", "Кузнецов Илья Андреевич"]


def test_roadmap_rows_group_items_under_sections():
    rows = build_context(sample_snapshot("roadmap"))["roadmap"]["rows"]
    assert [(r["is_section"], r["number"]) for r in rows] == [
        (True, "1"),
        (False, "1.1"),
        (False, "1.2"),
        (True, "2"),
        (False, "2.1"),
    ]


def test_roadmap_may_be_missing():
    snapshot = sample_snapshot("roadmap")
    snapshot["roadmap"] = None
    roadmap = build_context(snapshot)["roadmap"]
    assert roadmap["rows"] == [] and roadmap["period"] == "с 01.09.2026 по 31.05.2028"



def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="Неизвестный вид документа"):
        build_context({"kind": "memo"})


def test_control_clause_written_among_the_clauses_is_said_once():
    # a secretary types the usual last clause herself: the act must not say it twice
    snapshot = sample_snapshot("order")
    snapshot["fields"]["clauses"] = [{"text": "Утвердить план мероприятий."},
                                     {"text": "контроль за исполнением  приказа оставляю за собой"}]
    ctx = build_context(snapshot)
    assert [c["text"] for c in ctx["clauses"]] == ["Утвердить план мероприятий."]
    assert ctx["control_clause"] == {
        "n": "2", "text": "Контроль за исполнением приказа оставляю за собой."}
