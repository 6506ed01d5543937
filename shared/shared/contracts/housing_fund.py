"""Events produced by housing_fund: line B (住房补贴汇缴). Employers, employees, remittances,
bank-statement matching and withdrawals; and the code tables of line B (provident-fund practice), one
vocabulary for the service, the portal and integrators.

Personal data in these events: ``mobile`` (dropped from the integration view), ``id_number`` (masked)
and, for ``employee.*`` events, ``name`` (masked)."""
from typing import Any

from shared.contracts.base import (
    FEN,
    INT,
    OPINION,
    OPT_STR,
    OPT_UUID,
    REGION,
    STR,
    UUID,
    EventContract,
    obj,
)

PRODUCER = "housing_fund"

# --- code tables (domain.md, line B) --------------------------------------------------------------
#: employee status (个人账户状态)
EMPLOYEE_STATUSES: dict[str, str] = {"01": "正常", "02": "封存", "03": "合并销户", "04": "外部转出销户",
                                     "05": "提取销户", "06": "冻结", "99": "其他"}
#: employer status (单位状态); 02 开户 while the registration is under review
EMPLOYER_STATUSES: dict[str, str] = {"01": "正常", "02": "开户", "03": "缓缴", "04": "销户", "05": "封存"}
#: business codes (业务类型) of the per-employee ledger and the change history
BUSINESS_CODES: dict[str, str] = {"01": "汇缴", "02": "补缴", "03": "开户", "04": "启封", "05": "封存",
                                  "06": "内部转移", "07": "外部转出", "08": "外部转入", "10": "基数调整",
                                  "11": "部分提取", "12": "销户提取", "13": "缓缴"}
#: withdrawal reasons (提取原因)
WITHDRAWAL_REASONS: dict[str, str] = {"01": "购房", "02": "建造/翻建/大修", "03": "离退休", "04": "丧失劳动能力",
                                      "05": "户口迁出/出境定居", "06": "偿还房贷", "07": "租房", "08": "死亡",
                                      "09": "大病", "99": "其他"}
#: review of an employer's registration (注册审核) and of a change request (变更审核)
REVIEW_STATUSES: dict[str, str] = {"pending": "待审核", "approved": "审核通过", "returned": "退回修改"}
#: an employee transfer between employers (员工转入/转出)
TRANSFER_STATUSES: dict[str, str] = {"pending": "待转入单位审阅", "accepted": "已转入", "rejected": "转入单位退回"}
#: an employee's change record (变更记录): what was done, and where it stands
CHANGE_KINDS: dict[str, str] = {"open": "开户", "change": "信息变更", "seal": "封存", "unseal": "启封",
                                "transfer_out": "转出", "transfer_in": "转入", "initialise": "初始化核对"}
CHANGE_STATUSES: dict[str, str] = {"applied": "已生效", "pending": "待住建局审核", "approved": "审核通过，已生效",
                                   "returned": "住建局退回"}
#: the source of an employer: registered online (注册新单位) or migrated by the bureau (已有汇缴业务)
EMPLOYER_SOURCES: dict[str, str] = {"registered": "单位注册", "migrated": "迁移导入"}

# --- events ---------------------------------------------------------------------------------------
EMPLOYER = {"employer_id": UUID, "name": STR, "org_code": STR, "region": REGION}
EMPLOYER_OPT = {"status": OPT_STR, "opinion": OPINION, "uscc": OPT_STR, "trade_code": OPT_STR,
                "round": INT, "mobile": OPT_STR, "contact_name": OPT_STR, "source": OPT_STR,
                "change_id": OPT_UUID, "changes": {"type": ["object", "null"]}}
EMPLOYEE = {"employee_id": UUID, "employer_id": UUID, "region": REGION}
EMPLOYEE_OPT = {"status": OPT_STR, "opinion": OPINION, "name": OPT_STR, "id_number": OPT_STR, "mobile": OPT_STR,
                "employer_name": OPT_STR, "org_code": OPT_STR, "level": OPT_STR, "monthly_fen": FEN,
                "business_code": OPT_STR, "transfer_id": OPT_UUID, "to_employer_id": OPT_UUID,
                "from_employer_id": OPT_UUID, "balance_fen": INT, "effective_month": OPT_STR,
                "changes": {"type": ["object", "null"]}, "change_id": OPT_UUID}
EMPLOYER_BATCH = {"employer_id": UUID, "region": REGION, "count": INT}
REMITTANCE = {"remittance_id": UUID, "employer_id": UUID, "region": REGION, "amount_fen": FEN}
BANK_LINE = {"bank_line_id": UUID, "region": REGION, "amount_fen": FEN}
WITHDRAWAL = {"withdrawal_id": UUID, "employee_id": UUID, "region": REGION, "amount_fen": FEN}
OPT = {"status": OPT_STR, "opinion": OPINION}
# line B part 2 (optional fields, additive): bank accounts travel only inside housing_fund's own
# exchange; the integration view drops payer_account/payee_account and masks payer_name/payee_name
REMITTANCE_OPT = {**OPT, "mode": OPT_STR, "back_pay_kind": OPT_STR, "month_from": OPT_STR, "month_to": OPT_STR,
                  "employee_count": INT, "payment_code": OPT_STR, "trade_code": OPT_STR, "memo": OPT_STR,
                  "bank_line_id": OPT_UUID, "employer_name": OPT_STR}
BANK_LINE_OPT = {**OPT, "serial": OPT_STR, "statement_id": OPT_UUID, "reason": OPT_STR, "reason_label": OPT_STR,
                 "remittance_id": OPT_UUID, "employer_id": OPT_UUID, "payer_name": OPT_STR,
                 "payer_account": OPT_STR, "date": OPT_STR}
WITHDRAWAL_OPT = {**OPT, "employer_id": OPT_UUID, "reason_code": OPT_STR, "name": OPT_STR, "id_number": OPT_STR,
                  "payee_name": OPT_STR, "payee_account": OPT_STR}
REMINDER = {"employer_id": UUID, "region": REGION, "month": STR}
REMINDER_OPT = {"employer_name": OPT_STR, "org_code": OPT_STR, "mobile": OPT_STR}
BACKFILL = {"backfill_id": UUID, "employer_id": UUID, "region": REGION, "amount_fen": FEN}
BACKFILL_OPT = {**OPT, "rows": INT}


def _c(type_: str, required: dict[str, Any], description: str, optional: dict[str, Any] | None = None, *,
       integration: bool = True) -> EventContract:
    return EventContract(type_, PRODUCER, obj(required, optional or OPT), line="housing", description=description,
                         integration=integration)


def _employer(type_: str, description: str, required: dict[str, Any] | None = None) -> EventContract:
    return _c(type_, {**EMPLOYER, **(required or {})}, description, EMPLOYER_OPT)


def _employee(type_: str, description: str, required: dict[str, Any] | None = None) -> EventContract:
    return _c(type_, {**EMPLOYEE, **(required or {})}, description, EMPLOYEE_OPT)


CONTRACTS = [
    _employer("employer.registered", "单位注册已提交，待住建局审核"),
    _employer("employer.resubmitted", "单位修改后重新提交注册"),
    # identity creates the employer's login from these two (username = 组织机构代码, initial password)
    _employer("employer.approved", "住建局审核通过单位注册，分配单位交易代码", {"trade_code": STR, "mobile": STR}),
    _employer("employer.migrated", "住建局迁移导入已有汇缴业务的单位", {"trade_code": STR, "mobile": STR}),
    _employer("employer.returned", "住建局退回单位注册", {"opinion": STR}),
    _employer("employer.initialised", "单位提交职工信息初始化"),
    _employer("employer.change_requested", "单位信息变更申请"),
    _employer("employer.changed", "单位信息变更生效"),
    _employer("employer.change_returned", "住建局退回单位信息变更", {"opinion": STR}),
    _employee("employee.opened", "职工开户"),
    _c("employee.imported", EMPLOYER_BATCH, "职工批量导入", {"import_id": OPT_UUID}),
    _employee("employee.change_requested", "职工信息变更申请，待住建局审核"),
    _employee("employee.changed", "职工信息变更生效"),
    _employee("employee.change_returned", "住建局退回职工信息变更", {"opinion": STR}),
    _employee("employee.sealed", "职工封存"),
    _employee("employee.unsealed", "职工启封"),
    _employee("employee.transfer_requested", "职工转出，待转入单位审阅"),
    _employee("employee.transferred", "职工转移完成，余额与缴存记录随职工转入"),
    _employee("employee.transfer_rejected", "转入单位退回职工转移"),
    _employee("employee.password_reset", "单位为职工重置个人密码"),
    _c("remittance.submitted", REMITTANCE, "汇缴/补缴申请已提交", REMITTANCE_OPT),
    _c("remittance.approved", REMITTANCE, "汇缴申请审核通过，生成缴费通知（支付代码、摘要）", REMITTANCE_OPT),
    _c("remittance.returned", REMITTANCE, "汇缴申请被退回", REMITTANCE_OPT),
    _c("remittance.resubmitted", REMITTANCE, "被退回的汇缴申请修改后重新提交（第N次提交）",
       {**REMITTANCE_OPT, "round": INT}),
    _c("remittance.paid", REMITTANCE, "汇缴款已到账，已记入职工明细账", REMITTANCE_OPT),
    # identity (notifications) may consume this to message the employer's clerk: 本月尚未汇缴
    _c("remittance.reminder_due", REMINDER, "单位本月尚未汇缴（每月提醒，每单位每月一次）", REMINDER_OPT),
    # one per statement line (100,000 in a large statement): on housing_fund's own exchange only; the
    # integration exchange gets what issue 11 lists for integrators, remittance.paid per notice paid
    _c("bank_line.matched", BANK_LINE, "银行到账流水已匹配", BANK_LINE_OPT, integration=False),
    _c("bank_line.returned", BANK_LINE, "银行到账流水摘要不符，原路退回", BANK_LINE_OPT, integration=False),
    _c("backfill.submitted", BACKFILL, "缴款历史补录已提交", BACKFILL_OPT),
    _c("backfill.approved", BACKFILL, "缴款历史补录审核通过，已入账", BACKFILL_OPT),
    _c("backfill.returned", BACKFILL, "缴款历史补录被退回", BACKFILL_OPT),
    _c("withdrawal.submitted", WITHDRAWAL, "支取申请已提交", WITHDRAWAL_OPT),
    _c("withdrawal.approved", WITHDRAWAL, "支取申请审核通过", WITHDRAWAL_OPT),
    _c("withdrawal.rejected", WITHDRAWAL, "支取申请未通过", WITHDRAWAL_OPT),
    _c("withdrawal.paid", WITHDRAWAL, "支取款已支付", WITHDRAWAL_OPT),
]
