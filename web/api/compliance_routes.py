"""Municipal compliance (see shared/docs/api.md, «Municipal compliance»)."""

from __future__ import annotations

import io

from flask import jsonify, send_file

from web.api import bp
from web.api.common import required_int_arg, year_arg
from web.auth import current_actor, db_session
from workflow.compliance import matrix as compliance

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.get("/compliance")
def municipal_compliance():
    report = compliance.municipality_report(db_session(), current_actor(),
                                            required_int_arg("municipality_id"))
    return jsonify(compliance.to_api(report))


@bp.get("/compliance/export.xlsx")
def compliance_xlsx():
    data = compliance.export_xlsx(db_session(), current_actor(), required_int_arg("municipality_id"))
    return send_file(io.BytesIO(data), mimetype=XLSX_MIME, as_attachment=True,
                     download_name="monitoring-nastavnichestva.xlsx")


@bp.get("/compliance/report.docx")
def compliance_report():
    data = compliance.analytical_report(db_session(), current_actor(),
                                        required_int_arg("municipality_id"),
                                        year_arg())
    return send_file(io.BytesIO(data), mimetype=DOCX_MIME, as_attachment=True,
                     download_name="analiticheskij-otchet.docx")
