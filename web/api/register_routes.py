"""Registers and pairs: people, consents, pairs, reference lists, school settings,
indicators (see shared/docs/api.md, «Registers and pairs»)."""

from __future__ import annotations

import io

from flask import jsonify, request, send_file

import workflow.demo.registers  # noqa: F401 - registers the demo hook
from web.api import bp
from web.api.common import date_value, int_arg, int_value, json_body, paging, str_value, year_arg
from web.auth import current_actor, db_session, runtime
from web.input_guard import bounded_int
from workflow.compliance import indicators
from workflow.errors import BadInput
from workflow.mentorship import consents, pairs, registers

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _created(body: dict):
    response = jsonify(body)
    response.status_code = 201
    return response


@bp.get("/reference/forms")
def reference_forms():
    current_actor()
    return jsonify(registers.list_forms(db_session()))


@bp.get("/reference/role-models")
def reference_role_models():
    current_actor()
    return jsonify(registers.list_role_models(db_session()))


@bp.post("/people")
def create_person():
    data = json_body()
    person_id = registers.create_person(
        runtime(), current_actor(), org_id=int_value(data, "org_id", required=True),
        full_name=data.get("full_name"), category=data.get("category"),
        grade=data.get("grade"), position=data.get("position"),
        experience_years=data.get("experience_years"),
        birth_date=date_value(data, "birth_date"), request=str_value(data, "request") or None)
    return _created(registers.get_person(runtime(), current_actor(), person_id))


@bp.get("/people")
def list_people():
    page, per_page = paging()
    return jsonify(registers.list_people(
        runtime(), current_actor(), org_id=int_arg("org_id"),
        category=request.args.get("category") or None, page=page, per_page=per_page))


@bp.get("/people/<int:person_id>")
def get_person(person_id: int):
    return jsonify(registers.get_person(runtime(), current_actor(), person_id))


@bp.post("/people/<int:person_id>/requests")
def add_request(person_id: int):
    data = json_body()
    registers.add_request(runtime(), current_actor(), person_id, data.get("text"))
    return _created(registers.get_person(runtime(), current_actor(), person_id))


@bp.post("/people/import")
def import_people():
    actor = current_actor()
    upload = request.files.get("file")
    if upload is None:
        raise BadInput("Приложите файл XLSX (поле file).", code="missing_file")
    raw = request.form.get("org_id", "").strip()
    if not raw:
        raise BadInput("Укажите org_id.", code="missing_field")
    org_id = bounded_int(raw, "org_id")
    created = registers.import_people(runtime(), actor, org_id, upload.read())
    return _created({"created": created})


@bp.get("/people/export.xlsx")
def export_people():
    data = registers.export_people(runtime(), current_actor(), int_arg("org_id"))
    return send_file(io.BytesIO(data), mimetype=XLSX_MIME, as_attachment=True,
                     download_name="reestr-nastavnichestva.xlsx")


@bp.post("/consents")
def record_consent():
    data = json_body()
    consent_id = consents.record_consent(
        runtime(), current_actor(), person_id=int_value(data, "person_id", required=True),
        kind=data.get("kind"), signed_by=data.get("signed_by"),
        representative_name=data.get("representative_name"),
        signed_on=date_value(data, "signed_on"))
    return _created({"id": consent_id, "person_id": data["person_id"], "kind": data["kind"],
                     "signed_by": data["signed_by"],
                     "representative_name": data.get("representative_name"),
                     "signed_on": data["signed_on"]})


@bp.post("/consents/<int:consent_id>/revoke")
def revoke_consent(consent_id: int):
    data = request.get_json(silent=True) or {}
    consents.revoke_consent(runtime(), current_actor(), consent_id,
                            date_value(data, "revoked_on") if isinstance(data, dict) else None)
    return jsonify({"id": consent_id, "revoked": True})


@bp.post("/pairs")
def create_pair():
    data = json_body()
    pair_id = pairs.create_pair(
        runtime(), current_actor(), org_id=int_value(data, "org_id", required=True),
        mentor_id=int_value(data, "mentor_id", required=True),
        mentee_ids=data.get("mentee_ids"), form=data.get("form"),
        role_model=data.get("role_model"), start=date_value(data, "start"),
        end=date_value(data, "end"))
    return _created(pairs.get_pair(runtime(), current_actor(), pair_id))


@bp.get("/pairs")
def list_pairs():
    page, per_page = paging()
    return jsonify(pairs.list_pairs(runtime(), current_actor(), org_id=int_arg("org_id"),
                                    status=request.args.get("status") or None,
                                    page=page, per_page=per_page))


@bp.get("/pairs/<int:pair_id>")
def get_pair(pair_id: int):
    return jsonify(pairs.get_pair(runtime(), current_actor(), pair_id))


@bp.post("/pairs/<int:pair_id>/finish")
def finish_pair(pair_id: int):
    pairs.finish_pair(runtime(), current_actor(), pair_id)
    return jsonify(pairs.get_pair(runtime(), current_actor(), pair_id))


@bp.post("/pairs/<int:pair_id>/cancel")
def cancel_pair(pair_id: int):
    pairs.cancel_pair(runtime(), current_actor(), pair_id)
    return jsonify(pairs.get_pair(runtime(), current_actor(), pair_id))


@bp.get("/schools/<int:org_id>/mentorship-settings")
def get_settings(org_id: int):
    return jsonify(registers.get_settings(db_session(), current_actor(), org_id))


@bp.patch("/schools/<int:org_id>/mentorship-settings")
def put_settings(org_id: int):
    data = json_body()
    changes = {k: data[k] for k in ("mentor_load_limit", "students_total", "teachers_total")
               if k in data}
    for k in ("programme_start", "programme_end"):
        if k in data:
            changes[k] = date_value(data, k)
    return jsonify(registers.update_settings(runtime(), current_actor(), org_id, **changes))


@bp.get("/indicators")
def list_indicators():

    year = year_arg()
    return jsonify({"org_id": int_arg("org_id"), "year": year,
                    "items": indicators.indicator_table(db_session(), current_actor(),
                                                        int_arg("org_id"), year)})


@bp.post("/indicators")
def set_indicator():
    data = json_body()
    return _created(indicators.set_indicator(
        runtime(), current_actor(), org_id=int_value(data, "org_id", required=True),
        year=data.get("year"), code=data.get("code"), name=data.get("name"),
        unit=data.get("unit") or "%", target=data.get("target"), actual=data.get("actual"),
        source=data.get("source")))


@bp.post("/indicators/from-roadmap")
def indicators_from_roadmap():
    data = json_body()
    count = indicators.targets_from_roadmap(runtime(), current_actor(),
                                            int_value(data, "roadmap_id", required=True))
    return _created({"imported": count})
