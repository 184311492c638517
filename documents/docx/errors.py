"""Exceptions of the DOCX layer; each carries a Russian message fit to show a user."""

from __future__ import annotations


class DocxError(Exception):
    """Base class: `message` is Russian text that names the problem."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RenderError(DocxError):
    """A template could not be rendered (syntax, undefined variable, sandbox refusal)."""


class TemplateInvalid(DocxError):
    """An uploaded file is not an acceptable DOCX template."""


class TemplateUnsafe(TemplateInvalid):
    """An uploaded template tries to reach Python internals or bypass the sandbox."""
