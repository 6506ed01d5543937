"""``unit-registry-seed [--demo deploy/demo/city.yaml]``: create the demo units and individuals.

The demo units go through the registration flow itself (idempotently, by their fixed ids): the unit's
clerk accepts the 用户须知, uploads a business licence and registers; the county HRSS of its 主管部门
approves. So the demo city's units have their rounds, attachments and events like any other
(``unit.registered`` then ``unit.approved``, published by the running service's relay). Individuals are
imported as already approved by their unit (``individual.approved``).
"""
from __future__ import annotations

import sys
from contextlib import contextmanager

from sqlalchemy import select

from shared.attachments import AttachmentStore, default_root, new_attachment_id
from shared.auth.principal import Principal
from shared.seeding import seed_cli, system_tx
from shared.service import Tx
from unit_registry import attachment_access, unit_registration, use_cases
from unit_registry.adapters.orm import units

# a minimal, valid one-page PDF standing in for the scanned licence of a demo unit
DEMO_LICENCE = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
                b"endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n"
                b"%%EOF\n")


@contextmanager
def _acting_as(tx: Tx, principal: Principal):
    saved = tx.principal
    tx.principal = principal
    try:
        yield tx
    finally:
        tx.principal = saved


def register_demo_unit(tx: Tx, spec: dict, store: AttachmentStore) -> bool:
    """Register ``spec`` as its clerk would and approve it as its county HRSS would, unless it exists."""
    if tx.session.execute(select(units.c.id).where(units.c.id == spec["id"])).first():
        return False
    clerk = Principal(account_id=spec["admin_account_id"], role="unit_admin", unit_id=spec["id"], name="单位经办人")
    supervisor = spec.get("supervisor_region") or spec["region"]
    officer = Principal(account_id=f"seed:rsj{supervisor}", role="county_hrss", region=supervisor,
                        name="县区人社局经办人")
    stored = store.put(DEMO_LICENCE, "营业执照.pdf")
    with _acting_as(tx, clerk):
        licence = attachment_access.record_attachment(tx, {
            "id": new_attachment_id("unit_registry"), "sha256": stored.sha256, "content_type": stored.content_type,
            "size": stored.size, "filename": stored.filename, "kind": "business_license"})
        terms = unit_registration.current_terms(tx, "unit")["version"]
        unit_registration.register_unit(tx, spec["id"], {**spec, "terms_version": terms,
                                                         "attachment_ids": [licence["id"]]})
    with _acting_as(tx, officer):
        unit_registration.approve_unit(tx, spec["id"], "材料齐全，审核通过")
    return True


def seed(url: str, demo: dict) -> dict[str, int]:
    """Create the demo units and individuals missing from the database at ``url``; returns counts."""
    created = {"units": 0, "individuals": 0}
    store = AttachmentStore(default_root())
    with system_tx(url, "unit_registry") as tx:
        for spec in demo.get("units", []):
            created["units"] += int(register_demo_unit(tx, spec, store))
        for spec in demo.get("individuals", []):
            created["individuals"] += int(use_cases.import_approved_individual(tx, spec))
    return created


def main(argv: list[str] | None = None) -> int:
    return seed_cli("unit_registry", seed, argv)


if __name__ == "__main__":
    sys.exit(main())
