"""Previews: HTML safe to embed; PDF only when LibreOffice is installed."""

from __future__ import annotations

import pytest

from documents.docx import preview
from documents.docx.context import build_context
from documents.docx.render import render_docx
from documents.docx.samples import sample_snapshot


def test_html_preview_shows_text_and_escapes_user_markup():
    snapshot = sample_snapshot("order")
    snapshot["fields"]["preamble"] = "<script>alert(1)</script> & <img src=x onerror=y>"
    html = preview.docx_to_html(render_docx("order", build_context(snapshot)))
    assert "ПРИКАЗЫВАЮ:" in html and "М.\u00a0П.\u00a0Иванова" in html
    assert "<script" not in html and "<img" not in html and "onerror=y>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img" in html


def test_html_preview_drops_links_and_attributes():
    assert preview._sanitize('<p class="x"><a href="javascript:1">t</a></p>') == "<p>t</p>"
    assert preview._sanitize('<td colspan="5" style="x">') == '<td colspan="5">'


def test_pdf_is_none_without_libreoffice(monkeypatch):
    monkeypatch.setattr(preview.shutil, "which", lambda name: None)
    assert preview.libreoffice_available() is False
    assert preview.docx_to_pdf(b"PK") is None


def test_pdf_conversion_failure_gives_none(monkeypatch, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(preview.shutil, "which", lambda name: str(fake))
    assert preview.libreoffice_available() is True
    assert preview.docx_to_pdf(b"PK") is None


def test_pdf_timeout_gives_none(monkeypatch, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 5\n")
    fake.chmod(0o755)
    monkeypatch.setattr(preview.shutil, "which", lambda name: str(fake))
    assert preview.docx_to_pdf(b"PK", timeout=0.5) is None


@pytest.mark.parametrize("kind", ["order"])
def test_pdf_uses_soffice_output(monkeypatch, tmp_path, kind):
    fake = tmp_path / "soffice"
    fake.write_text(
        '#!/bin/sh\nfor last; do :; done\nprintf "%%PDF-1.7 fake" > "${last%.docx}.pdf"\n'
    )
    fake.chmod(0o755)
    monkeypatch.setattr(preview.shutil, "which", lambda name: str(fake))
    assert preview.docx_to_pdf(b"PK") == b"%PDF-1.7 fake"
