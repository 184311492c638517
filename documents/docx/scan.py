"""Static inspection of the Jinja code inside a DOCX template.

The sandbox already blocks internals at render time; this scan refuses such templates at
upload, with a message naming the construct and the part, and lists the variables used.
"""

from __future__ import annotations

import re

from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, meta, nodes
from jinja2.exceptions import TemplateError

from documents.docx.env import DocumentEnvironment
from documents.docx.errors import TemplateInvalid, TemplateUnsafe

FORBIDDEN_NAMES = frozenset({
    "self", "cycler", "joiner", "namespace", "lipsum", "config", "request", "session",
    "url_for", "get_flashed_messages", "os", "sys", "builtins", "importlib",
    "subprocess", "eval", "exec", "open", "getattr", "globals", "locals", "vars",
    "caller", "varargs", "kwargs",
})
FORBIDDEN_ATTRS = frozenset({
    "mro", "format", "format_map", "globals", "func_globals", "gi_frame", "gi_code",
    "f_locals", "f_globals", "f_back", "co_code", "tb_frame", "im_func", "func_code",
    "subclasses", "environment", "module", "attr", "popen", "system", "import_module",
    "load_module", "getattribute", "builtins", "os", "sys", "request", "config",
})
FORBIDDEN_FILTERS = frozenset({"attr", "format", "safe", "pprint", "xmlattr"})
FORBIDDEN_NODES = {
    nodes.Extends: "подключение другого шаблона (extends)",
    nodes.Include: "подключение другого шаблона (include)",
    nodes.Import: "импорт шаблона (import)",
    nodes.FromImport: "импорт шаблона (from … import)",
    nodes.Macro: "макросы (macro)",
    nodes.CallBlock: "вызов макроса (call)",
    nodes.ScopedEvalContextModifier: "отключение экранирования (autoescape)",
    nodes.EvalContextModifier: "отключение экранирования (autoescape)",
    nodes.Pow: "возведение в степень (**)",
}
MAX_CONSTANT = 100_000
MAX_RANGE = 1_000
_TAGS = re.compile(r"<[^>]+>")
_PATCHER = DocxTemplate.__new__(DocxTemplate)


def patched_source(xml: str) -> str:
    """The Jinja source docxtpl would render: split runs merged, {%tr %} etc. applied."""
    return _PATCHER.patch_xml(xml)


def has_jinja(source: str) -> bool:
    return "{{" in source or "{%" in source or "{#" in source


def _unsafe(part: str, what: str) -> TemplateUnsafe:
    return TemplateUnsafe(f"Недопустимая конструкция в шаблоне ({part}): {what}")


def _bad_name(name: str) -> bool:
    lowered = name.lower()
    return name.startswith("_") or "__" in name or lowered in FORBIDDEN_ATTRS


def check_ast(tree: nodes.Template, part: str) -> None:
    """Refuse any construct that could reach Python internals or exhaust resources."""
    for node in tree.find_all(nodes.Node):
        for node_type, what in FORBIDDEN_NODES.items():
            if isinstance(node, node_type):
                raise _unsafe(part, what)
        if isinstance(node, nodes.Name):
            if node.name in FORBIDDEN_NAMES or node.name.startswith("_"):
                raise _unsafe(part, f"обращение к «{node.name}»")
        elif isinstance(node, nodes.Getattr) and _bad_name(node.attr):
            raise _unsafe(part, f"обращение к атрибуту «{node.attr}»")
        elif isinstance(node, nodes.Getitem):
            _check_getitem(node, part)
        elif isinstance(node, (nodes.Filter, nodes.Test)):
            if node.name in FORBIDDEN_FILTERS or node.name.startswith("_"):
                raise _unsafe(part, f"фильтр «{node.name}»")
        elif isinstance(node, nodes.Const):
            _check_const(node.value, part)
        elif isinstance(node, nodes.Call):
            _check_call(node, part)


def _check_getitem(node: nodes.Getitem, part: str) -> None:
    arg = node.arg
    if isinstance(arg, nodes.Const):
        if isinstance(arg.value, str) and _bad_name(arg.value):
            raise _unsafe(part, f"обращение к элементу «{arg.value}»")
    elif not isinstance(arg, (nodes.Name, nodes.Getattr, nodes.Slice)):
        raise _unsafe(part, "вычисляемое имя при обращении к элементу")


def _check_const(value: object, part: str) -> None:
    if isinstance(value, str) and ("__" in value or value.lower() in FORBIDDEN_ATTRS
                                   or value in FORBIDDEN_FILTERS):
        raise _unsafe(part, f"строка «{value}»")
    if isinstance(value, (int, float)) and not isinstance(value, bool) \
            and abs(value) > MAX_CONSTANT:
        raise _unsafe(part, f"слишком большое число {value}")


def _check_call(node: nodes.Call, part: str) -> None:
    if isinstance(node.node, nodes.Name) and node.node.name == "range":
        for arg in node.args:
            if not (isinstance(arg, nodes.Const) and isinstance(arg.value, int)
                    and abs(arg.value) <= MAX_RANGE):
                raise _unsafe(part, f"range() допускается только с числами до {MAX_RANGE}")
        if node.kwargs or node.dyn_args or node.dyn_kwargs:
            raise _unsafe(part, "range() с вычисляемыми аргументами")


def _snippet(source: str, lineno: int | None) -> str:
    if not lineno:
        return ""
    lines = source.splitlines()
    text = _TAGS.sub("", lines[lineno - 1] if 0 < lineno <= len(lines) else "").strip()
    return f" — «{text[:120]}»" if text else ""


def inspect_source(env: DocumentEnvironment, source: str, part: str) -> set[str]:
    """Parse, check and compile one part's Jinja source; return its undeclared names."""
    try:
        tree = env.parse(source)
    except TemplateSyntaxError as exc:
        raise TemplateInvalid(
            f"Синтаксическая ошибка в шаблоне ({part}): {exc.message}"
            f"{_snippet(source, exc.lineno)}") from exc
    check_ast(tree, part)
    try:
        env.compile(tree)
    except TemplateError as exc:
        raise TemplateInvalid(f"Ошибка в шаблоне ({part}): {exc.message}") from exc
    return set(meta.find_undeclared_variables(tree))
