"""Every sample phrase (tests/fixtures and, when present, shared/samples) reads exactly as a
curator reads it."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.samples import phrase_files
from workflow.roadmaps.deadlines import Deadline, parse_deadline


def _cases() -> list[dict]:
    return [case for f in phrase_files()
            for case in json.loads(f.read_text(encoding="utf-8"))["cases"]]


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["text"][:40] or "<empty>")
def test_sample_phrase(case: dict) -> None:
    period = tuple(date.fromisoformat(d) for d in case["period"])
    got = parse_deadline(case["text"], period).to_dict()  # type: ignore[arg-type]
    for key, expected in case.items():
        if key != "period":
            assert got[key] == expected, key


def test_to_dict_has_exactly_the_api_shape() -> None:
    got = parse_deadline("до 27.10.2020", (date(2020, 6, 1), date(2021, 5, 31))).to_dict()
    assert got == {"text": "до 27.10.2020", "kind": "date", "start": None,
                   "due": "2020-10-27", "occurrences": []}


def test_recurring_to_dict_lists_occurrences_as_strings() -> None:
    got = parse_deadline("До 15.10 ежегодно", (date(2022, 9, 1), date(2024, 12, 31))).to_dict()
    assert got["occurrences"] == ["2022-10-15", "2023-10-15", "2024-10-15"]
    assert got["due"] == "2024-10-15" and got["start"] is None


def test_deadline_is_frozen() -> None:
    deadline = parse_deadline("май 2021", (date(2020, 6, 1), date(2021, 5, 31)))
    assert isinstance(deadline, Deadline)
    with pytest.raises(AttributeError):
        deadline.kind = "date"  # type: ignore[misc]
