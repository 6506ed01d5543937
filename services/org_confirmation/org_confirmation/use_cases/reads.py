"""Reading cases and city batches, and the clerks' to-do counters."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from org_confirmation import views
from org_confirmation.adapters.repository import BatchRepository, CaseRepository
from org_confirmation.domain import batches as batch_rules
from org_confirmation.domain import cases as case_rules
from org_confirmation.domain.cases import COUNTY_ORG_CONFIRMED, PENDING_COUNTY_ORG
from org_confirmation.use_cases.common import batch_with_cases, load_batch, load_case
from shared.auth.roles import Role
from shared.errors import InvalidInput
from shared.service import Tx


def _filters(filters: Any) -> Mapping[str, Any]:
    if filters is None:
        return {}
    if not isinstance(filters, Mapping):
        raise InvalidInput("查询条件格式不正确", code="filters.invalid")
    return filters


def _status_filter(status: Any, allowed: tuple[str, ...]) -> str | None:
    if not status:
        return None
    if status not in allowed:
        raise InvalidInput.field("status", "filters.status_invalid", "状态不正确")
    return status


def list_cases(tx: Tx, filters: Any, page: Any, page_size: Any) -> dict:
    """Cases of the caller's county (county org) or city (city roles); the city HRSS sees the
    applications waiting for aggregation unless it asks for another status."""
    filters = _filters(filters)
    default = COUNTY_ORG_CONFIRMED if tx.principal.role == Role.CITY_HRSS else None
    status = _status_filter(filters.get("status") or default, case_rules.STATUSES)
    return tx.repository(CaseRepository).page(tx.principal, {**filters, "status": status}, page, page_size)


def get_case(tx: Tx, application_id: str) -> dict:
    """One case with the applicant's data; the read of personal data is audited."""
    row = load_case(tx, str(application_id))
    tx.audit("case.view", "case", row["application_id"], region=row["county"])
    return views.case_detail(row)


def list_batches(tx: Tx, filters: Any, page: Any, page_size: Any) -> dict:
    """The city batches of the caller's city, newest first."""
    filters = _filters(filters)
    status = _status_filter(filters.get("status"), batch_rules.STATUSES)
    return tx.repository(BatchRepository).page(tx.principal, {**filters, "status": status}, page, page_size)


def get_batch(tx: Tx, batch_id: str) -> dict:
    """A city batch with its applications (as they stand now), ordered by county."""
    return batch_with_cases(tx, load_batch(tx, str(batch_id)))


def _todo(key: str, count: int, label: str, href: str, **counted: Any) -> dict:
    """A counter; ``counted``: what it counts, for its 其中超时 (``application_statuses`` in the shared
    vocabulary or the batches' ``waits``; the gateway hands it to subsidy_review's stage clocks)."""
    return {"key": key, "count": count, "label": label, "href": href, **counted}


def todos(tx: Tx) -> list[dict]:
    """The caller's to-do counter (您有【N】个…待…) for the portal's home page."""
    principal = tx.principal
    if principal.role == Role.COUNTY_ORG:
        count = tx.repository(CaseRepository).count_in_status(principal, PENDING_COUNTY_ORG)
        return [_todo("org.county_pending", count, f"您有【{count}】个申请待确认",
                      "/portal/org-reviews?status=pending_county_org",
                      application_statuses=[case_rules.APPLICATION_STATUS[PENDING_COUNTY_ORG]])]
    if principal.role == Role.CITY_HRSS:
        count = tx.repository(CaseRepository).count_in_status(principal, COUNTY_ORG_CONFIRMED)
        return [_todo("org.to_aggregate", count, f"您有【{count}】个申请待汇总",
                      "/portal/org-reviews?status=county_org_confirmed",
                      application_statuses=[case_rules.APPLICATION_STATUS[COUNTY_ORG_CONFIRMED]])]
    if principal.role == Role.CITY_ORG:
        batches = tx.repository(BatchRepository).waiting(principal, batch_rules.AGGREGATED)
        return [_todo("org.batches_pending", len(batches), f"您有【{len(batches)}】个汇总批次待确认",
                      "/portal/city-batches?status=aggregated",
                      waits=[w for w in map(views.batch_waiting, batches) if w])]
    return []
