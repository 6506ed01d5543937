"""支取申请 rules: reasons, the payee, and the balance that never goes negative. No framework here."""
from __future__ import annotations

import re
from typing import Any

from shared.contracts.housing_fund import WITHDRAWAL_REASONS
from shared.errors import Conflict, InvalidInput
from shared.workflow import Workflow

PENDING, APPROVED, REJECTED, PAID = "pending", "approved", "rejected", "paid"
STATUSES = {PENDING: "待住建局审核", APPROVED: "审核通过，待支付", REJECTED: "未通过", PAID: "已支付"}
FLOW = Workflow("withdrawal", {(PENDING, "approve"): APPROVED, (PENDING, "reject"): REJECTED,
                               (APPROVED, "pay"): PAID})
PARTIAL = "11"  # business code 部分提取
_ACCOUNT = re.compile(r"^[0-9]{8,30}$")


def check_request(data: Any) -> dict:
    if not isinstance(data, dict):
        raise InvalidInput("请填写支取申请", code="withdrawal.data_required")
    reason = str(data.get("reason_code") or "")
    if reason not in WITHDRAWAL_REASONS:
        raise InvalidInput.field("reason_code", "withdrawal.reason_unknown",
                                 "提取原因应为：" + "、".join(f"{k} {v}" for k, v in WITHDRAWAL_REASONS.items()))
    amount = data.get("amount_fen")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidInput.field("amount_fen", "withdrawal.amount_invalid", "支取金额应为大于0的整数（分）")
    payee = {}
    for key, label in (("payee_name", "收款人户名"), ("payee_bank", "收款银行")):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip() or len(value.strip()) > 100:
            raise InvalidInput.field(key, "withdrawal.payee_required", f"请填写{label}")
        payee[key] = value.strip()
    account = str(data.get("payee_account") or "").replace(" ", "")
    if not _ACCOUNT.match(account):
        raise InvalidInput.field("payee_account", "withdrawal.account_format", "收款账号应为8-30位数字")
    note = data.get("note")
    return {"reason_code": reason, "amount_fen": amount, **payee, "payee_account": account,
            "note": (str(note).strip()[:500] if note else None)}


def check_balance(available_fen: int, amount_fen: int) -> None:
    """A withdrawal never takes a balance below zero (409)."""
    if amount_fen > available_fen:
        raise Conflict(f"支取金额超过可支取余额{available_fen / 100:.2f}元", code="withdrawal.insufficient_balance",
                       details={"available_fen": available_fen, "amount_fen": amount_fen})
