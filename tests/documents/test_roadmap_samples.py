"""The roadmaps (the repository's own and the real ones of shared/samples, as DOCX and XLSX)
read exactly as their *.expected.json say."""

from __future__ import annotations

import json

import pytest

from documents.roadmaps import read_roadmap
from tests.samples import roadmap_dir, roadmap_periods

STEMS = sorted(roadmap_periods())


def _read(stem: str, ext: str) -> tuple[dict, dict]:
    folder = roadmap_dir(stem)
    expected = json.loads((folder / f"{stem}.expected.json").read_text(encoding="utf-8"))
    parsed = read_roadmap((folder / f"{stem}.{ext}").read_bytes(), f"{stem}.{ext}")
    return parsed.to_dict(), expected


@pytest.mark.parametrize("ext", ["docx", "xlsx"])
@pytest.mark.parametrize("stem", STEMS)
def test_sample_matches_expected(stem: str, ext: str) -> None:
    got, expected = _read(stem, ext)
    assert got["columns"] == expected["columns"]
    assert [s["number"] for s in got["sections"]] == expected["sections"]
    keys = set().union(*(item.keys() for item in expected["items"]))
    assert [{k: i[k] for k in keys} for i in got["items"]] == expected["items"]
    assert got["warnings"] == []


@pytest.mark.parametrize("stem", STEMS)
def test_docx_indicators_match_expected(stem: str) -> None:
    got, expected = _read(stem, "docx")
    rows = [[i["number"], i["name"], *i["targets"].values()] for i in got["indicators"]]
    assert rows == expected["kpis"]


def test_xlsx_without_indicator_table_has_no_indicators() -> None:
    # The XLSX copy of the 2022-2024 roadmap keeps only the plan, not the KPI table.
    got, _ = _read("roadmap_school_2022_2024", "xlsx")
    assert got["indicators"] == []


def test_indicator_years_units_and_values_are_strings() -> None:
    got, _ = _read("roadmap_school_2022_2024", "docx")
    first = got["indicators"][1]
    assert first["unit"] == "%"
    assert first["targets"] == {"2022": "60", "2023": "70", "2024": "85"}


@pytest.mark.parametrize("ext", ["docx", "xlsx"])
def test_sample_details(ext: str) -> None:
    got, _ = _read("roadmap_school_2022_2024", ext)
    assert got["title"].startswith("Дорожная карта внедрения целевой модели наставничества")
    assert got["sections"][0] == {"number": "1", "task": "", "result": "",
                                  "title": "Подготовка условий для запуска целевой модели "
                                           "наставничества"}
    item = next(i for i in got["items"] if i["number"] == "1.8")
    assert item["section"] == "1"
    assert item["responsible_text"] == "Петров А.М.\nСмирнова К.К."
    assert item["result_text"] == "Приказы ОО"
    assert item["row"] == (7 if ext == "docx" else 9)
    assert {i["section"] for i in got["items"]} == {"1", "2", "3", "4", "5"}


def test_rows_without_deadline_keep_empty_texts() -> None:
    got, _ = _read("roadmap_school_2020", "xlsx")
    item = next(i for i in got["items"] if i["number"] == "5.5")
    assert (item["deadline_text"], item["responsible_text"], item["result_text"]) == ("", "", "")
