"""The attachments whose records unit_registry keeps (营业执照 and 其它 of units, 证明材料 of people).

Readable like the record that refers to them: a unit's files by its clerks and the officers who see the
unit (the county of its 主管部门, the departments of its city); a person's 证明材料 by the person, the
clerks of their unit and the county HRSS. Before it is linked, an upload is its uploader's alone.
"""
from __future__ import annotations

from shared import attachment_records as records
from shared.errors import NotFound
from shared.service import Tx
from unit_registry import unit_registration, use_cases
from unit_registry.adapters.orm import attachments
from unit_registry.adapters.repository import UnitChangeRepository

SERVICE = "unit_registry"


def record_attachment(tx: Tx, meta: dict) -> dict:
    """Keep the record of an upload by a logged-in user."""
    return records.record(tx, attachments, meta, service=SERVICE)


def record_public_attachment(tx: Tx, meta: dict) -> dict:
    """Keep the record of an upload from a registration form (kinds that may be uploaded before login)."""
    return records.record_public(tx, attachments, meta, service=SERVICE)


def _may_read(tx: Tx, subject_type: str, subject_id: str) -> bool:
    try:
        if subject_type == "unit":
            return unit_registration.may_see_unit(tx, unit_registration.load_unit(tx, subject_id))
        if subject_type == "unit_change":
            row = tx.repository(UnitChangeRepository).get(subject_id)
            return row is not None and unit_registration.may_see_change(tx, row)
        if subject_type == "individual":
            return use_cases.may_see_individual(tx, subject_id)
    except NotFound:
        return False
    return False


def attachment_for_download(tx: Tx, attachment_id: str) -> dict:
    """The record of a file the caller may download (404 otherwise)."""
    return records.for_download(tx, attachments, attachment_id, lambda t, i: _may_read(tx, t, i))


def public_attachment(tx: Tx, attachment_id: str) -> dict:
    """A registration form's upload, not yet linked (the gateway checks the uploader's key)."""
    return records.unlinked_public(tx, attachments, attachment_id)
