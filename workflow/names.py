"""Names of people and organisations hold at least one letter: «-1», «***» or «2026» name
nobody, yet would go into an order's heading or a register as they are."""

from __future__ import annotations

import re

from workflow.errors import BadInput

_LETTER = re.compile(r"[^\W\d_]")


def has_letter(value: str) -> bool:
    return bool(_LETTER.search(value))


def require_letters(value: str, label: str, field: str) -> str:
    """``value`` as it is when it is empty or holds a letter; else a 400 naming the field."""
    if value and not has_letter(value):
        raise BadInput("Поле «%(label)s» должно содержать буквы.", code="invalid_name",
                       details={"field": field}, params={"label": label})
    return value
