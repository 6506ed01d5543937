"""Events produced by housing_fund: line B (住房补贴汇缴). Employers, employees, remittances,
bank-statement matching and withdrawals. Fields beyond these are added by the line B issues."""
from shared.contracts.base import FEN, OPINION, OPT_STR, REGION, STR, UUID, EventContract, obj

PRODUCER = "housing_fund"

EMPLOYER = {"employer_id": UUID, "name": STR, "org_code": STR, "region": REGION}
EMPLOYEE = {"employee_id": UUID, "employer_id": UUID, "region": REGION}
REMITTANCE = {"remittance_id": UUID, "employer_id": UUID, "region": REGION, "amount_fen": FEN}
BANK_LINE = {"bank_line_id": UUID, "region": REGION, "amount_fen": FEN}
WITHDRAWAL = {"withdrawal_id": UUID, "employee_id": UUID, "region": REGION, "amount_fen": FEN}
OPT = {"status": OPT_STR, "opinion": OPINION}


def _c(type_: str, required: dict, description: str) -> EventContract:
    return EventContract(type_, PRODUCER, obj(required, OPT), line="housing", description=description)


CONTRACTS = [
    _c("employer.registered", EMPLOYER, "单位注册已提交"),
    _c("employer.approved", EMPLOYER, "住建局审核通过单位注册"),
    _c("employer.returned", EMPLOYER, "住建局退回单位注册"),
    _c("employer.change_requested", EMPLOYER, "单位信息变更申请"),
    _c("employer.changed", EMPLOYER, "单位信息变更生效"),
    _c("employee.opened", EMPLOYEE, "职工开户"),
    _c("employee.changed", EMPLOYEE, "职工信息变更"),
    _c("employee.sealed", EMPLOYEE, "职工封存"),
    _c("employee.unsealed", EMPLOYEE, "职工启封"),
    _c("employee.transfer_requested", EMPLOYEE, "职工转移申请"),
    _c("employee.transferred", EMPLOYEE, "职工转移完成"),
    _c("remittance.submitted", REMITTANCE, "汇缴/补缴申请已提交"),
    _c("remittance.approved", REMITTANCE, "汇缴申请审核通过，生成缴费通知"),
    _c("remittance.returned", REMITTANCE, "汇缴申请被退回"),
    _c("remittance.paid", REMITTANCE, "汇缴款已到账"),
    _c("bank_line.matched", BANK_LINE, "银行到账流水已匹配"),
    _c("bank_line.returned", BANK_LINE, "银行到账流水摘要不符，原路退回"),
    _c("withdrawal.submitted", WITHDRAWAL, "支取申请已提交"),
    _c("withdrawal.approved", WITHDRAWAL, "支取申请审核通过"),
    _c("withdrawal.rejected", WITHDRAWAL, "支取申请未通过"),
    _c("withdrawal.paid", WITHDRAWAL, "支取款已支付"),
]
