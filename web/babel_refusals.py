"""A pybabel extractor for the workflow layer's refusals (babel.cfg, «refusals»).

The use cases raise ``Forbidden("…")``, ``NotFound("…")`` and the other
:class:`workflow.errors.WorkflowError` kinds with a Russian sentence for people. The API
answers it as it is (api.md: Russian text for people); a page shows it through
``web.views.errors.refusal``, which looks it up in the catalogue, so a whole sentence written
as one literal is translated on English pages; so is a template with ``params``
(``BadInput("… %(n)s …", params={"n": 10})``), whose values fill the translation too. A
message built at run time (an f-string, or literals joined with one) cannot be looked up and
is not extracted.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from workflow import errors

#: the refusals' class names: WorkflowError and every kind of it
KINDS = frozenset(name for name, value in vars(errors).items()
                  if isinstance(value, type) and issubclass(value, errors.WorkflowError))


def extract(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    tree = ast.parse(fileobj.read().decode("utf-8"))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        first = node.args[0]
        if name in KINDS and isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield node.lineno, None, first.value, []
