"""缴费通知: issuing the notice at approval (payment code, trade code, memo, receiving account), the
notices an employer sees, the printable 缴款通知书 and, once paid, the 缴款凭证; the bureau's
receiving account as policy data."""
from __future__ import annotations

import base64
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert

from housing_fund.adapters import documents
from housing_fund.adapters.orm import receiving_accounts
from housing_fund.adapters.repository import EmployerRepository, RemittanceRepository
from housing_fund.domain import payment_codes
from housing_fund.domain import remittances as rules
from housing_fund.use_cases import remittances as remittance_cases
from shared import regions
from shared.errors import Conflict, InvalidInput
from shared.service import Tx

NOTICE_NOTES = [
    "划款单的摘要必须严格按以下格式填写，并写在摘要开头，否则资金将被原路退回：",
    "单位交易代码x支付代码o（共11位字符），之后可任意添加文字。",
]


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
    stmt = pg_insert(receiving_accounts).values(bureau=bureau, updated_at=tx.now, **out)
    tx.session.execute(stmt.on_conflict_do_update(index_elements=["bureau"], set_={**out, "updated_at": tx.now}))
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


def notice_pdf(tx: Tx, remittance_id: Any) -> dict:
    """缴款通知书 as PDF (base64)."""
    n = get_notice(tx, remittance_id)
    account = n["receiving_account"] or {}
    content = documents.pdf("住房补贴缴款通知书", [
        ("缴款单位", n["employer_name"] or ""), ("汇缴方式", n["mode_label"]), ("汇缴月份", n["months"]),
        ("缴款人数", f"{n['employee_count']} 人"), ("应缴金额", documents.yuan(n["total_fen"])),
        ("单位交易代码", n["trade_code"]), ("支付代码", n["payment_code"]), ("转账摘要", n["memo"]),
        ("收款户名", account.get("account_name", "")), ("收款账号", account.get("account_no", "")),
        ("开户银行", account.get("bank_name", "")), ("状态", n["status_label"])],
        NOTICE_NOTES + [f"例如：{n['memo']}，{n['months']}月份汇缴款。"])
    return {"filename": f"缴款通知书-{n['payment_code']}.pdf", "content_type": "application/pdf",
            "content_b64": base64.b64encode(content).decode()}


def receipt_pdf(tx: Tx, remittance_id: Any) -> dict:
    """缴款凭证 of a paid remittance (PDF, base64)."""
    n = remittance_cases.get(tx, remittance_id)
    if n["status"] != rules.PAID:
        raise Conflict("该缴费通知尚未到账，没有缴款凭证", code="payment_notice.not_paid")
    content = documents.pdf("住房补贴缴款凭证", [
        ("缴款单位", n["employer_name"] or ""), ("汇缴方式", n["mode_label"]), ("汇缴月份", n["months"]),
        ("缴款人数", f"{n['employee_count']} 人"), ("实缴金额", documents.yuan(n["total_fen"])),
        ("支付代码", n["payment_code"]), ("转账摘要", n["memo"]), ("到账时间", (n["paid_at"] or "")[:19])],
        ["本凭证由住房补贴汇缴系统根据银行到账流水生成。"])
    return {"filename": f"缴款凭证-{n['payment_code']}.pdf", "content_type": "application/pdf",
            "content_b64": base64.b64encode(content).decode()}
