"""What Jinja code a DOCX template may contain, checked on the parsed AST.

Applied twice: at upload (validate.py names the offending part) and at every compile in
the render environment (env.py), so even a template that skipped validation is refused
before it runs. Beyond the sandbox this refuses `self`, `cycler`/`joiner`/`lipsum`, the
`attr`/`format`/`safe` filters, dunder strings, `**`, huge numbers and template imports.
"""

from __future__ import annotations

from jinja2 import nodes

from documents.docx.errors import TemplateUnsafe

FORBIDDEN_NAMES = frozenset(
    {
        "self",
        "cycler",
        "joiner",
        "namespace",
        "lipsum",
        "config",
        "request",
        "session",
        "url_for",
        "get_flashed_messages",
        "os",
        "sys",
        "builtins",
        "importlib",
        "subprocess",
        "eval",
        "exec",
        "open",
        "getattr",
        "globals",
        "locals",
        "vars",
        "caller",
        "varargs",
        "kwargs",
    }
)
FORBIDDEN_ATTRS = frozenset(
    {
        "mro",
        "format",
        "format_map",
        "globals",
        "func_globals",
        "gi_frame",
        "gi_code",
        "f_locals",
        "f_globals",
        "f_back",
        "co_code",
        "tb_frame",
        "im_func",
        "func_code",
        "subclasses",
        "environment",
        "module",
        "attr",
        "popen",
        "system",
        "import_module",
        "load_module",
        "getattribute",
        "builtins",
        "os",
        "sys",
        "request",
        "config",
    }
)
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


def _unsafe(part: str, what: str) -> TemplateUnsafe:
    return TemplateUnsafe(f"Недопустимая конструкция в шаблоне ({part}): {what}")


def _bad_name(name: str) -> bool:
    lowered = name.lower()
    return name.startswith("_") or "__" in name or lowered in FORBIDDEN_ATTRS


def check_ast(tree: nodes.Template, part: str = "шаблон") -> None:
    """Refuse any construct that could reach Python internals or exhaust resources."""
    forbidden = tuple(FORBIDDEN_NODES)
    for node in tree.find_all(nodes.Node):
        if isinstance(node, forbidden):
            raise _unsafe(part, next(w for t, w in FORBIDDEN_NODES.items() if isinstance(node, t)))
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
    if isinstance(value, str) and (
        "__" in value or value.lower() in FORBIDDEN_ATTRS or value in FORBIDDEN_FILTERS
    ):
        raise _unsafe(part, f"строка «{value}»")
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and abs(value) > MAX_CONSTANT
    ):
        raise _unsafe(part, f"слишком большое число {value}")


def _check_call(node: nodes.Call, part: str) -> None:
    if isinstance(node.node, nodes.Name) and node.node.name == "range":
        for arg in node.args:
            if not (
                isinstance(arg, nodes.Const)
                and isinstance(arg.value, int)
                and abs(arg.value) <= MAX_RANGE
            ):
                raise _unsafe(part, f"range() допускается только с числами до {MAX_RANGE}")
        if node.kwargs or node.dyn_args or node.dyn_kwargs:
            raise _unsafe(part, "range() с вычисляемыми аргументами")
