"""Russian typesetting of the text that goes into an act: the one function `typo()` is
applied to the static text of every built-in template (at build time) and to every string
of the template context (field values, names, requisites), so «№ 2», «И. О. Фамилия»,
«г. Омск», «ст. 351.8», «25.12.2019 г.», «2026–2027 гг.» never break across lines.

The function is idempotent and leaves Jinja tags alone (it only touches spaces).
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NDASH = "\u2013"
MDASH = "\u2014"

_UP = "А-ЯЁ"
_LOW = "а-яё"
_INITIAL = rf"[{_UP}]\."
_SURNAME = rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?"
_SP = r"[ \t\u00a0]"

_RULES: list[tuple[re.Pattern[str], str]] = [
    # «№ 2», «№2» → «№ 2» joined; «№№» too.
    (re.compile(rf"(№№?){_SP}*(?=[^\s{NBSP}])"), rf"\1{NBSP}"),
    (re.compile(rf"(§§?){_SP}*(?=\d)"), rf"\1{NBSP}"),
    # Surname then initials: «Фамилия И.О.», «Фамилия И. О.» → «Фамилия И. О.».
    (re.compile(rf"\b({_SURNAME}){_SP}+({_INITIAL}){_SP}*({_INITIAL})(?![{_LOW}])"),
     rf"\1{NBSP}\2{NBSP}\3"),
    (re.compile(rf"\b({_SURNAME}){_SP}+({_INITIAL})(?![{_LOW}]|{_SP}*[{_UP}])"),
     rf"\1{NBSP}\2"),
    # Initials then surname: «И.О. Фамилия», «И. О. Фамилия» → «И. О. Фамилия».
    (re.compile(rf"(?<![{_UP}{_LOW}.\u00a0])({_INITIAL}){_SP}*({_INITIAL}){_SP}+(?={_SURNAME}\b)"),
     rf"\1{NBSP}\2{NBSP}"),
    (re.compile(rf"(?<![{_UP}{_LOW}.\u00a0])({_INITIAL}){_SP}+(?={_SURNAME}\b)"), rf"\1{NBSP}"),
    # Abbreviations that stick to what follows: «г. Омск», «ст. 351.8», «п. 3», «ч. 2».
    (re.compile(rf"(?<![{_UP}{_LOW}])(г|гор|ст|п|пп|ч|гл|разд|подп|ул|д|корп|стр|им|рис|табл|"
                rf"см|тел|каб|кл|пос|с|обл|пр|т){_SP}*\.{_SP}+(?=[\d{_UP}{_LOW}«])"),
     rf"\1.{NBSP}"),
    # Dates and years with «г.», «гг.», «года»: «25.12.2019 г.», «2026–2027 гг.».
    (re.compile(rf"(\d){_SP}+(гг?\.|года?\b|годы\b|годов\b|уч\.)"), rf"\1{NBSP}\2"),
    # «12 ноября 2026 г.»: the day stays with its month.
    (re.compile(rf"\b(\d{{1,2}}){_SP}+(января|февраля|марта|апреля|мая|июня|июля|августа|"
                rf"сентября|октября|ноября|декабря)\b"), rf"\1{NBSP}\2"),
    # Numbers with units and counted nouns: «5 лет», «3 дня», «42 %», «10 000 руб.».
    (re.compile(rf"(\d){_SP}+(%|руб\.|коп\.|тыс\.|млн|чел\.|лет\b|дн(?:я|ей)\b|ч\.|мин\.|"
                rf"мес\.|кг|км|м\b)"), rf"\1{NBSP}\2"),
    # A dash never starts a line: «слово — слово», «01.09.2026 – 31.05.2027».
    (re.compile(rf"{_SP}+([{MDASH}{NDASH}]){_SP}"), rf"{NBSP}\1 "),
]

_HAS_WORK = re.compile(rf"[№§.{MDASH}{NDASH}\d]")


def typo(text: str) -> str:
    """Apply the Russian typesetting rules to one string (idempotent)."""
    if not text or not _HAS_WORK.search(text):
        return text
    for pattern, repl in _RULES:
        text = pattern.sub(repl, text)
    return text


def typo_tree(value):
    """`typo()` on every string inside dicts and lists (the template context)."""
    if isinstance(value, str):
        return typo(value)
    if isinstance(value, dict):
        return {k: typo_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typo_tree(v) for v in value]
    return value


def breakable_spaces_after_numero(text: str) -> list[str]:
    """Places where «№» is followed by an ordinary space or the end of a line (tests)."""
    return [m.group(0) for m in re.finditer(r"№(?:[ \t\n]|$)", text)]


def split_initials(text: str) -> list[str]:
    """Initials separated from a surname (or from each other) by a breakable space (tests)."""
    found = []
    for pattern in (
        rf"\b{_INITIAL}[ \t\n]+{_INITIAL}",
        rf"(?<![{_UP}{_LOW}.{NBSP}]){_INITIAL}(?:{NBSP}?{_INITIAL})?[ \t\n]+{_SURNAME}\b",
        rf"\b{_SURNAME}[ \t\n]+{_INITIAL}(?:{NBSP}?{_INITIAL})?(?![{_LOW}])",
    ):
        found += [m.group(0) for m in re.finditer(pattern, text)]
    return found
