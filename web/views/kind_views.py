"""The document kinds and the workflow of each as a picture."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import login_required
from markupsafe import Markup

from web.views import bp, labels
from workflow.engine import diagrams
from workflow.engine.kinds import KINDS


def workflow_svg(kind: str, current: str | None = None) -> Markup:
    """The server-drawn SVG (our own markup: every label is escaped in diagrams.svg)."""
    return Markup(diagrams.svg(kind, current, labels.as_str(labels.STATES),
                               {k: str(v).lower() for k, v in labels.BUTTONS.items()}))


@bp.get("/kinds")
@login_required
def kinds():
    return render_template("kinds/index.html", kinds=list(KINDS))


@bp.get("/kinds/<kind>")
@login_required
def kind_workflow(kind: str):
    if kind not in KINDS:
        abort(404)
    return render_template("kinds/workflow.html", kind=kind, svg=workflow_svg(kind),
                           mermaid=diagrams.mermaid(kind))
