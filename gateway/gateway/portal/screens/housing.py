"""Line B: the screens of employers and their employees (housing_fund)."""
from __future__ import annotations

from gateway.portal.screens.common import APPROVE, RETURN, STATUS
from gateway.portal.screens.model import Act, Col, Filter, Screen
from gateway.portal.screens.registry import _add
from shared.contracts.housing_fund import (
    CHANGE_STATUSES,
    EMPLOYEE_STATUSES,
    REVIEW_STATUSES,
    TRANSFER_STATUSES,
)

# --- line B: employers and their employees (housing_fund) -------------------------------------------------
EMPLOYEE_COLUMNS = (Col("name", "姓名", search=True, link=True), Col("id_number", "证件号码", search=True),
                    Col("gender", "性别"), Col("mobile", "手机号码"), Col("level", "级别"),
                    Col("monthly_fen", "每月缴费金额", "money"), Col("start_month", "汇缴开始月份"),
                    Col("periods", "累计缴纳期数"), Col("balance_fen", "累计缴纳金额", "money"), STATUS)
_add("employer", Screen(
    "employees", "职工管理", "housing_fund", "list_employees", EMPLOYEE_COLUMNS,
    statuses=EMPLOYEE_STATUSES, search="姓名 / 证件号码", detail="/portal/housing/employees/{id}",
    new=("新增职工", "/portal/housing/employees/new"), titles={"01": "职工缴存明细"}, pending_list="待变更列表",
    row_actions=(Act("重置密码", "/api/v1/employees/{id}/reset-password", style="link",
                     confirm="将该职工的个人平台密码重置为初始密码（证件号码后6位），是否继续？"),),
    batch_actions=(Act("批量封存", "/api/v1/employees/bulk-seal", batch="employee_ids", when=("01",),
                       confirm="将待变更列表中的职工封存（生效月份为本月）？"),
                   Act("批量启封", "/api/v1/employees/bulk-unseal", batch="employee_ids", when=("02",),
                       confirm="将待变更列表中的职工启封（生效月份为本月）？"))))
_EMPLOYEE_CHANGE_COLUMNS = (Col("employee_name", "姓名", search=True), Col("id_number", "证件号码", search=True),
                            Col("summary", "变更内容"), Col("reason", "变更原因"), Col("by_name", "经办人"),
                            Col("at", "提交时间", "datetime"), STATUS, Col("opinion", "审核意见"))
_add("employer", Screen(
    "employee-changes", "职工信息变更", "housing_fund", "list_employee_changes", _EMPLOYEE_CHANGE_COLUMNS,
    statuses=CHANGE_STATUSES, search="姓名 / 证件号码", new=("新增变更信息", "/portal/employees")))
_add("housing_bureau", Screen(
    "employee-changes", "职工信息变更审核", "housing_fund", "list_employee_changes",
    (Col("employer_name", "单位"),) + _EMPLOYEE_CHANGE_COLUMNS, statuses=CHANGE_STATUSES,
    default_status="pending", search="姓名 / 证件号码",
    row_actions=(Act(APPROVE, "/api/v1/employee-changes/{id}/approve", opinion="optional", when=("pending",)),
                 Act(RETURN, "/api/v1/employee-changes/{id}/return", opinion="required", when=("pending",),
                     style="danger"))))
_EMPLOYER_CHANGE_COLUMNS = (Col("summary", "变更内容"), Col("reason", "变更原因"),
                            Col("submitted_at", "提交时间", "datetime"), STATUS, Col("opinion", "审核意见"))
_add("employer", Screen(
    "employer-changes", "单位信息变更", "housing_fund", "list_employer_changes", _EMPLOYER_CHANGE_COLUMNS,
    statuses=REVIEW_STATUSES, detail="/portal/housing/employer-changes/{id}",
    new=("新增变更信息", "/portal/housing/employer-changes/new")))
_add("housing_bureau", Screen(
    "employer-changes", "单位信息变更审核", "housing_fund", "list_employer_changes",
    (Col("employer_name", "单位名称"),) + _EMPLOYER_CHANGE_COLUMNS, statuses=REVIEW_STATUSES,
    default_status="pending", detail="/portal/housing/employer-changes/{id}",
    row_actions=(Act(APPROVE, "/api/v1/employer-changes/{id}/approve", opinion="optional", when=("pending",)),
                 Act(RETURN, "/api/v1/employer-changes/{id}/return", opinion="required", when=("pending",),
                     style="danger"))))
_add("employer", Screen(
    "transfers", "员工转入/转出", "housing_fund", "list_transfers",
    (Col("employee_name", "姓名"), Col("id_number", "证件号码"), Col("from_employer_name", "转出单位"),
     Col("to_employer_name", "转入单位"), Col("balance_fen", "转移余额", "money"),
     Col("requested_at", "申请时间", "datetime"), STATUS, Col("opinion", "意见")),
    statuses=TRANSFER_STATUSES, new=("新增职工转出", "/portal/housing/transfer-out"),
    filters=(Filter("direction", "方向", {"in": "转入（待本单位审阅）", "out": "转出"}),),
    titles={"pending": "员工转入/转出"},
    row_actions=(Act("审阅通过，立即提交", "/api/v1/transfers/{id}/accept", hide_if="not_decidable",
                     confirm="确认该职工信息无误，转入本单位？职工余额及缴存记录将一并转入。"),
                 Act("退回", "/api/v1/transfers/{id}/reject", opinion="required", style="danger",
                     hide_if="not_decidable"))))
