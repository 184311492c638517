"""The workflow of a kind as a picture.

``mermaid()`` asks the ``transitions`` diagrams extension (Mermaid engine: no Graphviz needed)
for the text description; ``svg()`` draws the same machine server-side with a small fixed
layout, so the page needs no JavaScript and no ``dot`` binary.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from html import escape

from workflow.engine import machine

STATE_TITLES = {
    "draft": "черновик",
    "on_approval": "на утверждении",
    "approved": "утверждён",
    "signed": "подписан",
    "under_municipal_review": "на проверке в управлении",
    "accepted": "принят",
    "returned": "возвращён",
    "cancelled": "отменён",
}

#: Short verbs for the arrows and the buttons.
EVENT_VERBS = {
    "submit": "на утверждение",
    "approve": "утвердить",
    "reject": "вернуть",
    "sign": "подписать",
    "send_to_municipality": "направить в управление",
    "accept": "принять",
    "return_for_revision": "вернуть на доработку",
    "revise": "доработать",
    "cancel": "отменить",
    "recall": "отозвать",
}

# Grid cells (column, row) of the known states; unknown ones are appended on a third row.
_CELLS = {
    "draft": (0, 0), "on_approval": (1, 0), "approved": (2, 0), "signed": (3, 0),
    "under_municipal_review": (4, 0), "accepted": (5, 0),
    "returned": (4, 1), "cancelled": (5, 1),
}
_W, _H, _GX, _GY, _PAD = 150, 58, 265, 150, 20


def mermaid(kind: str, current: str | None = None) -> str:
    """Mermaid ``stateDiagram-v2`` text from the transitions extension."""
    from transitions.extensions.diagrams import GraphMachine

    spec = machine.describe(kind)

    class _Model:
        pass

    model = _Model()
    GraphMachine(model=model, states=list(spec["states"]), initial=current or "draft",
                 transitions=[{"trigger": t["event"], "source": t["source"], "dest": t["dest"]}
                              for t in spec["transitions"]],
                 graph_engine="mermaid", auto_transitions=False, show_state_attributes=False,
                 title=kind)
    return model.get_graph().draw(None)


def _positions(states: list[str]) -> dict[str, tuple[float, float]]:
    pos, extra = {}, 0
    for state in states:
        col, row = _CELLS.get(state, (None, None))
        if col is None:
            col, row, extra = extra, 2, extra + 1
        pos[state] = (_PAD + col * _GX, _PAD + 72 + row * _GY)  # room above for an arc's label
    return pos


def _edge(p0, c, p2, label: str, cls: str, anchor: str = "middle", dx: float = 0) -> str:
    path = f"M{p0[0]:.0f},{p0[1]:.0f} Q{c[0]:.0f},{c[1]:.0f} {p2[0]:.0f},{p2[1]:.0f}"
    lx = 0.25 * p0[0] + 0.5 * c[0] + 0.25 * p2[0] + dx
    ly = 0.25 * p0[1] + 0.5 * c[1] + 0.25 * p2[1]
    lines = _lines(label, 14)
    top = ly - 6 - (len(lines) - 1) * 15 if anchor == "middle" else ly - (len(lines) - 1) * 6
    text = "".join(f'<text x="{lx:.0f}" y="{top + i * 15:.0f}" text-anchor="{anchor}" '
                   f'font-size="13" fill="#495057">{escape(part)}</text>'
                   for i, part in enumerate(lines))
    return (f'<path class="wf-edge {cls}" d="{path}" fill="none" stroke="#6c757d" '
            f'stroke-width="1.5" marker-end="url(#wf-arrow)"/><g class="wf-label">{text}</g>')


def _route(pos, src: str, dst: str):
    """(start, control, end, label anchor, label dx) of the arrow from ``src`` to ``dst``."""
    (sx, sy), (dx, dy) = pos[src], pos[dst]
    if sy == dy and dx > sx:  # forward on a row
        a, b = (sx + _W, sy + _H / 2), (dx, dy + _H / 2)
        return a, ((a[0] + b[0]) / 2, a[1]), b, "middle", 0
    if sy == dy:  # backwards on a row: an arc above
        a, b = (sx + _W / 2, sy), (dx + _W / 2, dy)
        return a, ((a[0] + b[0]) / 2, sy - 70), b, "middle", 0
    if dy > sy and sx == dx:  # straight down
        a, b = (sx + _W / 2, sy + _H), (dx + _W / 2, dy)
        return a, ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2), b, "start", 6
    if dy > sy:  # down and across: an arc under the lower row
        a, b = (sx + _W / 2, sy + _H), (dx + _W / 3, dy + _H)
        return a, ((a[0] + b[0]) / 2, dy + _H + 150), b, "middle", 0
    # up (e.g. returned -> draft): an arc under the first row
    a, b = (sx, sy + _H / 2), (dx + _W / 2, dy + _H)
    return a, (dx + _W / 2, sy + _H / 2), b, "middle", 0


def _lines(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line]


@lru_cache(maxsize=64)
def _svg_cached(kind: str, current: str | None, states_key: tuple, events_key: tuple) -> str:
    state_titles, event_titles = dict(states_key), dict(events_key)
    spec = machine.describe(kind)
    used = {t["source"] for t in spec["transitions"]} | {t["dest"] for t in spec["transitions"]}
    states = [s for s in spec["states"] if s in used]  # a roadmap item is never signed
    pos = _positions(states)
    width = max(x for x, _ in pos.values()) + _W + _PAD
    height = max(y for _, y in pos.values()) + _H + _PAD + 90
    parts = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" class="wf-diagram" viewBox="0 0 {width:.0f} '
         f'{height:.0f}" role="img" aria-label="{escape(kind)}">'),
        ('<defs><marker id="wf-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
         'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
         'fill="#6c757d"/></marker></defs>'),
    ]
    # one arrow per pair of states, naming every event it stands for (the director's
    # «вернуть» and the author's «отозвать» both lead from «на утверждении» to «черновик»:
    # two arrows on one arc wrote their labels over each other)
    arrows: dict[tuple[str, str], list[str]] = {}
    for t in spec["transitions"]:
        arrows.setdefault((t["source"], t["dest"]), []).append(t["event"])
    for (source, dest), events in arrows.items():
        a, c, b, anchor, dx = _route(pos, source, dest)
        label = ", ".join(event_titles.get(e, e) for e in events)
        parts.append(_edge(a, c, b, label, " ".join(f"wf-ev-{e}" for e in events), anchor, dx))
    for state in states:
        x, y = pos[state]
        active = state == current
        fill, stroke, color = ("#0d6efd", "#0a58ca", "#ffffff") if active else \
            ("#f8f9fa", "#adb5bd", "#212529")
        cls = "wf-state wf-current" if active else "wf-state"
        parts.append(
            f'<g class="{cls}" data-state="{escape(state)}"><rect x="{x}" y="{y}" width="{_W}" '
            f'height="{_H}" rx="10" fill="{fill}" stroke="{stroke}" stroke-width="2"/>'
            f'{_wrapped(state_titles.get(state, state), x + _W / 2, y + _H / 2, color)}</g>')
    parts.append("</svg>")
    return "".join(parts)


def _wrapped(text: str, cx: float, cy: float, color: str) -> str:
    lines = _lines(text, 16)
    top = cy - (len(lines) - 1) * 8 + 4
    return "".join(
        f'<text x="{cx:.0f}" y="{top + i * 16:.0f}" text-anchor="middle" font-size="15" '
        f'fill="{color}">{escape(part)}</text>' for i, part in enumerate(lines))


def svg(kind: str, current: str | None = None, state_titles: Mapping[str, str] | None = None,
        event_titles: Mapping[str, str] | None = None) -> str:
    """The machine of ``kind`` as an SVG string, ``current`` highlighted (labels translatable)."""
    states = tuple(sorted((state_titles or STATE_TITLES).items()))
    events = tuple(sorted((event_titles or EVENT_VERBS).items()))
    return _svg_cached(kind, current, states, events)
