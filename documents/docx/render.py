"""Render a DOCX template (built-in or uploaded) with a plain context, safely.

docxtpl renders with plain Jinja unless given an environment, so every call goes through
the sandboxed, autoescaping environment of `env.py`; any failure becomes a RenderError
with a Russian message instead of a raw exception.
"""

from __future__ import annotations

import functools
import io
import zipfile
from importlib import resources
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError
from lxml import etree

from documents.docx import limits
from documents.docx.context import KIND_VARIABLES
from documents.docx.env import DocumentEnvironment, make_environment
from documents.docx.errors import RenderError, TemplateUnsafe
from documents.docx.ruformat import strip_invalid

FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_STRICT_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@functools.lru_cache(maxsize=16)
def builtin_template(kind: str) -> bytes:
    """Bytes of templates_docx/<kind>.docx, read once per process."""
    if kind not in KIND_VARIABLES:
        raise RenderError(f"Неизвестный вид документа: «{kind}»")
    try:
        return resources.files("templates_docx").joinpath(f"{kind}.docx").read_bytes()
    except OSError as exc:
        raise RenderError(f"Не найден шаблон документа вида «{kind}»") from exc


@functools.lru_cache(maxsize=1)
def environment() -> DocumentEnvironment:
    """One shared sandbox per process: Jinja environments are safe to share."""
    return make_environment()


@functools.lru_cache(maxsize=64)
def _patched(src_xml: str) -> str:
    """docxtpl's clean-up of a template part's XML before Jinja compiles it (a dozen regular
    expressions over the whole part, ~5 ms of a signing's CPU) depends on the XML alone — it
    reads nothing of the template object — so it is done once per part and kept."""
    return DocxTemplate.patch_xml(None, src_xml)  # type: ignore[arg-type]


class _StrictTemplate(DocxTemplate):
    """DocxTemplate that refuses broken XML instead of letting lxml 'recover' it, and cleans
    each template part's XML once per process (:func:`_patched`)."""

    def patch_xml(self, src_xml: str) -> str:
        return _patched(src_xml)

    def fix_tables(self, xml: str) -> Any:
        try:
            etree.fromstring(xml.encode("utf-8"), _STRICT_PARSER)
        except etree.XMLSyntaxError as exc:
            raise RenderError(f"Шаблон даёт повреждённый XML документа: {exc}") from exc
        return super().fix_tables(xml)


def render_docx(kind: str, context: dict[str, Any], template: bytes | None = None,
                time_limit: float = 30.0) -> bytes:
    """Render `kind` with `context`; template=None uses the built-in templates_docx/<kind>.docx.

    Bounded by limits.py; ``time_limit`` is short for the trial render of an upload."""
    data = builtin_template(kind) if template is None else template
    if kind not in KIND_VARIABLES:
        raise RenderError(f"Неизвестный вид документа: «{kind}»")
    plain = plain_context(context)
    try:
        tpl = _StrictTemplate(io.BytesIO(data))
        with limits.budget(time_limit):
            tpl.render(plain, environment())
        _check_footnotes(tpl)
        out = io.BytesIO()
        tpl.save(out)
    except RenderError:
        raise
    except Exception as exc:
        raise RenderError(describe_error(exc)) from exc
    return out.getvalue()


def _check_footnotes(tpl: DocxTemplate) -> None:
    """docxtpl stores rendered footnotes unparsed; make sure they are still XML."""
    for part in tpl.docx.part.package.parts:
        if part.content_type == FOOTNOTES_TYPE:
            blob = part.blob
            etree.fromstring(blob if isinstance(blob, bytes) else blob.encode(), _STRICT_PARSER)


def describe_error(exc: BaseException) -> str:
    """A Russian message naming what went wrong in a template."""
    if isinstance(exc, TemplateUnsafe):
        return exc.message
    if isinstance(exc, SecurityError):
        return f"Шаблон обращается к недопустимым данным: {exc}"
    if isinstance(exc, UndefinedError):
        return f"В шаблоне используется неизвестная или недоступная переменная: {exc}"
    if isinstance(exc, TemplateSyntaxError):
        return f"Синтаксическая ошибка в шаблоне (строка {exc.lineno}): {exc.message}"
    if isinstance(exc, etree.XMLSyntaxError):
        return f"Шаблон даёт повреждённый XML: {exc}"
    if isinstance(exc, (OverflowError, MemoryError, RecursionError)):
        return "Шаблон требует слишком больших вычислений"
    if isinstance(exc, zipfile.BadZipFile) or (
        isinstance(exc, (KeyError, ValueError)) and "zip" in str(exc).lower()
    ):
        return "Файл шаблона не является документом DOCX"
    return f"Не удалось сформировать документ по шаблону: {type(exc).__name__}: {exc}"


def plain_context(value: Any, depth: int = 0) -> Any:
    """Copy `value` keeping only dict/list/str/int/float/bool/None; strip XML-invalid chars."""
    if depth > 20:
        raise RenderError("Слишком глубокая вложенность данных документа")
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return strip_invalid(value)
    if isinstance(value, dict):
        return {str(k): plain_context(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_context(v, depth + 1) for v in value]
    raise RenderError(f"Недопустимый тип данных в контексте документа: {type(value).__name__}")
