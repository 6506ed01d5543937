"""The unit clerk's screens (stages 2 and 3, the registrations of its people)."""
from __future__ import annotations

from gateway.portal.screens.common import DEGREE, STATUS, UNIT_APPLICATION_COLUMNS, _review_actions
from gateway.portal.screens.labels import APPLICATION_LABELS
from gateway.portal.screens.model import Act, Col, Filter, Screen
from gateway.portal.screens.registry import _add
from shared.contracts.statuses import DEGREES
from shared.contracts.unit_registry import REVIEW_LABELS

# --- unit clerk (stages 2 and 3, the registrations of its people) ---------------------------------------
_add("unit_admin", Screen(
    "applications", "补助申报查询统计", "subsidy_review", "list_applications", UNIT_APPLICATION_COLUMNS,
    statuses=APPLICATION_LABELS, search="姓名 / 证件号码 / 申请编号", detail="/portal/applications/{id}",
    titles={"pending_unit_review": "个人补助申请审核", "pending_report": "个人补助申请上报"},
    filters=(Filter("degree", "学历", DEGREES),),
    row_actions=_review_actions("/api/v1/applications", ("pending_unit_review",)) + (
        Act("退回到单位待审核", "/api/v1/applications/{id}/send-back", when=("pending_report",), style="danger",
            confirm="将该申请退回到单位待审核？"),),
    batch_actions=(
        Act("一键审核通过", "/api/v1/applications/bulk-approve", batch="application_ids", job=True,
            when=("pending_unit_review",), all_when_none=True,
            confirm="勾选的申请将审核通过并上报县区人社局（未勾选则为全部待审核申请），是否继续？"),
        Act("上报至县人社局", "/api/v1/applications/report", batch="application_ids", when=("pending_report",),
            confirm="将勾选的申请上报至县区人社局？"))))
_add("unit_admin", Screen(
    "individuals", "个人注册查询", "unit_registry", "list_individuals",
    (Col("name", "姓名", search=True), Col("id_type_label", "证件类型"),
     Col("id_number", "证件号码", search=True), Col("mobile", "手机号码"), DEGREE,
     Col("graduated_on", "毕业时间", "date"), Col("created_at", "注册时间", "datetime"), STATUS,
     Col("opinion", "审核意见")),
    statuses=REVIEW_LABELS, search="姓名 / 证件号码", detail="/portal/individuals/{id}",
    titles={"pending": "个人注册审核"},
    row_actions=_review_actions("/api/v1/individuals", ("pending",)),
    batch_actions=(Act("一键审核通过", "/api/v1/individuals/bulk-approve", batch="individual_ids", when=("pending",),
                       all_when_none=True,
                       confirm="勾选的个人注册将全部审核通过（未勾选则为本单位全部待审核注册），是否继续？"),)))
