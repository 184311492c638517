"""An order that cites an appendix must carry it: a draft whose text mentions «приложение
№ 2» while it has one appendix cannot go for approval (a named 422)."""

from __future__ import annotations

import re
from collections.abc import Callable

from workflow.engine import steps
from workflow.errors import RuleViolation

#: «приложение 2», «приложением № 2», «(приложение №2)», «приложениям 1 и 2» — the numbers cited.
_CITED = re.compile(r"приложени[а-яё]*\s*(?:№\s*)?(\d+(?:\s*(?:,|и|–|-)\s*(?:№\s*)?\d+)*)",
                    re.IGNORECASE)

#: Appendices a kind always carries (the pair order's list of pairs is its appendix 1).
BUILT_IN = {"pair_order": 1}
#: Other sources of appendices (e.g. approved acts attached to an order as its appendices):
#: each returns how many the document has besides ``fields.appendices``.
EXTRA_APPENDICES: list[Callable[[steps.Step], int]] = []


def cited_appendices(fields: dict) -> set[int]:
    """Numbers of the appendices the order's text refers to."""
    texts = [fields.get("preamble") or ""]
    texts += [c.get("text", "") if isinstance(c, dict) else str(c)
              for c in fields.get("clauses") or []]
    texts += [d for d in fields.get("duties") or [] if isinstance(d, str)]
    numbers: set[int] = set()
    for text in texts:
        for match in _CITED.finditer(text):
            numbers |= {int(n) for n in re.findall(r"\d+", match.group(1))}
    return numbers


def appendix_count(kind: str, fields: dict) -> int:
    return BUILT_IN.get(kind, 0) + len([a for a in fields.get("appendices") or []
                                        if isinstance(a, dict)])


def check_appendices(kind: str, fields: dict, extra: int = 0) -> None:
    count = appendix_count(kind, fields) + extra
    missing = sorted(n for n in cited_appendices(fields) if n > count or n < 1)
    if missing:
        listed = ", ".join(f"№ {n}" for n in missing)
        raise RuleViolation(
            f"Приказ ссылается на приложение {listed}, которого нет в документе "
            f"(приложений: {count}). Добавьте приложение или исправьте ссылку.",
            code="missing_appendix", details={"missing": missing, "appendices": count})


def _check(step: steps.Step) -> None:
    extra = sum(count(step) for count in EXTRA_APPENDICES)
    check_appendices(step.doc.kind, step.doc.fields or {}, extra)


steps.register("submit", kinds=("order", "curator_order", "pair_order"), check=_check)
