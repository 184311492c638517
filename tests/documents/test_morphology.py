"""Grammar of the acts with pymorphy3: names in the accusative and dative (male, female,
indeclinable, double surnames, already abbreviated), «обучающийся/обучающаяся», the grif
agreeing with the act, numerals, positions and duties."""

from __future__ import annotations

import pytest

from documents.docx import morphology as m

NAMES = [
    # (nominative, accusative, dative)
    ("Петрова Анна Михайловна", "Петрову Анну Михайловну", "Петровой Анне Михайловне"),
    ("Иванов Сергей Петрович", "Иванова Сергея Петровича", "Иванову Сергею Петровичу"),
    ("Кузнецова Елена Сергеевна", "Кузнецову Елену Сергеевну", "Кузнецовой Елене Сергеевне"),
    ("Морозов Андрей Павлович", "Морозова Андрея Павловича", "Морозову Андрею Павловичу"),
    ("Смирнова Ксения Константиновна", "Смирнову Ксению Константиновну",
     "Смирновой Ксении Константиновне"),
    ("Лебедев Дмитрий Олегович", "Лебедева Дмитрия Олеговича", "Лебедеву Дмитрию Олеговичу"),
    ("Волкова Любовь Юрьевна", "Волкову Любовь Юрьевну", "Волковой Любови Юрьевне"),
    ("Петров Илья Никитич", "Петрова Илью Никитича", "Петрову Илье Никитичу"),
    ("Жуков Лев Петрович", "Жукова Льва Петровича", "Жукову Льву Петровичу"),
    ("Гоголь Николай Васильевич", "Гоголя Николая Васильевича", "Гоголю Николаю Васильевичу"),
    ("Цой Виктор Робертович", "Цоя Виктора Робертовича", "Цою Виктору Робертовичу"),
    # indeclinable surnames
    ("Черных Ольга Ивановна", "Черных Ольгу Ивановну", "Черных Ольге Ивановне"),
    ("Черных Игорь Иванович", "Черных Игоря Ивановича", "Черных Игорю Ивановичу"),
    ("Шевченко Тарас Григорьевич", "Шевченко Тараса Григорьевича",
     "Шевченко Тарасу Григорьевичу"),
    ("Дюма Мария Ивановна", "Дюма Марию Ивановну", "Дюма Марии Ивановне"),
    # a consonant-final surname declines for a man, not for a woman
    ("Ковальчук Олег Иванович", "Ковальчука Олега Ивановича", "Ковальчуку Олегу Ивановичу"),
    ("Ковальчук Мария Сергеевна", "Ковальчук Марию Сергеевну", "Ковальчук Марии Сергеевне"),
    # double surnames: each part declines
    ("Римская-Корсакова Вера Андреевна", "Римскую-Корсакову Веру Андреевну",
     "Римской-Корсаковой Вере Андреевне"),
    ("Салтыков-Щедрин Михаил Евграфович", "Салтыкова-Щедрина Михаила Евграфовича",
     "Салтыкову-Щедрину Михаилу Евграфовичу"),
    # already abbreviated: both initials are kept
    ("Белова Н. Г.", "Белову Н. Г.", "Беловой Н. Г."),
]


@pytest.mark.parametrize(("nominative", "accusative", "dative"), NAMES)
def test_names_in_accusative_and_dative(nominative, accusative, dative):
    assert m.inflect_name(nominative, "accs") == accusative
    assert m.inflect_name(nominative, "datv") == dative
    assert m.inflect_name(nominative, "nomn") == nominative


def test_twenty_names_cover_both_genders():
    genders = [m.person_gender(n) for n, _a, _d in NAMES]
    assert len(NAMES) == 20 and genders.count("masc") >= 8 and genders.count("femn") >= 8


@pytest.mark.parametrize(("gender", "case", "word"), [
    ("masc", "nomn", "обучающийся"), ("femn", "nomn", "обучающаяся"),
    ("masc", "accs", "обучающегося"), ("femn", "accs", "обучающуюся"),
    ("femn", "datv", "обучающейся"), ("masc", "datv", "обучающемуся"),
])
def test_student_word_by_gender(gender, case, word):
    assert m.student_word(gender, case) == word


def test_student_word_from_a_name():
    assert m.student_word(m.person_gender("Соколова Вера Андреевна")) == "обучающаяся"
    assert m.student_word(m.person_gender("Лебедев Максим Олегович")) == "обучающийся"


@pytest.mark.parametrize(("kind", "word"), [
    ("regulation", "УТВЕРЖДЕНО"), ("incentive_scheme", "УТВЕРЖДЕНО"),
    ("programme", "УТВЕРЖДЕНА"), ("roadmap", "УТВЕРЖДЕНА"), ("plan", "УТВЕРЖДЕН"),
    ("order", ""), ("pair_order", ""),
])
def test_grif_agrees_with_the_act(kind, word):
    assert m.grif_word(kind) == word


def test_agree_with_any_noun_keeps_letter_case():
    assert m.agree("утвержден", "положение") == "утверждено"
    assert m.agree("СОГЛАСОВАН", "программа") == "СОГЛАСОВАНА"
    assert m.agree("Утвержден", "план мероприятий") == "Утвержден"


@pytest.mark.parametrize(("n", "noun", "text"), [
    (42, "событие", "42\u00a0события"), (5, "год", "5\u00a0лет"), (1, "год", "1\u00a0год"),
    (3, "пара", "3\u00a0пары"), (21, "день", "21\u00a0день"), (11, "наставник", "11\u00a0наставников"),
])
def test_numerals_with_nouns(n, noun, text):
    assert m.with_number(n, noun) == text


@pytest.mark.parametrize(("position", "accusative"), [
    ("заместитель директора по УВР", "заместителя директора по УВР"),
    ("учитель математики", "учителя математики"),
    ("старший воспитатель", "старшего воспитателя"),
    ("социальный педагог", "социального педагога"),
    ("педагог-психолог", "педагога-психолога"),
])
def test_positions_in_the_accusative(position, accusative):
    assert m.inflect_phrase_head(position, "accs") == accusative


@pytest.mark.parametrize(("duty", "clause"), [
    ("организация формирования базы наставников и наставляемых",
     "Организовать формирование базы наставников и наставляемых."),
    ("мониторинг реализации программ наставничества",
     "Осуществлять мониторинг реализации программ наставничества."),
    ("подготовка ежегодного отчёта", "Подготовить ежегодный отчёт."),
    ("проведение стратегической сессии", "Провести стратегическую сессию."),
    ("Обеспечить размещение информации на сайте;", "Обеспечить размещение информации на сайте."),
])
def test_duties_become_capitalised_infinitive_clauses(duty, clause):
    assert m.duty_clause(duty) == clause


@pytest.mark.parametrize("title, genitive, accusative", [
    ("Положение о наставничестве", "Положения о наставничестве", "Положение о наставничестве"),
    ("Программа наставничества", "Программы наставничества", "Программу наставничества"),
    ("Дорожная карта внедрения", "Дорожной карты внедрения", "Дорожную карту внедрения"),
    ("Порядок поощрения наставников", "Порядка поощрения наставников",
     "Порядок поощрения наставников"),
    ("2026: план", "документа «2026: план»", "документ «2026: план»"),
])
def test_act_titles_in_an_approving_order(title, genitive, accusative):
    assert m.title_cases(title) == (genitive, accusative)
