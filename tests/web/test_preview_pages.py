"""A document's page as HTML (mammoth) inside the site chrome, and its PDF when LibreOffice is
installed (monkeypatched both ways)."""

from __future__ import annotations

import pytest

from tests.web.test_ui_pages import login, text
from workflow.files import previews


@pytest.fixture()
def browser(app):
    def make(user):
        c = app.test_client()
        assert login(c, user).status_code == 302
        return c

    return make


def test_preview_shows_the_document_text(browser, make_doc, monkeypatch):
    monkeypatch.setattr(previews, "libreoffice_available", lambda: True)
    doc = make_doc("signed", title="О наставничестве в школе")
    page = text(browser("director1").get(f"/documents/{doc}/preview"))
    assert 'data-test="preview"' in page
    assert "ПРИКАЗЫВАЮ" in page and "Назначить куратора." in page and "1-од" in page
    assert "Скачать PDF" in page and f"/documents/{doc}/pdf" in page
    assert previews.NO_PDF not in page
    assert 'class="navbar' in page  # inside the page chrome


def test_without_libreoffice_the_page_says_so_and_pdf_is_404(browser, make_doc, monkeypatch):
    monkeypatch.setattr(previews, "libreoffice_available", lambda: False)
    doc = make_doc("draft")
    c = browser("admin1")
    page = text(c.get(f"/documents/{doc}/preview"))
    assert "ПРОЕКТ" in page and "Скачать PDF" not in page
    assert "PDF недоступен: на сервере не установлен LibreOffice" in page
    resp = c.get(f"/documents/{doc}/pdf")
    assert resp.status_code == 404
    assert "PDF недоступен: на сервере не установлен LibreOffice" in text(resp)


def test_pdf_when_libreoffice_is_there(browser, make_doc, monkeypatch):
    monkeypatch.setattr(previews, "libreoffice_available", lambda: True)
    monkeypatch.setattr(previews, "docx_to_pdf", lambda data: b"%PDF-1.7 fake")
    doc = make_doc("draft")
    resp = browser("admin1").get(f"/documents/{doc}/pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.data.startswith(b"%PDF")


@pytest.mark.libreoffice
@pytest.mark.skipif(not previews.libreoffice_available(), reason="LibreOffice is not installed")
def test_real_pdf_conversion(browser, make_doc):
    doc = make_doc("signed")
    resp = browser("director1").get(f"/documents/{doc}/pdf")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF")


def test_failed_render_is_shown_on_the_preview(browser, make_doc, monkeypatch):
    from documents.docx import RenderError
    from workflow.files import rendering

    def broken(*args, **kwargs):
        raise RenderError("Шаблон сломан: проверка")

    monkeypatch.setattr(rendering, "render_version", broken)
    doc = make_doc("draft")
    page = text(browser("admin1").get(f"/documents/{doc}/preview"))
    assert 'data-test="render-error"' in page and "Шаблон сломан: проверка" in page
    assert "Сформировать заново" in page


def test_foreign_document_is_404(browser, make_doc):
    doc = make_doc("draft")
    c = browser("admin3")
    assert c.get(f"/documents/{doc}/preview").status_code == 404
    assert c.get(f"/documents/{doc}/pdf").status_code == 404
