"""What an edit of a draft changed, in words, for its «Изменён» history entry
(issue 13, defect 9): «Заголовок; Пункты приказа › 2 › Текст пункта; Срок»."""

from __future__ import annotations

from datetime import date

from workflow.engine.kinds import get_kind

MAX_NAMED = 8


def _label(schema: dict, path: str) -> str:
    defs, node, out = schema.get("$defs", {}), schema, []
    for part in path.split("."):
        if part.isdigit():
            out.append(str(int(part) + 1))
            node = node.get("items", {})
        else:
            prop = node.get("properties", {}).get(part)
            if prop is None:
                out.append(part)
                break
            out.append(str(prop.get("title", part)).split(" (")[0])
            node = prop
        node = _resolve(node, defs)
    return " › ".join(out)


def _resolve(node: dict, defs: dict) -> dict:
    for option in node.get("anyOf", []):
        if option.get("type") != "null":
            node = option
            break
    ref = node.get("$ref")
    return defs.get(ref.rsplit("/", 1)[1], {}) if ref else node


def summarise(kind: str, old_title: str, new_title: str, old_fields: dict, new_fields: dict,
              old_extra: dict | None = None, new_extra: dict | None = None) -> str:
    """«Изменено: …» naming each changed field (and responsible/due), or "" if nothing."""
    from workflow.engine.document_view import diff_fields

    schema = get_kind(kind).schema()
    names: list[str] = []
    for change in diff_fields(old_fields, new_fields, old_title, new_title):
        name = "Заголовок" if change.path == "title" else _label(schema, change.path)
        # a whole list item: name the item, not each of its fields
        if name not in names:
            names.append(name)
    extra_titles = {"responsible_id": "Ответственный", "due": "Срок"}
    for key, title in extra_titles.items():
        a, b = (old_extra or {}).get(key), (new_extra or {}).get(key)
        if key in (new_extra or {}) and a != b:
            names.append(title + (f" ({b:%d.%m.%Y})" if isinstance(b, date) else ""))
    if not names:
        return ""
    shown = names[:MAX_NAMED]
    more = f" и ещё {len(names) - MAX_NAMED}" if len(names) > MAX_NAMED else ""
    return "Изменено: " + "; ".join(shown) + more + "."
