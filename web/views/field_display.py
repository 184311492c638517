"""A kind's fields as a readable card: numbered clauses and sections, agreement grifs, lists."""

from __future__ import annotations

from dataclasses import dataclass, field

from web.views.kind_forms import Spec, kind_specs


@dataclass
class Row:
    number: int
    main: str
    heading: bool  # the first value is a heading (a section's title) rather than text
    meta: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""


@dataclass
class Block:
    name: str
    title: str
    type: str  # scalar | text | lines | rows | pairs
    value: object = None


def _show(spec: Spec, value: object) -> str:
    if value in (None, ""):
        return ""
    if spec.kind == "select":
        return dict(spec.choices).get(value, str(value))
    if spec.kind == "date":
        parts = str(value).split("-")
        return ".".join(reversed(parts)) if len(parts) == 3 else str(value)
    return str(value)


def _row(number: int, subs: tuple[Spec, ...], data: dict) -> Row:
    first, *rest = subs
    texts = [s for s in rest if s.kind == "text"]
    heading = first.kind == "str" and bool(texts)
    row = Row(number, _show(first, data.get(first.name)), heading)
    for s in rest:
        shown = _show(s, data.get(s.name))
        if s.kind == "text" and heading:
            row.body = shown
        elif shown:
            row.meta.append((s.title.split(" (")[0], shown))
    return row


#: Fields the document page shows in a card of their own (names, not ids).
SHOWN_ELSEWHERE = {"acquaintance_user_ids"}  # «Лист ознакомления»


def field_blocks(kind: str, fields: dict, pair_labels: dict[int, str] | None = None
                 ) -> list[Block]:
    out = []
    for spec in kind_specs(kind):
        value = (fields or {}).get(spec.name)
        if value in (None, "", []) or spec.name in SHOWN_ELSEWHERE:
            continue
        if spec.kind == "pairs":
            labels = pair_labels or {}
            out.append(Block(spec.name, spec.title, "lines",
                             [labels.get(v, "пара не найдена в реестре") for v in value]))
        elif spec.kind in ("lines", "int_lines"):
            out.append(Block(spec.name, spec.title, "lines", [str(v) for v in value]))
        elif spec.kind == "list_obj":
            rows = [_row(i, spec.sub, item) for i, item in enumerate(value, 1)]
            out.append(Block(spec.name, spec.title, "rows", rows))
        elif spec.kind == "obj":
            pairs = [(s.title.split(" (")[0], _show(s, value.get(s.name))) for s in spec.sub]
            out.append(Block(spec.name, spec.title, "pairs", [p for p in pairs if p[1]]))
        else:
            out.append(Block(spec.name, spec.title, "text" if spec.kind == "text" else "scalar",
                             _show(spec, value)))
    return out


def path_label(kind: str, path: str) -> str:
    """"clauses.1.text" → «Пункты приказа › 2 › Текст пункта»."""
    if path == "title":
        return "Заголовок"
    specs, parts, out = kind_specs(kind), path.split("."), []
    for part in parts:
        if part.isdigit():
            out.append(str(int(part) + 1))
            continue
        spec = next((s for s in specs if s.name == part), None)
        if spec is None:
            out.append(part)
            continue
        out.append(spec.title.split(" (")[0])
        specs = spec.sub
    return " › ".join(out)
