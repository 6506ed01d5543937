"""The city's screens: HRSS (stage 9) and the organisation department (stage 10)."""
from __future__ import annotations

from gateway.portal.screens.common import CITY_BATCH_COLUMNS, ORG_COLUMNS, _applications_readonly
from gateway.portal.screens.model import Act, Screen
from gateway.portal.screens.registry import _add
from shared.contracts.org_confirmation import BATCH_LABELS as CITY_BATCH_LABELS
from shared.contracts.org_confirmation import CASE_LABELS as ORG_CASE_LABELS

# --- city HRSS (stage 9) ----------------------------------------------------------------------------
_add("city_hrss", Screen(
    "org-reviews", "县组织部已确认的申请", "org_confirmation", "list_cases", ORG_COLUMNS,
    statuses=ORG_CASE_LABELS, default_status="county_org_confirmed", search="姓名 / 申请编号",
    id_key="application_id", detail="/portal/applications/{id}", titles={"county_org_confirmed": "待汇总申请"},
    batch_actions=(Act("汇总上报市组织部", "/api/v1/city-batches", batch="application_ids",
                       when=("county_org_confirmed",), confirm="将勾选的申请汇总为市级批次并上报市组织部？",
                       next="/portal/city-batches"),)))
_add("city_hrss", Screen(
    "city-batches", "市级汇总批次", "org_confirmation", "list_batches", CITY_BATCH_COLUMNS,
    statuses=CITY_BATCH_LABELS, search="批次号", detail="/portal/city-batches/{id}"))
_add("city_hrss", _applications_readonly("补助申请查询"))

# --- city organisation department (stage 10) ------------------------------------------------------------
_add("city_org", Screen(
    "city-batches", "汇总批次查询", "org_confirmation", "list_batches", CITY_BATCH_COLUMNS,
    statuses=CITY_BATCH_LABELS, search="批次号", detail="/portal/city-batches/{id}",
    titles={"aggregated": "汇总批次确认"},
    row_actions=(Act("确认并通知市财政局", "/api/v1/city-batches/{id}/confirm", opinion="optional",
                     when=("aggregated",)),
                 Act("退回", "/api/v1/city-batches/{id}/return", opinion="required", when=("aggregated",),
                     style="danger"))))
_add("city_org", _applications_readonly("补助申请查询"))
