"""DOCX documents: snapshot → context, safe rendering, upload validation, previews.

Every template, built-in (templates_docx/) or uploaded, renders in one sandboxed,
autoescaping Jinja environment; uploads are validated before they are stored.
"""

from documents.docx.context import KIND_VARIABLES, build_context
from documents.docx.errors import DocxError, RenderError, TemplateInvalid, TemplateUnsafe
from documents.docx.preview import docx_to_html, docx_to_pdf, libreoffice_available
from documents.docx.render import render_docx
from documents.docx.validate import TemplateInfo, validate_template

__all__ = [
    "KIND_VARIABLES",
    "DocxError",
    "RenderError",
    "TemplateInfo",
    "TemplateInvalid",
    "TemplateUnsafe",
    "build_context",
    "docx_to_html",
    "docx_to_pdf",
    "libreoffice_available",
    "render_docx",
    "validate_template",
]
