"""申请材料: the attachments of applications (stage 1 uploads, read at stages 1-8)."""
from __future__ import annotations

from shared import attachment_records as records
from shared.auth.roles import Role
from shared.service import Tx
from subsidy_review.adapters.orm import attachments
from subsidy_review.use_cases.common import applications

#: who sees an application's materials (stages 1-8 within their jurisdiction): the applicant, the unit,
#: the county HRSS (review, publicity, assessment) and the county organisation department
MATERIAL_READERS = (Role.INDIVIDUAL, Role.UNIT_ADMIN, Role.COUNTY_HRSS, Role.COUNTY_ORG)
MATERIAL_KINDS = ("application_material",)


def record_attachment(tx: Tx, meta: dict) -> dict:
    """Keep the record of an application material the graduate has just uploaded."""
    return records.record(tx, attachments, meta, service="subsidy_review")


def _may_read_material(tx: Tx, subject_type: str, subject_id: str) -> bool:
    if subject_type != "application" or tx.principal.role not in MATERIAL_READERS:
        return False
    return applications(tx).get(subject_id, tx.principal) is not None


def attachment_for_download(tx: Tx, attachment_id: str) -> dict:
    """An application material for the applicant, the unit, the county HRSS or the county org (404 else)."""
    return records.for_download(tx, attachments, attachment_id, lambda t, i: _may_read_material(tx, t, i))


def link_materials(tx: Tx, application_id: str, data: dict) -> list[str]:
    """Link the uploads ``data`` names to the application (400 for another's or a wrong kind)."""
    ids = records.check_ids(data.get("attachment_ids"))
    records.link(tx, attachments, ids, kinds=MATERIAL_KINDS, subject_type="application", subject_id=application_id)
    return ids


def material_views(tx: Tx, ids: list[str]) -> list[dict]:
    """The application's materials as a reader sees them (none for those who may not)."""
    return records.views_of(tx, attachments, ids) if tx.principal.role in MATERIAL_READERS else []
