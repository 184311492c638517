"""The one Jinja environment every DOCX template is rendered and parsed with.

A sandbox (no Python internals), autoescape (user text cannot inject WordprocessingML),
StrictUndefined (a typo or a blocked attribute fails loudly instead of printing nothing),
and arithmetic that cannot be used to exhaust memory or CPU.
"""

from __future__ import annotations

import operator
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from documents.docx.policy import check_ast

MAX_POWER_EXPONENT = 64
MAX_SEQUENCE_REPEAT = 100_000  # characters or items a `*` may produce

# Globals that only serve to reach internals or burn CPU; templates never need them.
REMOVED_GLOBALS = ("lipsum", "cycler", "joiner", "namespace")
# `safe` would let a template switch autoescape off for user text.
REMOVED_FILTERS = ("safe",)


class DocumentEnvironment(ImmutableSandboxedEnvironment):
    """Sandboxed, autoescaping environment with bounded `*` and `**`."""

    intercepted_binops = frozenset({"*", "**"})

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        # Every compile goes through here (docxtpl calls from_string per part), so the
        # policy applies even to templates that were never validated.
        tree = super()._parse(source, name, filename)
        check_ast(tree)
        return tree

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
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
