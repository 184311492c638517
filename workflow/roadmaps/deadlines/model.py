"""The value a deadline phrase is read into.

Kept free of parsing code so that the web layer, the roadmap importer and the status
checker can share one immutable shape that serialises exactly to the API contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

DeadlineKind = Literal["date", "period", "recurring", "continuous", "external", "unspecified"]

KINDS: tuple[str, ...] = ("date", "period", "recurring", "continuous", "external", "unspecified")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class Deadline:
    """A deadline phrase as a curator reads it.

    ``start``/``due`` bound a period (``due`` is always the control date, the last day);
    a single «до X» date has no start; recurring phrases list every control date inside
    the roadmap period in ``occurrences`` and carry the last one as ``due``; external
    and unspecified phrases carry no dates at all, so a person sets them later by hand.
    """

    text: str
    kind: DeadlineKind
    start: date | None = None
    due: date | None = None
    occurrences: tuple[date, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """Return the ``/api/v1/deadlines/parse`` shape: ISO dates, nulls, a list."""
        return {
            "text": self.text,
            "kind": self.kind,
            "start": _iso(self.start),
            "due": _iso(self.due),
            "occurrences": [d.isoformat() for d in self.occurrences],
        }
