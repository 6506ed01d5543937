"""Columns and actions several screens share."""
from __future__ import annotations

from gateway.portal.screens.labels import APPLICATION_LABELS
from gateway.portal.screens.model import Act, Col, Filter, Screen
from shared.contracts.statuses import DEGREES

# --- columns used by several screens -----------------------------------------------------------------
APP_NO = Col("application_no", "申请编号", search=True)
NAME = Col("applicant_name", "姓名", search=True)
ID_NUMBER = Col("id_number", "证件号码", search=True)
UNIT = Col("unit_name", "单位名称")
COUNTY = Col("county_name", "县区")
DEGREE = Col("degree_label", "学历")
MONTHS = Col("months", "补贴月数")
STANDARD = Col("standard_fen", "补贴标准（元/月）", "money")
AMOUNT = Col("amount_fen", "合计金额", "money")
STATUS = Col("status_label", "状态", "status")

START = Col("start_date", "补助申领起始日期", "date")
#: what the unit's lists show, as seed 000 lists it (its own unit needs no column)
UNIT_APPLICATION_COLUMNS = (APP_NO, NAME, ID_NUMBER, DEGREE, START, MONTHS, STANDARD, AMOUNT,
                            Col("submitted_at", "上报时间", "date"), STATUS)
APPLICATION_COLUMNS = (APP_NO, NAME, ID_NUMBER, UNIT, DEGREE, START, MONTHS, AMOUNT,
                       Col("reported_at", "上报时间", "date"), STATUS)
CASE_COLUMNS = (APP_NO, NAME, ID_NUMBER, UNIT, DEGREE, MONTHS, AMOUNT, Col("received_at", "接收日期", "date"), STATUS)
ORG_COLUMNS = (APP_NO, NAME, COUNTY, UNIT, DEGREE, MONTHS, AMOUNT, Col("city_batch_no", "汇总批次"),
               Col("received_at", "接收日期", "date"), STATUS)
CITY_BATCH_COLUMNS = (Col("batch_no", "批次号", search=True), Col("count", "申请数"),
                      Col("amount_fen", "汇总金额", "money"), Col("created_by_name", "汇总人"),
                      Col("created_at", "汇总时间", "datetime"), STATUS, Col("opinion", "意见"))

#: sub-tables of registration details: the materials (预览/下载) and every round of the review
ATTACHMENT_COLUMNS = (Col("kind_label", "附件类型"), Col("filename", "文件名", link=True), Col("size", "大小（字节）"))
HISTORY_COLUMNS = (Col("round", "轮次"), Col("action_label", "操作"), Col("actor_name", "操作人"),
                   Col("at", "时间", "datetime"), Col("opinion", "审核意见"))
CHANGE_COLUMNS = (Col("change_summary", "变更内容"), Col("created_at", "申请时间", "datetime"), STATUS,
                  Col("opinion", "审核意见"), Col("decided_at", "审核时间", "datetime"))

APPROVE = "审核通过"
RETURN = "退回修改"


def _review_actions(prefix: str, statuses: tuple[str, ...]) -> tuple[Act, ...]:
    return (Act(APPROVE, prefix + "/{id}/approve", opinion="optional", when=statuses),
            Act(RETURN, prefix + "/{id}/return", opinion="required", when=statuses, style="danger"))


def _applications_readonly(role_title: str) -> Screen:
    return Screen("applications", role_title, "subsidy_review", "list_applications", APPLICATION_COLUMNS,
                  statuses=APPLICATION_LABELS, search="姓名 / 证件号码 / 申请编号", detail="/portal/applications/{id}",
                  filters=(Filter("degree", "学历", DEGREES),))
