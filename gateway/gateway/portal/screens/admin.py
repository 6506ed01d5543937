"""The platform admin's and the housing bureau's screens."""
from __future__ import annotations

from gateway.portal.screens.common import APPROVE, RETURN, STATUS, _applications_readonly
from gateway.portal.screens.labels import EMPLOYER_LABELS, ROLE_LABELS
from gateway.portal.screens.model import Act, Col, Filter, Screen
from gateway.portal.screens.registry import _add
from shared.contracts.housing_fund import (
    REVIEW_STATUSES,
)
from shared.contracts.identity import ACCOUNT_LABELS

# --- platform admin and housing bureau ---------------------------------------------------------------------
ACCOUNT_ACTIONS = (Act("注销", "/api/v1/accounts/{id}/deactivate", when=("active",), style="danger",
                       confirm="注销后该账号立即无法登录，已登录的会话同时失效，是否继续？"),
                   Act("撤销注销", "/api/v1/accounts/{id}/reactivate", when=("deactivated",),
                       confirm="撤销注销后该账号可以重新登录（此前的会话仍然无效），是否继续？"))
_add("sys_admin", Screen(
    "accounts", "账号管理", "identity", "list_accounts",
    (Col("username", "用户名", search=True, link=True), Col("name", "姓名", search=True), Col("role_label", "角色"),
     Col("region_name", "行政区划"), Col("mobile", "手机号码"), Col("last_login_at", "最后登录", "datetime"), STATUS),
    statuses=ACCOUNT_LABELS, search="用户名 / 姓名", filters=(Filter("role", "角色", ROLE_LABELS),),
    new=("新建账号", "/portal/accounts/new"), detail="/portal/accounts/{id}", row_actions=ACCOUNT_ACTIONS))
# 信息维护-账号管理 of a unit: its individuals' and operators' accounts (identity scopes the list to the unit)
_add("unit_admin", Screen(
    "accounts", "账号管理", "identity", "list_accounts",
    (Col("username", "用户名", search=True, link=True), Col("name", "姓名", search=True), Col("role_label", "角色"),
     Col("mobile", "手机号码"), Col("last_login_at", "最后登录", "datetime"), STATUS),
    statuses=ACCOUNT_LABELS, search="用户名 / 姓名",
    filters=(Filter("role", "角色", {k: ROLE_LABELS[k] for k in ("individual", "unit_admin")}),),
    new=("新增经办人账号", "/portal/accounts/new"), detail="/portal/accounts/{id}", row_actions=ACCOUNT_ACTIONS))
_add("sys_admin", _applications_readonly("补助申请查询"))
_add("housing_bureau", Screen(
    "employers", "汇缴单位", "housing_fund", "list_employers",
    (Col("name", "单位名称", search=True, link=True), Col("org_code", "组织机构代码", search=True),
     Col("trade_code", "单位交易代码", search=True), Col("region_name", "行政区划"), Col("contact_name", "联系人"),
     Col("contact_mobile", "联系人手机"), Col("source_label", "来源"), Col("review_status_label", "注册审核"),
     Col("round", "提交次数"), Col("created_at", "提交时间", "datetime"), STATUS),
    statuses=EMPLOYER_LABELS, search="单位名称 / 组织机构代码 / 交易代码", detail="/portal/housing/employers/{id}",
    filters=(Filter("review_status", "注册审核", REVIEW_STATUSES),),
    row_actions=(Act(APPROVE, "/api/v1/employers/{id}/approve", opinion="optional", hide_if="review_done"),
                 Act(RETURN, "/api/v1/employers/{id}/return", opinion="required", style="danger",
                     hide_if="review_done"))))
