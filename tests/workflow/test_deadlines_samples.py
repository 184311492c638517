"""Every phrase of samples/deadlines/phrases.json reads exactly as a curator reads it."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from workflow.roadmaps.deadlines import Deadline, parse_deadline

SAMPLES = Path(os.environ.get("NASTAVNIK_SAMPLES", "/work/shared/samples"))
PHRASES = SAMPLES / "deadlines" / "phrases.json"


def _cases() -> list[dict]:
    if not PHRASES.exists():
        return []
    return json.loads(PHRASES.read_text(encoding="utf-8"))["cases"]


@pytest.mark.skipif(not PHRASES.exists(), reason="shared samples not available")
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
