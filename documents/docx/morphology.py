"""Russian grammar of the generated acts, done with a real morphology library (pymorphy3 and
its Russian dictionaries): names in any case, the grif word agreeing with the act, the
gendered «обучающийся», numerals with nouns, positions in the accusative, duties as
infinitive clauses.

Every function falls back to the text it was given when the library cannot tell: a wrong
guess is worse in an act than an unchanged word.
"""

from __future__ import annotations

import functools
import re

import pymorphy3

CASES = {"nomn", "gent", "datv", "accs", "ablt", "loct"}

#: The head noun of each kind's title: the grif «УТВЕРЖДЕН…» agrees with it.
KIND_NOUNS: dict[str, str] = {
    "order": "приказ",
    "curator_order": "приказ",
    "pair_order": "приказ",
    "regulation": "положение",
    "incentive_scheme": "положение",
    "programme": "программа",
    "roadmap": "дорожная карта",
    "plan": "план",
}

_WORD = re.compile(r"[А-Яа-яЁё]+")


@functools.lru_cache(maxsize=1)
def analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


def _match_case(word: str, pattern: str) -> str:
    """Give ``word`` the letter case of ``pattern`` (Title, UPPER or lower)."""
    if pattern.isupper() and len(pattern) > 1:
        return word.upper()
    if pattern[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _plain_yo(word: str) -> str:
    return word.replace("ё", "е").replace("Ё", "Е")


# --- gender ------------------------------------------------------------------------------

def _head(phrase: str):
    """The parse of the head noun of a phrase: its first noun in the nominative."""
    for token in _WORD.findall(phrase):
        for parse in analyzer().parse(token.lower()):
            if "NOUN" in parse.tag and "nomn" in parse.tag:
                return parse
    return None


def noun_gender(phrase: str) -> str:
    """Gender of the head noun of a phrase («дорожная карта» → femn): masc, femn or neut."""
    head = _head(phrase)
    return head.tag.gender if head is not None and head.tag.gender else "masc"


def kind_gender(kind: str) -> str:
    return noun_gender(KIND_NOUNS.get(kind, kind))


def agree(word: str, noun_or_kind: str) -> str:
    """A short participle or adjective agreeing with a noun or a document kind:
    agree("УТВЕРЖДЕН", "programme") → «УТВЕРЖДЕНА», agree("утвержден", "положение") →
    «утверждено». The letter case of ``word`` is kept; «ё» is written «е» as in grifs."""
    noun = KIND_NOUNS.get(noun_or_kind, noun_or_kind)
    gender = noun_gender(noun)
    head = _head(noun)
    plural = head is not None and "plur" in head.tag and "Pltm" not in head.tag
    wanted = {"PRTS", "plur"} if plural else {"PRTS", gender, "sing"}
    for parse in analyzer().parse(word.lower()):
        if parse.tag.POS not in ("PRTF", "PRTS", "ADJF", "ADJS"):
            continue
        grams = wanted if parse.tag.POS in ("PRTF", "PRTS") else (
            {"ADJS", "plur"} if plural else {"ADJS", gender})
        form = parse.inflect(grams)
        if form is not None:
            return _match_case(_plain_yo(form.word), word)
    return word


def grif_word(kind: str, verb: str = "УТВЕРЖДЕН") -> str:
    """The approval grif of an act: «УТВЕРЖДЕНО» for a regulation, «УТВЕРЖДЕНА» for a
    programme or a roadmap, «УТВЕРЖДЕН» for a plan; empty for orders (they are signed)."""
    if kind in ("order", "curator_order", "pair_order"):
        return ""
    return agree(verb, kind)


# --- people ------------------------------------------------------------------------------

def person_gender(full_name: str) -> str | None:
    """«masc»/«femn» from the patronymic, else the first name, else the surname; None if
    unknown (a foreign name without a patronymic, or only initials)."""
    parts = full_name.split()
    probes = [(parts[2], "Patr")] if len(parts) > 2 else []
    if len(parts) > 1:
        probes.append((parts[1], "Name"))
    if parts:
        probes.append((parts[0], "Surn"))
    for token, tag in probes:
        if token.endswith("."):
            continue
        genders = {p.tag.gender for p in analyzer().parse(token)
                   if tag in p.tag and "nomn" in p.tag and p.tag.gender in ("masc", "femn")}
        if len(genders) == 1:
            return genders.pop()
        if tag == "Patr":
            low = token.lower()
            if low.endswith(("вна", "чна", "кызы")):
                return "femn"
            if low.endswith(("вич", "ич", "оглы")):
                return "masc"
    return None


def _inflect_part(token: str, tag: str, gender: str | None, case: str) -> str:
    if not token or token.endswith(".") or case == "nomn":
        return token
    if "-" in token:  # double surname: each part declines on its own
        return "-".join(_inflect_part(t, tag, gender, case) for t in token.split("-"))
    parses = [p for p in analyzer().parse(token)
              if tag in p.tag and "nomn" in p.tag and "sing" in p.tag
              and (gender is None or gender in p.tag or "ms-f" in p.tag)]
    if not parses:
        if tag == "Surn" and gender == "femn":
            return token  # a woman's surname the dictionary does not know: left as is
        parses = [p for p in analyzer().parse(token) if "nomn" in p.tag and "sing" in p.tag
                  and "NOUN" in p.tag and (gender is None or gender in p.tag)]
        if not parses:
            return token
    parse = parses[0]
    if "Fixd" in parse.tag:
        return token
    form = parse.inflect({case})
    return _match_case(form.word, token) if form is not None else token


def inflect_name(full_name: str, case: str) -> str:
    """«Петрова Анна Михайловна» in ``case`` (accs → «Петрову Анну Михайловну»); the order
    of the parts and initials («Белова Н. Г.») are kept."""
    if case not in CASES:
        raise ValueError(f"unknown case {case!r}")
    parts = full_name.split()
    if not parts:
        return full_name
    gender = person_gender(full_name)
    tags = ["Surn", "Name", "Patr"]
    out = [_inflect_part(p, tags[i] if i < 3 else "Surn", gender, case)
           for i, p in enumerate(parts)]
    return " ".join(out)


def student_word(gender: str | None, case: str = "nomn") -> str:
    """«обучающийся» / «обучающаяся» (and their cases) by the person's gender."""
    parse = next(p for p in analyzer().parse("обучающийся") if "PRTF" in p.tag)
    grams = {case, "sing", "femn" if gender == "femn" else "masc"}
    if case == "accs" and gender != "femn":
        grams.add("anim")
    form = parse.inflect(grams)
    return form.word if form is not None else "обучающийся"


# --- phrases -----------------------------------------------------------------------------

def _noun_group(tokens: list[str], source: str):
    """The leading noun group of ``tokens`` in case ``source``: (adjective parses, noun parse,
    index after the noun), or None when the phrase does not start with one."""
    adjectives = []
    for i, token in enumerate(tokens):
        word = token.strip(",.;")
        parses = [p for p in analyzer().parse(word.lower()) if source in p.tag] if word else []
        adj = next((p for p in parses if p.tag.POS in ("ADJF", "PRTF")), None)
        noun = next((p for p in parses if p.tag.POS == "NOUN"), None)
        if adj is not None and i + 1 < len(tokens) and _has_noun(tokens[i + 1:], source):
            adjectives.append(adj)
            continue
        if noun is None:
            return None
        return adjectives, noun, i + 1
    return None


def _has_noun(tokens: list[str], source: str) -> bool:
    for token in tokens:
        parses = [p for p in analyzer().parse(token.strip(",.;").lower()) if source in p.tag]
        if any(p.tag.POS == "NOUN" for p in parses):
            return True
        if not any(p.tag.POS in ("ADJF", "PRTF") for p in parses):
            return False
    return False


def _regovern(phrase: str, source: str, case: str) -> str:
    tokens = phrase.split(" ")
    group = _noun_group(tokens, source)
    if group is None:
        return phrase
    adjectives, noun, end = group
    grams = {case, noun.tag.number or "sing"}
    noun_form = noun.inflect(grams | ({"anim"} if case == "accs" and "anim" in noun.tag
                                     else set()))
    if noun_form is None:
        return phrase
    agree_grams = {case, noun.tag.number or "sing"}
    if noun.tag.number != "plur" and noun.tag.gender:
        agree_grams.add(noun.tag.gender)
    if case == "accs" and (noun.tag.number == "plur" or noun.tag.gender == "masc"):
        agree_grams.add("anim" if "anim" in noun.tag else "inan")
    forms = [a.inflect(agree_grams) for a in adjectives] + [noun_form]
    out = []
    for token, form in zip(tokens[:end], forms):
        word = token.strip(",.;")
        out.append(token.replace(word, _match_case(form.word, word)) if form else token)
    return " ".join(out + tokens[end:])


def inflect_phrase_head(phrase: str, case: str) -> str:
    """Put the head of a noun phrase in ``case``: the leading adjectives and the first noun
    («старший воспитатель начальной школы» → «старшего воспитателя начальной школы»)."""
    return _regovern(phrase, "nomn", case)


def title_cases(title: str) -> tuple[str, str]:
    """An act's title in the genitive and the accusative, for an order's clauses
    («Положение о …» → «Положения о …», «Положение о …»; «Дорожная карта …» → «Дорожной
    карты …», «Дорожную карту …»); a title that does not start with a noun is quoted after
    «документ»."""
    if _noun_group(title.split(" "), "nomn") is None:
        return f"документа «{title}»", f"документ «{title}»"
    return _regovern(title, "nomn", "gent"), _regovern(title, "nomn", "accs")


def with_number(n: int, noun: str) -> str:
    """«42 события», «5 лет», «1 пара», «21 день»."""
    word = noun.split()[-1]
    parse = next((p for p in analyzer().parse(word) if p.tag.POS == "NOUN"), None)
    if parse is None:
        return f"{n}\u00a0{noun}"
    form = parse.make_agree_with_number(n)
    text = form.word if form is not None else word
    if parse.normal_form == "год" and "gent" in (form.tag if form else "") and "plur" in (
            form.tag if form else ""):
        text = "лет"
    return f"{n}\u00a0{' '.join(noun.split()[:-1] + [text])}".replace("\u00a0 ", "\u00a0")


#: Deverbal nouns that open a duty, and the verb that replaces them. ``True``: the noun
#: phrase that follows changes from the genitive to the accusative («организация работы»
#: → «организовать работу»); ``False``: the noun stays and is governed by a light verb.
DUTY_VERBS: dict[str, tuple[str, bool]] = {
    "организация": ("организовать", True),
    "формирование": ("сформировать", True),
    "подготовка": ("подготовить", True),
    "проведение": ("провести", True),
    "разработка": ("разработать", True),
    "обеспечение": ("обеспечить", True),
    "координация": ("координировать", True),
    "сопровождение": ("сопровождать", True),
    "размещение": ("разместить", True),
    "представление": ("представлять", True),
    "ведение": ("вести", True),
    "мониторинг": ("осуществлять мониторинг", False),
    "контроль": ("осуществлять контроль", False),
    "анализ": ("проводить анализ", False),
    "участие": ("принимать участие", False),
    "взаимодействие": ("осуществлять взаимодействие", False),
}


def duty_clause(text: str) -> str:
    """A duty as an infinitive clause with a capital letter and a full stop:
    «организация формирования базы наставников» → «Организовать формирование базы
    наставников.»; a clause that already starts with a verb is only capitalised."""
    text = text.strip().rstrip(";,.")
    if not text:
        return ""
    first, _, rest = text.partition(" ")
    entry = DUTY_VERBS.get(first.lower())
    if entry is not None:
        verb, regovern = entry
        if regovern and rest:
            rest = _genitive_to_accusative(rest)
        text = f"{verb} {rest}".strip()
    return text[:1].upper() + text[1:] + "."


def _genitive_to_accusative(phrase: str) -> str:
    """The leading genitive noun group of ``phrase`` in the accusative: «формирования базы
    наставников» → «формирование базы наставников»."""
    return _regovern(phrase, "gent", "accs")
