"""Static inspection of the Jinja code inside a DOCX template.

Runs docxtpl's own preprocessing (split runs, {%tr %} tags) so it sees exactly what would
be rendered; refuses unsafe code naming the part, and lists the variables used.
"""

from __future__ import annotations

import re

from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, meta
from jinja2.exceptions import TemplateError
from jinja2.parser import Parser

from documents.docx.env import DocumentEnvironment
from documents.docx.errors import TemplateInvalid
from documents.docx.policy import check_ast

_TAGS = re.compile(r"<[^>]+>")
_UNKNOWN = re.compile(r"No (filter|test) named '([^']+)'")
_PATCHER = DocxTemplate.__new__(DocxTemplate)


def patched_source(xml: str) -> str:
    """The Jinja source docxtpl would render: split runs merged, {%tr %} etc. applied."""
    return _PATCHER.patch_xml(xml)


def has_jinja(source: str) -> bool:
    return "{{" in source or "{%" in source or "{#" in source


def _snippet(source: str, lineno: int | None) -> str:
    if not lineno:
        return ""
    lines = source.splitlines()
    text = _TAGS.sub("", lines[lineno - 1] if 0 < lineno <= len(lines) else "").strip()
    return f" — «{text[:120]}»" if text else ""


def inspect_source(env: DocumentEnvironment, source: str, part: str) -> set[str]:
    """Parse, check and compile one part's Jinja source; return its undeclared names."""
    try:
        tree = Parser(env, source).parse()  # env.parse would check without naming the part
    except TemplateSyntaxError as exc:
        raise TemplateInvalid(
            f"Синтаксическая ошибка в шаблоне ({part}): {exc.message}{_snippet(source, exc.lineno)}"
        ) from exc
    check_ast(tree, part)
    try:
        env.compile(tree)
    except TemplateError as exc:
        found = _UNKNOWN.search(str(exc.message))
        what = (
            (f"неизвестный {'фильтр' if found.group(1) == 'filter' else 'тест'} «{found.group(2)}»")
            if found
            else str(exc.message)
        )
        raise TemplateInvalid(f"Ошибка в шаблоне ({part}): {what}") from exc
    return set(meta.find_undeclared_variables(tree))
