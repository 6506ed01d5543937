"""缴费通知: issuing the notice at approval (payment code, trade code, memo, receiving account), the
notices an employer sees, what the printed 缴款通知书 and, once paid, the 缴款凭证 show (the gateway
draws them, with line A's embedded CJK font and verification QR code) and their public 扫码核验; the
bureau's receiving account as policy data."""
from __future__ import annotations

from typing import Any

from housing_fund.adapters.repository import EmployerRepository, RemittanceRepository
from housing_fund.domain import payment_codes
from housing_fund.domain import remittances as rules
from housing_fund.use_cases import remittances as remittance_cases
from housing_fund.use_cases.records import check_id
from shared import regions
from shared.errors import Conflict, InvalidInput, NotFound
from shared.service import Tx
from shared.verification import verification_answer

NOTICE_NOTES = [
    "划款单的摘要必须严格按以下格式填写，并写在摘要开头，否则资金将被原路退回：",
    "单位交易代码x支付代码o（共11位字符），之后可任意添加文字。",
]
RECEIPT_NOTES = ["本凭证由住房补贴汇缴系统根据银行到账流水生成。"]


def _bureaus_for(region: str) -> list[str]:
    city = regions.city_of(region)
    return [region] + ([city] if city and city != region else [])


def receiving_account_for(tx: Tx, region: str) -> dict | None:
    """The account an employer in ``region`` pays into: its county bureau's, else its city's."""
    for bureau in _bureaus_for(region):
        row = tx.repository(RemittanceRepository).receiving_account(bureau)
        if row:
            return {"bureau": bureau, "account_name": row["account_name"], "account_no": row["account_no"],
                    "bank_name": row["bank_name"]}
    return None


def set_receiving_account(tx: Tx, data: Any) -> dict:
    """The calling bureau's receiving account (户名, 账号, 开户行)."""
    if not isinstance(data, dict):
        raise InvalidInput("请填写收款账户", code="receiving_account.required")
    out = {}
    for key, label in (("account_name", "户名"), ("account_no", "账号"), ("bank_name", "开户行")):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip() or len(value.strip()) > 100:
            raise InvalidInput.field(key, "receiving_account.field_required", f"请填写收款账户{label}")
        out[key] = value.strip().replace(" ", "") if key == "account_no" else value.strip()
    bureau = tx.principal.region
    assert bureau is not None  # a housing bureau's token carries its area
    tx.repository(RemittanceRepository).keep_receiving_account(bureau, out, tx.now)
    tx.audit("receiving_account.set", "receiving_account", bureau, after=out, region=bureau)
    return {"bureau": bureau, **out}


def get_receiving_account(tx: Tx) -> dict:
    bureau = tx.principal.region
    assert bureau is not None  # a housing bureau's token carries its area
    return receiving_account_for(tx, bureau) or {}


def issue(tx: Tx, remittance: Any) -> dict:
    """Payment code (unique among outstanding notices), trade code, memo and receiving account."""
    employer = tx.repository(EmployerRepository).get(remittance["employer_id"])
    if not employer["trade_code"]:
        raise Conflict("该单位尚未分配单位交易代码，不能生成缴费通知", code="payment_notice.no_trade_code")
    account = receiving_account_for(tx, remittance["region"])
    if account is None:
        raise Conflict("住建局尚未设置收款账户，请先在“收款账户”中设置", code="payment_notice.no_receiving_account")
    for _ in range(50):
        code = payment_codes.new_code()
        if not tx.repository(RemittanceRepository).code_outstanding(code):
            break
    else:  # 31^4 = 923,521 codes: only a bureau with most of them outstanding gets here
        raise Conflict("可用的支付代码不足，请稍后重试", code="payment_notice.codes_exhausted")
    return {"payment_code": code, "trade_code": employer["trade_code"],
            "memo": payment_codes.memo_of(employer["trade_code"], code), "receiving_account": account}


def list_notices(tx: Tx, filters: dict, page: Any, page_size: Any) -> dict:
    """缴费通知: approved (awaiting payment) and paid remittances."""
    return remittance_cases.list_(tx, filters, page, page_size, notices=True)


def get_notice(tx: Tx, remittance_id: Any) -> dict:
    data = remittance_cases.get(tx, remittance_id)
    if data["status"] not in (rules.APPROVED, rules.PAID):
        raise Conflict("该汇缴申请尚未审核通过，没有缴费通知", code="payment_notice.not_issued")
    return {**data, "notes": NOTICE_NOTES}


def get_receipt(tx: Tx, remittance_id: Any) -> dict:
    """缴款凭证 of a paid remittance (the gateway prints it with its verification QR code); 409
    ``payment_notice.not_paid`` before the money arrived."""
    n = remittance_cases.get(tx, remittance_id)
    if n["status"] != rules.PAID:
        raise Conflict("该缴费通知尚未到账，没有缴款凭证", code="payment_notice.not_paid")
    return {**n, "notes": RECEIPT_NOTES}


def verify_remittance(tx: Tx, remittance_id: Any) -> dict:
    """扫码核验 of a printed 缴款通知书 or 缴款凭证 (public, no login): the payment code, where the
    remittance stands, how many employees and how much - no employer, employee or account
    (``shared.verification``). 404 for a remittance that has no payment notice."""
    row = tx.repository(RemittanceRepository).get(check_id(remittance_id, "remittance_id"))
    if row is None or row["status"] not in (rules.APPROVED, rules.PAID):
        raise NotFound("缴费通知不存在", code="payment_notice.not_found")
    return verification_answer(number=row["payment_code"], status=row["status"],
                               status_label=rules.STATUSES[row["status"]], count=row["employee_count"],
                               amount_fen=int(row["total_fen"]))
