"""WTForms built from a kind's field schema (the pydantic JSON Schema of workflow/kinds.py).

strings → text inputs (textareas when long), ``YYYY-MM-DD`` patterns → date inputs,
``^(a|b)$`` patterns → selects, lists of strings or ints → one-per-line textareas, lists of
objects → repeatable fieldsets (FieldList of FormField; app.js adds and removes rows),
optional objects → a fieldset. ``to_fields`` turns the posted form back into the kind's
fields and ``attach_errors`` puts workflow's "clauses.0.text" messages next to the inputs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from wtforms import (
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional as OptionalValidator

from workflow.engine.kinds import get_kind

try:  # wtforms ≥ 3.3 deprecates tuples as choices
    from wtforms.fields.choices import SelectChoice as _Choice
except ImportError:  # pragma: no cover - older wtforms
    def _Choice(value, label):
        return (value, label)


def choice(value, label):
    return _Choice(value, label)


DATE_PATTERN = r"^(\d{4}-\d{2}-\d{2})?$"
_CHOICES = re.compile(r"^\^\(([\w|]+)\)\$$")
_CHOICE_LABEL = re.compile(r"(\w+) — ([^,)]+)")


@dataclass(frozen=True)
class Spec:
    name: str
    kind: str  # str | text | date | select | lines | int_lines | int | list_obj | obj | pairs | staff
    title: str
    default: object = ""
    choices: tuple = ()
    sub: tuple[Spec, ...] = field(default=())


def _deref(node: dict, defs: dict) -> dict:
    ref = node.get("$ref")
    return defs[ref.rsplit("/", 1)[1]] if ref else node


def _spec(name: str, node: dict, defs: dict) -> Spec:
    title = node.get("title", name)
    options = [o for o in node.get("anyOf", []) if o.get("type") != "null"]
    if options:
        inner = _deref(options[0], defs)
        if "properties" in inner:
            return Spec(name, "obj", title, None, sub=_specs(inner, defs))
        return _spec(name, {**inner, "title": title, "default": node.get("default")}, defs)
    node = _deref(node, defs)
    kind = node.get("type")
    if "properties" in node:
        return Spec(name, "obj", title, None, sub=_specs(node, defs))
    if kind == "array":
        items = _deref(node.get("items", {}), defs)
        if "properties" in items:
            return Spec(name, "list_obj", title, [], sub=_specs(items, defs))
        if name == "pair_ids":
            return Spec(name, "pairs", title, [])  # chosen from the school's pairs
        if name == "acquaintance_user_ids":
            return Spec(name, "staff", title, [])  # chosen from the organisation's staff
        return Spec(name, "int_lines" if items.get("type") == "integer" else "lines", title, [])
    if kind == "integer":
        return Spec(name, "int", title, node.get("default"))
    pattern = node.get("pattern", "")
    if pattern == DATE_PATTERN:
        return Spec(name, "date", title, node.get("default", ""))
    match = _CHOICES.match(pattern)
    if match:
        labels = dict(_CHOICE_LABEL.findall(title))
        codes = match.group(1).split("|")
        return Spec(name, "select", title.split(" (")[0], node.get("default", codes[0]),
                    choices=tuple((c, labels.get(c, c)) for c in codes))
    long = node.get("maxLength", 0) > 1000
    return Spec(name, "text" if long else "str", title, node.get("default", ""))


def _specs(model: dict, defs: dict) -> tuple[Spec, ...]:
    return tuple(_spec(n, p, defs) for n, p in model.get("properties", {}).items())


@lru_cache(maxsize=32)
def kind_specs(kind: str) -> tuple[Spec, ...]:
    schema = get_kind(kind).schema()
    return _specs(schema, schema.get("$defs", {}))


def _wtfield(spec: Spec):
    if spec.kind == "text":
        return TextAreaField(spec.title, render_kw={"rows": 4})
    if spec.kind in ("lines", "int_lines"):
        return TextAreaField(spec.title, render_kw={"rows": 3, "data-lines": "1"},
                             description=_l("По одному на строку"))
    if spec.kind == "pairs":
        return SelectMultipleField(spec.title, coerce=int, choices=[], validate_choice=False,
                                   render_kw={"size": 8, "data-test": "pair-choice"},
                                   description=_l("Выберите одну или несколько пар (Ctrl или "
                                                  "Shift — несколько)"))
    if spec.kind == "staff":
        return SelectMultipleField(spec.title, coerce=int, choices=[], validate_choice=False,
                                   render_kw={"size": 6, "data-test": "staff-choice"},
                                   description=_l("Выберите сотрудников (Ctrl или Shift — "
                                                  "несколько)"))
    if spec.kind == "date":
        return StringField(spec.title, render_kw={"type": "date"})
    if spec.kind == "select":
        return SelectField(spec.title, choices=[choice(v, lbl) for v, lbl in spec.choices])
    if spec.kind == "int":
        return IntegerField(spec.title, validators=[OptionalValidator()])
    if spec.kind == "list_obj":
        return FieldList(FormField(_form_class(spec.name, spec.sub)), spec.title, min_entries=0)
    if spec.kind == "obj":
        return FormField(_form_class(spec.name, spec.sub), spec.title)
    return StringField(spec.title)


def _form_class(name: str, specs: tuple[Spec, ...]) -> type[Form]:
    attrs = {s.name: _wtfield(s) for s in specs}
    attrs["specs"] = specs
    return type(f"Fields_{name}", (Form,), attrs)


@lru_cache(maxsize=32)
def fields_form_class(kind: str) -> type[Form]:
    return _form_class(kind, kind_specs(kind))


def entry_template(list_field, spec: Spec) -> Form:
    """A blank entry of a repeatable fieldset, named with ``__index__`` for app.js to clone."""
    sub = _form_class(spec.name, spec.sub)
    return sub(prefix=f"{list_field.name}-__index__-", data=_defaults(spec.sub))


def _defaults(specs: tuple[Spec, ...]) -> dict:
    return {s.name: s.default for s in specs if s.kind not in ("list_obj", "obj")}


def to_form_data(specs: tuple[Spec, ...], values: dict | None, blank_row: bool = True) -> dict:
    """The kind's fields as the data a fields form is built from (lists as lines, etc.)."""
    values = values or {}
    out: dict = {}
    first_list = next((s.name for s in specs if s.kind == "list_obj"), None)
    for s in specs:
        value = values.get(s.name, s.default)
        if s.kind in ("pairs", "staff"):
            out[s.name] = list(value or [])
        elif s.kind in ("lines", "int_lines"):
            out[s.name] = "\n".join(str(v) for v in value or [])
        elif s.kind == "list_obj":
            rows = [to_form_data(s.sub, v, blank_row) for v in value or []]
            blank = blank_row and s.name == first_list
            out[s.name] = rows or ([_defaults(s.sub)] if blank else [])
        elif s.kind == "obj":
            out[s.name] = to_form_data(s.sub, value or _defaults(s.sub), blank_row)
        else:
            out[s.name] = value if value is not None else ""
    return out


class Mapping:
    """Where each item of the cleaned fields came from in the form, for error messages."""

    def __init__(self) -> None:
        self.fields: dict[str, object] = {}


def to_fields(form: Form, mapping: Mapping, path: str = "") -> dict:
    """The posted fields form as the kind's fields; blank rows (all defaults) are dropped."""
    out: dict = {}
    for s in form.specs:
        wt = form[s.name]
        here = f"{path}{s.name}"
        mapping.fields[here] = wt
        if s.kind in ("pairs", "staff"):
            out[s.name] = [int(v) for v in wt.data or []]
        elif s.kind in ("lines", "int_lines"):
            lines = [ln.strip() for ln in (wt.data or "").splitlines() if ln.strip()]
            out[s.name] = [int(ln) if s.kind == "int_lines" and ln.lstrip("-").isdigit() else ln
                           for ln in lines]
        elif s.kind == "list_obj":
            rows = []
            for entry in wt.entries:
                row = to_fields(entry.form, mapping, f"{here}.{len(rows)}.")
                if any(row.get(k) != v for k, v in _defaults(s.sub).items()):
                    mapping.fields[f"{here}.{len(rows)}"] = entry
                    rows.append(row)
            out[s.name] = rows
        elif s.kind == "obj":
            row = to_fields(wt.form, mapping, f"{here}.")
            blank = all(row.get(k) in ("", None, v) for k, v in _defaults(s.sub).items())
            out[s.name] = None if blank else row
        elif s.kind == "int":
            out[s.name] = wt.data
        else:
            out[s.name] = (wt.data or "").strip()
    return out


def attach_errors(mapping: Mapping, errors: dict[str, str]) -> list[str]:
    """Put each "clauses.0.text" message on its input; returns the ones with no input."""
    left = []
    for path, message in errors.items():
        parts = path.split(".")
        target, suffix = None, ""
        for cut in range(len(parts), 0, -1):
            key = ".".join(parts[:cut])
            if key in mapping.fields:
                target = mapping.fields[key]
                rest = parts[cut:]
                suffix = f" (строка {int(rest[0]) + 1})" if rest and rest[0].isdigit() else ""
                break
        if target is None or target.type in ("FormField", "FieldList"):
            left.append(f"{path}: {message}")
            continue
        if not isinstance(target.errors, list):
            target.errors = list(target.errors or [])
        target.errors.append(message + suffix)
    return left
