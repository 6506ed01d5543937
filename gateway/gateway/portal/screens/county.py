"""The county's screens: HRSS (stages 4-7) and the organisation department (stage 8)."""
from __future__ import annotations

from gateway.portal.screens.common import (
    APPLICATION_COLUMNS,
    CASE_COLUMNS,
    COUNTY,
    DEGREE,
    ORG_COLUMNS,
    STATUS,
    _applications_readonly,
    _review_actions,
)
from gateway.portal.screens.labels import APPLICATION_LABELS, ASSESSMENT_LABELS
from gateway.portal.screens.model import Act, Col, Filter, Screen
from gateway.portal.screens.registry import _add
from shared.contracts.org_confirmation import CASE_LABELS as ORG_CASE_LABELS
from shared.contracts.publicity_assessment import BATCH_LABELS as PUBLICITY_BATCH_LABELS
from shared.contracts.publicity_assessment import CASE_LABELS, OBJECTION_LABELS
from shared.contracts.statuses import DEGREES
from shared.contracts.unit_registry import REVIEW_LABELS

# --- county HRSS (stages 4-7) -------------------------------------------------------------------------
_add("county_hrss", Screen(
    "applications", "补助申请查询", "subsidy_review", "list_applications", APPLICATION_COLUMNS,
    statuses=APPLICATION_LABELS, search="姓名 / 证件号码 / 申请编号", detail="/portal/applications/{id}",
    titles={"pending_county_review": "补助申请审核"}, filters=(Filter("degree", "学历", DEGREES),),
    row_actions=_review_actions("/api/v1/applications", ("pending_county_review",))))
_add("county_hrss", Screen(
    "individuals", "个人注册查询", "unit_registry", "list_individuals",
    (Col("name", "姓名", search=True), Col("unit_name", "单位名称"), Col("id_number", "证件号码", search=True),
     DEGREE, Col("created_at", "注册时间", "datetime"), STATUS),
    statuses=REVIEW_LABELS, search="姓名 / 证件号码"))
_add("county_hrss", Screen(
    "publicity-cases", "公示申请", "publicity_assessment", "list_cases", CASE_COLUMNS,
    statuses=CASE_LABELS, default_status="awaiting_publicity", search="姓名 / 申请编号",
    detail="/portal/applications/{id}", titles={"awaiting_publicity": "待公示"},
    batch_actions=(Act("开始公示", "/api/v1/publicity-batches", batch="application_ids", when=("awaiting_publicity",),
                       confirm="将勾选的申请生成公示批次并开始公示？", next="/portal/publicity-batches"),)))
_add("county_hrss", Screen(
    "assessments", "评审", "publicity_assessment", "list_cases", CASE_COLUMNS,
    statuses=ASSESSMENT_LABELS, default_status="publicity_passed", search="姓名 / 申请编号",
    detail="/portal/applications/{id}", titles={"assessment_passed": "上报县组织部"},
    row_actions=(Act("评审不通过", "/api/v1/assessments/{id}/fail", opinion="required", when=("publicity_passed",),
                     style="danger"),),
    batch_actions=(
        Act("评审通过", "/api/v1/assessments/pass", batch="application_ids", when=("publicity_passed",),
            confirm="勾选的申请评审通过？"),
        Act("上报县组织部", "/api/v1/assessments/report", batch="application_ids", when=("assessment_passed",),
            confirm="将勾选的申请上报县区组织部确认？"))))
_add("county_hrss", Screen(
    "publicity-batches", "公示批次", "publicity_assessment", "list_batches",
    (Col("batch_no", "公示批次号", search=True), COUNTY, Col("starts_on", "公示开始", "date"),
     Col("ends_on", "公示截止", "date"), Col("case_count", "申请数"), Col("pending_objections", "待处理异议"),
     STATUS),
    statuses=PUBLICITY_BATCH_LABELS, search="批次号", detail="/portal/publicity-batches/{id}",
    row_actions=(Act("结束公示", "/api/v1/publicity-batches/{id}/end", when=("open",),
                     confirm="公示期已满且异议均已处理，结束公示？"),)))
_add("county_hrss", Screen(
    "objections", "公示异议处理", "publicity_assessment", "list_objections",
    (Col("application_no", "申请编号", search=True), Col("applicant_name", "被异议人", search=True),
     Col("reason", "异议理由"), Col("contact_name", "联系人"), Col("contact_phone", "联系电话"),
     Col("lodged_at", "提出时间", "datetime"), STATUS, Col("opinion", "处理意见")),
    statuses=OBJECTION_LABELS, search="申请编号 / 姓名",
    row_actions=(Act("异议成立", "/api/v1/objections/{id}/uphold", opinion="required", when=("pending",),
                     style="danger", opinion_label="处理意见", confirm="异议成立后，该申请退回县区人社局重新审核。"),
                 Act("异议不成立", "/api/v1/objections/{id}/dismiss", opinion="required", when=("pending",),
                     opinion_label="处理意见"))))

_add("county_hrss", Screen(
    "units", "单位查询", "unit_registry", "list_units",
    (Col("name", "单位名称", search=True), Col("uscc", "统一社会信用代码", search=True), Col("region_name", "行政区划"),
     Col("leader", "单位负责人"), Col("round", "提交轮次"), Col("created_at", "注册时间", "datetime"), STATUS,
     Col("opinion", "审核意见")),
    statuses=REVIEW_LABELS, search="单位名称 / 统一社会信用代码", detail="/portal/units/{id}",
    titles={"pending": "单位注册审核"}, row_actions=_review_actions("/api/v1/units", ("pending",))))
_add("county_hrss", Screen(
    "unit-changes", "单位信息变更审核", "unit_registry", "list_unit_changes",
    (Col("unit_name", "单位名称", search=True), Col("change_summary", "变更内容"),
     Col("created_at", "申请时间", "datetime"), STATUS, Col("opinion", "审核意见")),
    statuses=REVIEW_LABELS, search="单位名称 / 统一社会信用代码", detail="/portal/unit-changes/{id}",
    row_actions=_review_actions("/api/v1/unit-changes", ("pending",))))

# --- county organisation department (stage 8) ----------------------------------------------------------
_add("county_org", Screen(
    "org-reviews", "组织部确认", "org_confirmation", "list_cases", ORG_COLUMNS,
    statuses=ORG_CASE_LABELS, search="姓名 / 申请编号", id_key="application_id",
    detail="/portal/applications/{id}", titles={"pending_county_org": "县组织部确认"},
    row_actions=(Act("退回", "/api/v1/org-reviews/{id}/return", opinion="required", when=("pending_county_org",),
                     style="danger"),),
    batch_actions=(Act("确认", "/api/v1/org-reviews/confirm", batch="application_ids", when=("pending_county_org",),
                       confirm="确认勾选的申请？"),)))
_add("county_org", _applications_readonly("补助申请查询"))
