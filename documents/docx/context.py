"""Snapshot of a document version → the plain context its DOCX template is rendered with.

The mapping lives here (not in templates) so every template, built-in or uploaded, sees
the same ready-made Russian requisites: dates in both forms, «И.О. Фамилия», grifs.
"""

from __future__ import annotations

from typing import Any

from documents.docx import grifs, kinds, morphology
from documents.docx.ruformat import (
    BLANK_DATE,
    BLANK_NUMBER,
    BLANK_SHORT_DATE,
    clean_text,
    initials_first,
    long_date,
    short_date,
)
from documents.docx.typography import typo_tree

KIND_TITLES: dict[str, str] = {
    "order": "ПРИКАЗ",
    "curator_order": "ПРИКАЗ",
    "pair_order": "ПРИКАЗ",
    "regulation": "ПОЛОЖЕНИЕ",
    "incentive_scheme": "ПОЛОЖЕНИЕ",
    "programme": "ПРОГРАММА",
    "roadmap": "ДОРОЖНАЯ КАРТА",
}

COMMON_VARIABLES = frozenset(
    {
        "kind",
        "kind_title",
        "title",
        "heading",
        "version",
        "org",
        "doc",
        "signer",
        "visas",
        "approval",
    }
)
ORDER_VARIABLES = frozenset(
    {"preamble", "clauses", "control_clause", "acquaintance", "appendices", "executor"}
)
ACT_VARIABLES = frozenset({"sections", "considered", "agreed", "grifs_left"})

KIND_VARIABLES: dict[str, frozenset[str]] = {
    "order": COMMON_VARIABLES | ORDER_VARIABLES,
    "curator_order": COMMON_VARIABLES | ORDER_VARIABLES | {"curator", "duties", "term"},
    "pair_order": COMMON_VARIABLES | ORDER_VARIABLES | {"pairs"},
    "regulation": COMMON_VARIABLES | ACT_VARIABLES,
    "incentive_scheme": COMMON_VARIABLES | ACT_VARIABLES | {"measures"},
    "programme": COMMON_VARIABLES | ACT_VARIABLES | {"programme"},
    "roadmap": COMMON_VARIABLES | {"roadmap", "grifs_left"},
}

_OUTCOMES = {
    "approved": "Согласовано",
    "approved_with_remarks": "Согласовано с замечаниями",
    "rejected": "Не согласовано",
    "returned": "Возвращено на доработку",
}


def build_context(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Map a version snapshot (plain JSON) to the template context of its kind."""
    kind = snapshot.get("kind") or ""
    if kind not in KIND_VARIABLES:
        raise ValueError(f"Неизвестный вид документа: {kind!r}")
    fields = snapshot.get("fields") or {}
    context = _common(snapshot, kind)
    context.update(kinds.BUILDERS[kind](fields, snapshot, context))
    if kind in ("regulation", "incentive_scheme", "programme", "roadmap"):
        context.update(_left_grifs(snapshot, context))
    # One typesetting pass over every value: «№ 2», «И. О. Фамилия», «г. Омск» never break.
    return typo_tree(context)


def _left_grifs(snapshot: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
    """РАССМОТРЕНО / С учётом мнения / СОГЛАСОВАНО: from the route the act went through (its
    protocols and visas), else from what the author typed into the fields."""
    data = snapshot.get("approval") if isinstance(snapshot.get("approval"), dict) else {}
    out: dict[str, Any] = {}
    left = []
    for item in data.get("protocols") or []:
        grif = grifs.body_grif(item.get("body", ""), item.get("number", ""), item.get("date"))
        left.append({"word": grif["word"], "lines": grif["lines"]})
        if item.get("body") == "pedagogical_council":
            out["considered"] = {"present": True, "body": grif["body"],
                                 "protocol_number": grif["protocol_number"],
                                 "protocol_date": grif["protocol_date"]}
    for visa in data.get("visas") or []:
        left.append(grifs.visa_grif(visa.get("position", ""), visa.get("name", ""),
                                    visa.get("date")))
    if not left:
        considered = context.get("considered") or {}
        if considered.get("present"):
            left.append({"word": "РАССМОТРЕНО", "lines": [
                considered.get("body", ""), f"(протокол от {considered.get('protocol_date')} "
                f"№ {considered.get('protocol_number')})"]})
        for a in context.get("agreed") or []:
            left.append({"word": "СОГЛАСОВАНО", "lines": [a.get("position", ""),
                                                          f"__________ {a.get('short', '')}",
                                                          a.get("date", "")]})
    out["grifs_left"] = left
    return out


def _common(snapshot: dict[str, Any], kind: str) -> dict[str, Any]:
    draft = bool(snapshot.get("draft"))
    number = clean_text(snapshot.get("registration_number"))
    signed_at = snapshot.get("signed_at")
    org = snapshot.get("org") or {}
    org_ctx = {
        "name": clean_text(org.get("name")),
        "short_name": clean_text(org.get("short_name")) or clean_text(org.get("name")),
        "founder": clean_text(org.get("founder")),
        "place": clean_text(org.get("place")),
    }
    doc = {
        "number": number or BLANK_NUMBER,
        "date": short_date(signed_at, BLANK_SHORT_DATE),
        "date_long": long_date(signed_at, BLANK_DATE),
        "is_draft": draft,
        "mark": "ПРОЕКТ" if draft else "",
        "registration": (
            f"от {short_date(signed_at, BLANK_SHORT_DATE)} № {number or BLANK_NUMBER}"
        ),
    }
    title = clean_text(snapshot.get("title"))
    return {
        "kind": kind,
        "kind_title": KIND_TITLES[kind],
        "title": title,
        "heading": _heading(title, KIND_TITLES[kind]),
        "version": int(snapshot.get("version") or 1),
        "org": org_ctx,
        "doc": doc,
        "signer": _signer(snapshot.get("signer")),
        # The signer's own approval is his signature, not a visa of the approval sheet.
        "visas": [_visa(v) for v in snapshot.get("visas") or []
                  if isinstance(v, dict) and not _by_signer(v, snapshot.get("signer"))],
        "approval": _approval(snapshot, kind, org_ctx, doc),
    }


def _approval(snapshot: dict[str, Any], kind: str, org: dict[str, str],
              doc: dict[str, Any]) -> dict[str, Any]:
    """The right-hand grif: the real approving order, or «УТВЕРЖДАЮ» of the head."""
    data = snapshot.get("approval") if isinstance(snapshot.get("approval"), dict) else {}
    by_order = data.get("approved_by")
    if isinstance(by_order, dict):
        return grifs.order_grif(kind, by_order.get("org_short") or org["short_name"],
                                by_order.get("signed_at"), by_order.get("registration_number"))
    if data.get("head_signed"):
        signer = snapshot.get("signer") if isinstance(snapshot.get("signer"), dict) else {}
        return grifs.head_grif(org["short_name"], signer, snapshot.get("signed_at"))
    word = morphology.grif_word(kind, "УТВЕРЖДЕН")
    by = f"приказом {org['short_name']}".strip()
    if data.get("pending"):  # an act waiting for its order: no number that is not its own
        when = f"от {BLANK_SHORT_DATE} № {BLANK_NUMBER}"
        return {"word": word, "by": by, "date": BLANK_SHORT_DATE, "number": BLANK_NUMBER,
                "text": f"{by} {when}", "lines": [by, when]}
    return {"word": word, "by": by, "date": doc["date"], "number": doc["number"],
            "text": f"{by} {doc['registration']}", "lines": [by, doc["registration"]]}


def _heading(title: str, kind_title: str) -> str:
    """Drop a leading kind word: «Положение о наставничестве» → «о наставничестве»."""
    word = kind_title.split()[0].lower()
    if kind_title.startswith("ПРИКАЗ"):
        return title
    if title.lower().startswith(kind_title.lower()):
        rest = title[len(kind_title) :].strip()
    elif title.lower().startswith(word):
        rest = title[len(word) :].strip()
    else:
        return title
    return rest[:1].lower() + rest[1:] if rest else title


def _by_signer(visa: dict[str, Any], signer: Any) -> bool:
    name = clean_text(visa.get("name"))
    return bool(name) and isinstance(signer, dict) and name == clean_text(signer.get("name"))


def _signer(signer: Any) -> dict[str, str]:
    signer = signer if isinstance(signer, dict) else {}
    return {
        "name": clean_text(signer.get("name")),
        "position": clean_text(signer.get("position")) or "Директор",
        "short": initials_first(signer.get("name")),
    }


def _visa(visa: dict[str, Any]) -> dict[str, str]:
    outcome = clean_text(visa.get("outcome"))
    return {
        "name": clean_text(visa.get("name")),
        "short": initials_first(visa.get("name")),
        "position": clean_text(visa.get("position")),
        "outcome": outcome,
        "outcome_text": _OUTCOMES.get(outcome, outcome),
        "date": short_date(visa.get("date")),
        "comment": clean_text(visa.get("comment")),
    }
