"""The scanner that hides minors' names from people outside their school finds a name only as
whole words — the same names, in the same places, as reading the text word by word, which is
what it did before it searched for the first words with one regular expression — and one
scanner of a municipality's minors redacts a school's document exactly as that school's own
scanner does."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.mentorship.minors import NameScanner, _forms

WORD = re.compile(r"[^\W\d_]+")


def word_by_word(scanner: NameScanner, text: str) -> str:
    """The reference: every word of the text looked up in the scanner's index."""
    out, pos = [], 0
    for m in WORD.finditer(text):
        start = m.start()
        if start < pos or m.group() not in scanner.index:
            continue
        for form, replacement, _org, _lead in scanner.index[m.group()]:
            end = start + len(form)
            if text.startswith(form, start) and not (end < len(text) and text[end].isalpha()):
                out += [text[pos:start], replacement]
                pos = end
                break
    out.append(text[pos:])
    return "".join(out)


def test_whole_words_only():
    scanner = NameScanner([("Иванов Иван Петрович", "student", "7Б"),
                           ("Иванова Ива Петровна", "student", "8А")], initials_first=True)
    kid, kid2 = "обучающийся 7Б класса", "обучающийся 8А класса"
    assert scanner.redact("Иванов Иван Петрович, 12 лет") == f"{kid}, 12 лет"
    assert scanner.redact("Иванова Ива Петровна") == kid2
    assert scanner.redact("Иванов Ивана") == "Иванов Ивана"  # another word, not the name
    assert scanner.redact("ПИванов Иван") == "ПИванов Иван"
    assert scanner.redact("7Иванов И.П.") == f"7{kid}"  # digits part words, as before
    assert scanner.redact("И. П. Иванов и Иван Иванов") == f"{kid} и {kid}"


SURNAMES = ["Ив", "Иванов", "Иванова", "Ли", "Smith", "Орлов"]
NAMES = ["Иван", "Ива", "Ирина", "John", "Дарья"]
PIECES = SURNAMES + NAMES + ["И.", "Д.", "J.", " ", ", ", "-", "7", "_", "а", "x", "\n", "«"]


def _texts(draw, names: list[str]) -> str:
    """A text of name pieces, punctuation and the people's own written forms."""
    forms = [f for name in names for f in _forms(name)]
    return "".join(draw(st.lists(st.sampled_from(PIECES) | st.sampled_from(forms),
                                 max_size=20)))


@settings(max_examples=300, deadline=None)
@given(people=st.lists(st.tuples(st.sampled_from(SURNAMES), st.sampled_from(NAMES),
                                 st.sampled_from(NAMES + [""])), min_size=1, max_size=4),
       initials_first=st.booleans(), data=st.data())
def test_the_same_as_reading_word_by_word(people, initials_first, data):
    names = [" ".join(p for p in person if p) for person in people]
    scanner = NameScanner([(name, "student", "5А") for name in names],
                          initials_first=initials_first)
    text = _texts(data.draw, names)
    assert scanner.redact(text) == word_by_word(scanner, text)


@settings(max_examples=300, deadline=None)
@given(people=st.lists(st.tuples(st.sampled_from(SURNAMES), st.sampled_from(NAMES),
                                 st.sampled_from(NAMES + [""]), st.sampled_from([1, 2]),
                                 st.sampled_from(["5А", "7Б"])), min_size=1, max_size=5),
       data=st.data())
def test_a_municipality_scanner_redacts_as_each_schools_own(people, data):
    rows = [(" ".join(p for p in person[:3] if p), "student", person[4]) for person in people]
    orgs = [person[3] for person in people]
    group = NameScanner(rows, initials_first=True, orgs=orgs)
    text = _texts(data.draw, [r[0] for r in rows])
    for org in (1, 2):
        own = NameScanner([r for r, o in zip(rows, orgs) if o == org], initials_first=True)
        assert group.redact(text, org_id=org) == own.redact(text)
    # a page: every school's minors, no form that starts with initials
    assert group.redact(text, initials=False) == NameScanner(rows).redact(text)
