"""The application's overall status along the 13 stages: one vocabulary for every service, the
timeline, the portal and integrators. Each service owns the statuses of its stages; subsidy_review
mirrors the others' from their events so the graduate and the unit always see where the case is.
"""

# status -> (stage it belongs to, Chinese label)
APPLICATION_STATUSES: dict[str, tuple[int, str]] = {
    "pending_unit_review": (2, "待单位审核"),
    "unit_returned": (1, "单位退回修改"),
    "withdrawn": (1, "已撤回"),
    "pending_report": (3, "待上报县人社局"),
    "pending_county_review": (4, "待县人社局审核"),
    "county_returned": (1, "县人社局退回修改"),
    "county_approved": (5, "县人社局审核通过，待公示"),
    "in_publicity": (5, "公示中"),
    "publicity_passed": (6, "公示无异议，待评审"),
    "assessment_failed": (6, "评审未通过"),
    "assessment_passed": (7, "评审通过，待上报县组织部"),
    "pending_county_org": (8, "待县组织部确认"),
    "county_org_confirmed": (9, "县组织部已确认，待市人社局汇总"),
    "city_aggregated": (10, "已汇总，待市组织部确认"),
    "city_org_confirmed": (11, "市组织部已确认，待市财政局拨付"),
    "funds_released": (12, "市财政局已拨付，待县财政局拨付"),
    "paid": (13, "已拨付至个人，待个人确认"),
    "payment_failed": (12, "拨付失败"),
    "payment_returned": (12, "拨付失败，资金已退回"),
    "receipt_confirmed": (13, "个人已确认收到"),
    "receipt_disputed": (13, "个人反馈未收到"),
}

STAGE_NAMES: dict[int, str] = {
    1: "个人申请", 2: "单位审核", 3: "单位上报", 4: "县人社局审核", 5: "公示", 6: "评审", 7: "上报县组织部",
    8: "县组织部确认", 9: "市人社局汇总", 10: "市组织部确认", 11: "市财政局拨付", 12: "县财政局拨付",
    13: "个人确认拨付",
}

#: who acts at each stage (domain.md's table): the authority a stage's time is counted against
STAGE_ROLES: dict[int, str] = {
    1: "individual", 2: "unit_admin", 3: "unit_admin", 4: "county_hrss", 5: "county_hrss", 6: "county_hrss",
    7: "county_hrss", 8: "county_org", 9: "city_hrss", 10: "city_org", 11: "city_finance", 12: "county_finance",
    13: "individual",
}
#: statuses an application does not leave: nothing waits in them, so no stage time runs
FINAL_STATUSES = frozenset({"withdrawn", "assessment_failed", "receipt_confirmed"})

# Degrees (学历) of the policy table; standards per degree are data (subsidy_review's policy table).
DEGREES: dict[str, str] = {"college": "大专", "bachelor": "本科", "master": "硕士研究生", "doctor": "博士研究生"}


def status_label(status: str) -> str:
    return APPLICATION_STATUSES.get(status, (0, status))[1]
