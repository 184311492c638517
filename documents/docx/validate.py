"""Validate an uploaded DOCX template before it is stored or rendered.

Container limits (zip bombs, macros, external links, DTDs) come first, then every XML part
— body, headers, footers, footnotes, document properties — is inspected as the Jinja
source docxtpl would render, and its variables are checked against the kind's context.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field

from docxtpl import DocxTemplate
from lxml import etree

from documents.docx import container
from documents.docx.context import KIND_VARIABLES
from documents.docx.errors import TemplateInvalid
from documents.docx.render import environment
from documents.docx.scan import has_jinja, inspect_source, patched_source


@dataclass(frozen=True)
class TemplateInfo:
    """What the upload form needs: a content hash and the variables the template uses."""

    sha256: str
    variables: list[str] = field(default_factory=list)


def validate_template(data: bytes, kind: str) -> TemplateInfo:
    """Accept `data` as a template of `kind` or raise TemplateInvalid / TemplateUnsafe."""
    if kind not in KIND_VARIABLES:
        raise TemplateInvalid(f"Неизвестный вид документа: «{kind}»")
    parts = container.read_parts(data)
    env = environment()
    used: set[str] = set()
    for name, raw in parts.items():
        text = container.decode_part(name, raw)
        root = container.parse_part(name, text)
        container.check_relationships(name, root)
        if name == "[Content_Types].xml":
            container.check_content_types(root)
        source = patched_source(etree.tostring(root, encoding="unicode"))
        if has_jinja(source):
            used |= inspect_source(env, source, name)
    used |= _docxtpl_variables(data)
    used -= set(env.globals)
    unknown = sorted(used - KIND_VARIABLES[kind])
    if unknown:
        allowed = ", ".join(sorted(KIND_VARIABLES[kind]))
        raise TemplateInvalid(
            f"Шаблон использует неизвестные переменные: {', '.join(unknown)}. "
            f"Допустимые переменные: {allowed}"
        )
    return TemplateInfo(sha256=hashlib.sha256(data).hexdigest(), variables=sorted(used))


def _docxtpl_variables(data: bytes) -> set[str]:
    """docxtpl's own view of the variables (body, headers, footers), as a cross-check."""
    try:
        return set(
            DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(
                jinja_env=environment()
            )
        )
    except Exception as exc:
        raise TemplateInvalid(f"Шаблон не удалось разобрать: {type(exc).__name__}: {exc}") from exc
