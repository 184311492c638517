"""Big documents printed through LibreOffice: an order, a pair order of 300 pairs and a roadmap
of 60 items are converted to PDF; the page count is what a secretary expects and no table row
is split across pages (each row's first and last words land on the same page), the table
header repeats on every page of the table.

Needs LibreOffice (Debian package libreoffice-writer-nogui, installed by `make test`)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from documents.docx.context import build_context
from documents.docx.render import render_docx
from documents.docx.samples import sample_snapshot

pypdf = pytest.importorskip("pypdf", reason="pypdf is a test dependency (pip install pypdf)")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                       "apt-get install libreoffice-writer-nogui (`make test` installs it)"),
]


def to_pdf_pages(data: bytes, tmp_path: Path) -> list[str]:
    """Convert DOCX bytes with soffice (own profile, so parallel runs do not clash) and
    return the text of each PDF page."""
    src = tmp_path / "doc.docx"
    src.write_bytes(data)
    profile = tmp_path / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=240)
    reader = pypdf.PdfReader(io.BytesIO((tmp_path / "doc.pdf").read_bytes()))
    return [(page.extract_text() or "").replace("\u00a0", " ") for page in reader.pages]


def _page_of(pages: list[str], token: str) -> int:
    found = [i for i, text in enumerate(pages) if token in text]
    assert len(found) == 1, f"{token!r} on pages {found}"
    return found[0]


def test_order_prints_on_its_pages_with_the_sheet_and_appendix(tmp_path):
    pages = to_pdf_pages(render_docx("order", build_context(sample_snapshot("order"))),
                         tmp_path)
    # The order itself, its appendix, then the acquaintance sheet on a page of its own: the
    # act's last sheet (api.md: the DOCX ends with it)
    assert len(pages) == 3
    assert "ПРИКАЗЫВАЮ" in pages[0] and "ЛИСТ ОЗНАКОМЛЕНИЯ" not in pages[0]
    assert "Приложение № 1" in pages[1] and "ЛИСТ ОЗНАКОМЛЕНИЯ" not in pages[1]
    assert "ЛИСТ ОЗНАКОМЛЕНИЯ" in pages[2]
    assert "Соколова Анна Викторовна" in pages[0]  # the executor mark on the order's page


def _pairs(n: int) -> list[dict]:
    return [{"mentor_name": f"Наставникова НАЧАЛО{i:04d} Ивановна",
             "mentor_position": "учитель математики",
             "mentor_category": "teacher",
             "mentee_names": [f"Петрова Анна{' Сергеевна' * (1 + i % 3)}",
                              f"Сидоров Олег Викторович КОНЕЦ{i:04d}"],
             "mentee_details": "",
             "form_title": "учитель – учитель", "role_model": "опытный педагог – молодой специалист",
             "start": "2026-09-01", "end": "2027-05-31"} for i in range(1, n + 1)]


def test_pair_order_of_300_pairs_never_splits_a_row(tmp_path):
    snapshot = sample_snapshot("pair_order")
    snapshot["pairs"] = _pairs(300)
    pages = to_pdf_pages(render_docx("pair_order", build_context(snapshot)), tmp_path)
    table_pages = [i for i, text in enumerate(pages) if "НАЧАЛО" in text]
    assert 20 <= len(pages) <= 80, len(pages)
    for i in range(1, 301):
        assert _page_of(pages, f"НАЧАЛО{i:04d}") == _page_of(pages, f"КОНЕЦ{i:04d}"), i
    for page in table_pages:  # the header row repeats on every page of the table
        assert "Наставник" in pages[page] and "Срок" in pages[page]
    sheet = _page_of(pages, "ЛИСТ ОЗНАКОМЛЕНИЯ")  # the act's last sheets, after the table
    assert sheet > max(table_pages) and "Фамилия, инициалы" in pages[-1]
    # The term never leaves its dash alone on a line.
    assert "01.09.2026 –" in pages[table_pages[0]]


def test_roadmap_of_60_items_never_splits_a_row(tmp_path):
    snapshot = sample_snapshot("roadmap")
    sections = [{"number": str(s), "title": f"Раздел {s}"} for s in range(1, 7)]
    items = [{"number": f"{1 + i // 10}.{1 + i % 10}", "section": str(1 + i // 10),
              "activity": f"НАЧАЛО{i:03d} " + "Проведение методического семинара для "
              "наставников и наставляемых. " * (1 + i % 4) + f"КОНЕЦ{i:03d}",
              "deadline_text": "до 15.10.2026", "responsible_text": "Кузнецова Е. С.",
              "result_text": "Протокол"} for i in range(60)]
    snapshot["roadmap"] = dict(snapshot["roadmap"], sections=sections, items=items)
    pages = to_pdf_pages(render_docx("roadmap", build_context(snapshot)), tmp_path)
    assert 5 <= len(pages) <= 30, len(pages)
    assert "Управление образования" in pages[0]  # the organisation header on top
    for i in range(60):
        assert _page_of(pages, f"НАЧАЛО{i:03d}") == _page_of(pages, f"КОНЕЦ{i:03d}"), i
