"""Previews of a rendered DOCX: HTML for the browser, PDF when LibreOffice is present."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import mammoth

PDF_TIMEOUT_S = 60
_SOFFICE_NAMES = ("soffice", "libreoffice")
_ALLOWED_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "u",
    "s",
    "sub",
    "sup",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "ul",
    "ol",
    "li",
    "br",
    "span",
    "div",
    "blockquote",
}
_TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)([^>]*)>")
_KEEP_ATTRS = re.compile(r'\s(colspan|rowspan)="\d{1,3}"')
_STYLE_MAP = "p[style-name='Table Text'] => p:fresh"


def _sanitize(markup: str) -> str:
    """Keep a small tag whitelist with no attributes besides col/rowspan (no links, images)."""

    def keep(match: re.Match[str]) -> str:
        closing, tag, attrs = match.group(1), match.group(2).lower(), match.group(3)
        if tag not in _ALLOWED_TAGS:
            return ""
        kept = "" if closing else "".join(m.group(0) for m in _KEEP_ATTRS.finditer(attrs))
        return f"<{closing}{tag}{kept}>"

    return _TAG.sub(keep, markup)


def docx_to_html(data: bytes) -> str:
    """HTML fragment of the document, safe to embed in our pages (text escaped, no URLs)."""
    result = mammoth.convert_to_html(
        io.BytesIO(data),
        style_map=_STYLE_MAP,
        convert_image=mammoth.images.img_element(lambda image: {}),
    )
    return _sanitize(result.value)


def soffice_path() -> str | None:
    for name in _SOFFICE_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def libreoffice_available() -> bool:
    """True when `soffice` is on PATH (the embedded install may not have it)."""
    return soffice_path() is not None


def docx_to_pdf(data: bytes, timeout: float = PDF_TIMEOUT_S) -> bytes | None:
    """PDF via headless LibreOffice, or None when it is missing, fails or times out."""
    soffice = soffice_path()
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="nastavnik-pdf-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(data)
        # A private profile: parallel conversions must not share (and lock) one profile.
        profile = (work / "profile").as_uri()
        cmd = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            subprocess.run(
                cmd,
                cwd=work,
                capture_output=True,
                timeout=timeout,
                check=False,
                env={**os.environ, "HOME": str(work)},
            )
        except (subprocess.TimeoutExpired, OSError):
            return None
        target = work / "document.pdf"
        return target.read_bytes() if target.exists() else None
