"""The one Jinja environment every DOCX template is rendered and parsed with.

A sandbox (no Python internals), autoescape (user text cannot inject WordprocessingML),
StrictUndefined (a typo or a blocked attribute fails loudly instead of printing nothing),
and arithmetic that cannot be used to exhaust memory or CPU.
"""

from __future__ import annotations

import functools
import operator
from typing import Any

from jinja2 import StrictUndefined, Template, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from documents.docx import limits
from documents.docx.policy import check_ast

#: str methods whose first argument is the width of the result.
PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})

MAX_POWER_EXPONENT = 64
MAX_SEQUENCE_REPEAT = 100_000  # characters or items a `*` may produce

# Globals that only serve to reach internals or burn CPU; templates never need them.
REMOVED_GLOBALS = ("lipsum", "cycler", "joiner", "namespace")
# `safe` would let a template switch autoescape off for user text.
REMOVED_FILTERS = ("safe",)


class _BoundedCodeGenerator(CodeGenerator):
    """`~` concatenation goes through the environment, so its result size is checked."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        markup = "True" if frame.eval_ctx.autoescape else "False"
        if frame.eval_ctx.volatile:
            markup = "context.eval_ctx.autoescape"
        self.write("environment.bounded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(f"), {markup})")


def _bounded_loops(tree: nodes.Template) -> None:
    """Wrap every loop's iterable in limits.bounded_iter (counted, time-checked steps)."""
    for loop in tree.find_all(nodes.For):
        if loop.recursive:
            continue
        loop.iter = nodes.Call(nodes.EnvironmentAttribute("bounded_iter"), [loop.iter], [],
                               None, None, lineno=loop.lineno)


def _bounded_filter(name: str, func):
    def bounded(*args, **kwargs):
        limits.tick()
        if name == "center":
            limits.check_width(args[1] if len(args) > 1 else kwargs.get("width"))
        elif name == "indent":
            width = args[1] if len(args) > 1 else kwargs.get("width", 4)
            text = args[0] if args else ""
            if isinstance(width, int) and isinstance(text, str):
                limits.check_width(width * (text.count("\n") + 1) + len(text))
        elif name == "replace" and len(args) >= 3:
            text, old, new = (str(a) for a in args[:3])
            limits.check_width(len(text) + (text.count(old) + 1) * len(new))
        return limits.check_text(func(*args, **kwargs))

    for attr in ("jinja_pass_arg",):
        if hasattr(func, attr):
            setattr(bounded, attr, getattr(func, attr))
    return bounded


class DocumentEnvironment(ImmutableSandboxedEnvironment):
    """Sandboxed, autoescaping environment with bounded `*`, `**`, `~`, `+`, padding,
    `range`, loops, time and output (see limits.py)."""

    intercepted_binops = frozenset({"*", "**", "+"})
    code_generator_class = _BoundedCodeGenerator

    #: Compiled templates kept, by source: docxtpl compiles every part of a DOCX template
    #: (body, headers, footers, properties) on every render, which cost more than the
    #: render itself; the same part compiles to the same code. The policy checks and the
    #: limits are in that code, so a kept template is as bounded as a fresh one.
    KEPT_TEMPLATES = 64

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("finalize", limits.spend_output)
        super().__init__(*args, **kwargs)
        self.bounded_iter = limits.bounded_iter
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}
        self._compiled = functools.lru_cache(maxsize=self.KEPT_TEMPLATES)(
            super().from_string)

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None
                    ) -> Template:
        if isinstance(source, str) and globals is None and template_class is None:
            return self._compiled(source)
        return super().from_string(source, globals, template_class)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        # Every compile goes through here (docxtpl calls from_string per part), so the
        # policy applies even to templates that were never validated.
        tree = super()._parse(source, name, filename)
        check_ast(tree)
        _bounded_loops(tree)
        return tree

    @staticmethod
    def bounded_concat(parts: tuple, markup: bool) -> Any:
        from jinja2.runtime import markup_join, str_join

        limits.tick()
        if sum(len(p) for p in parts if isinstance(p, str)) > limits.MAX_TEXT:
            raise limits.breach("text_size")
        return limits.check_text(markup_join(parts) if markup else str_join(parts))

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        limits.tick()
        if obj is self.globals.get("range"):
            values = [a for a in args if isinstance(a, int)]
            span = range(*values) if len(values) == len(args) and args else range(0)
            limits.spend_range(len(span))
        owner = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", "")
        if isinstance(owner, str):
            if name in PADDING_METHODS:
                limits.check_width(args[0] if args else kwargs.get("width"))
            elif name == "replace" and len(args) >= 2:
                old, new = str(args[0]), str(args[1])
                limits.check_width(len(owner) + (owner.count(old) + 1) * len(new))
        return limits.check_text(super().call(context, obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        limits.tick()
        return super().getattr(obj, attribute)

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        limits.tick()
        if operator_name == "+":
            if isinstance(left, str) and isinstance(right, str) and (
                    len(left) + len(right) > limits.MAX_TEXT):
                raise limits.breach("text_size")
            return operator.add(left, right)
        if operator_name == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_POWER_EXPONENT:
                raise SecurityError("exponent too large")
            return operator.pow(left, right)
        if operator_name == "*":
            for seq, count in ((left, right), (right, left)):
                if (
                    isinstance(seq, (str, list, tuple))
                    and isinstance(count, int)
                    and count * max(len(seq), 1) > MAX_SEQUENCE_REPEAT
                ):
                    raise SecurityError("sequence repetition too large")
            return operator.mul(left, right)
        return super().call_binop(context, operator_name, left, right)


def make_environment() -> DocumentEnvironment:
    """Build a fresh environment (docxtpl mutates `autoescape` on the one it is given)."""
    env = DocumentEnvironment(autoescape=True, undefined=StrictUndefined)
    for name in REMOVED_GLOBALS:
        env.globals.pop(name, None)
    for name in REMOVED_FILTERS:
        env.filters.pop(name, None)
    return env
