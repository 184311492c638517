"""The texts of approval grifs, from plain snapshot data (shared by every template).

- by an order: «УТВЕРЖДЕНО / приказом <организации> / от DD.MM.YYYY № N-од»;
- by the head himself: «УТВЕРЖДАЮ / Директор <организации> / ________ И. О. Фамилия / дата»,
  «И. о. директора» when a deputy signed;
- collegial bodies: «РАССМОТРЕНО / педагогическим советом / (протокол от … № …)», «С учётом
  мнения / первичной профсоюзной организации / (протокол от … № …)», visas «СОГЛАСОВАНО».

The grammatical agreement of the grif word with the act (УТВЕРЖДЕНО / УТВЕРЖДЕНА / …) is a
separate concern: ``approved_word`` is the one place to hook it.
"""

from __future__ import annotations

from typing import Any

from documents.docx import morphology
from documents.docx.ruformat import BLANK_SHORT_DATE, clean_text, initials_first, short_date

#: How each collegial body appears in a grif: (grif word, the body in the right case).
BODIES: dict[str, tuple[str, str]] = {
    "pedagogical_council": ("РАССМОТРЕНО", "педагогическим советом"),
    "governing_council": ("РАССМОТРЕНО", "управляющим советом"),
    "trade_union": ("С учётом мнения", "первичной профсоюзной организации"),
    "student_council": ("С учётом мнения", "совета обучающихся"),
    "parents_council": ("С учётом мнения", "совета родителей (законных представителей)"),
}


def approved_word(kind: str) -> str:
    """The grif word of an act approved by an order, agreeing with the act's gender."""
    return morphology.grif_word(kind) or "УТВЕРЖДЕНО"


def acting_position(position: str) -> str:
    """«Директор» → «И. о. директора» (genitive of the usual head titles)."""
    position = clean_text(position) or "Директор"
    genitive = {"директор": "директора", "начальник": "начальника",
                "председатель": "председателя", "заведующий": "заведующего"}
    first, _, rest = position.partition(" ")
    word = genitive.get(first.lower(), first.lower())
    return f"И. о. {word}" + (f" {rest}" if rest else "")


def order_grif(kind: str, org_short: str, date: Any, number: str) -> dict[str, Any]:
    by = f"приказом {clean_text(org_short)}".strip()
    when = f"от {short_date(date, BLANK_SHORT_DATE)} № {clean_text(number)}"
    return {"word": approved_word(kind), "by": by, "date": short_date(date, BLANK_SHORT_DATE),
            "number": clean_text(number), "text": f"{by} {when}", "lines": [by, when]}


def head_grif(org_short: str, signer: dict[str, Any], date: Any) -> dict[str, Any]:
    """«УТВЕРЖДАЮ» when the head (or his deputy) signs the act itself."""
    position = clean_text(signer.get("position")) or "Директор"
    who = f"{position} {clean_text(org_short)}".strip()
    sign = f"__________ {initials_first(signer.get('name'))}".rstrip()
    when = short_date(date, BLANK_SHORT_DATE)
    return {"word": "УТВЕРЖДАЮ", "by": who, "date": when, "number": "",
            "text": f"{who} {sign} {when}", "lines": [who, sign, when]}


def body_grif(body: str, number: str, date: Any) -> dict[str, Any]:
    word, who = BODIES.get(body, ("РАССМОТРЕНО", clean_text(body)))
    protocol = f"(протокол от {short_date(date, BLANK_SHORT_DATE)} № {clean_text(number)})"
    return {"word": word, "lines": [who, protocol], "body": who,
            "protocol_number": clean_text(number),
            "protocol_date": short_date(date, BLANK_SHORT_DATE)}


def visa_grif(position: str, name: str, date: Any) -> dict[str, Any]:
    return {"word": "СОГЛАСОВАНО",
            "lines": [clean_text(position), f"__________ {initials_first(name)}".rstrip(),
                      short_date(date, BLANK_SHORT_DATE)]}
