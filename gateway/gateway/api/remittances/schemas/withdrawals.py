"""The schemas of 支取申请 (withdrawals)."""
from __future__ import annotations

import marshmallow as ma

from gateway.api.remittances.schemas.backfills import Attachment
from gateway.api.schemas import Int, PageArgs, Schema
from shared.contracts.housing_fund import WITHDRAWAL_REASONS


class StatusFilter(PageArgs):
    status = ma.fields.String()


class WithdrawalRequest(Schema):
    employee_id = ma.fields.String(required=True)
    reason_code = ma.fields.String(required=True, validate=ma.validate.OneOf(list(WITHDRAWAL_REASONS)),
                                   metadata={"description": "提取原因：" + " ".join(
                                       f"{k}{v}" for k, v in WITHDRAWAL_REASONS.items())})
    amount_fen = Int(required=True)
    payee_name = ma.fields.String(required=True)
    payee_bank = ma.fields.String(required=True)
    payee_account = ma.fields.String(required=True)
    note = ma.fields.String(load_default=None)
    attachments = ma.fields.List(ma.fields.Nested(Attachment), required=True)


class Withdrawal(Schema):
    id = ma.fields.String()
    employee_id = ma.fields.String()
    employee_name = ma.fields.String(allow_none=True)
    employer_id = ma.fields.String()
    employer_name = ma.fields.String(allow_none=True)
    reason_code = ma.fields.String()
    reason_label = ma.fields.String()
    amount_fen = Int()
    payee_name = ma.fields.String()
    payee_bank = ma.fields.String()
    payee_account = ma.fields.String()
    note = ma.fields.String(allow_none=True)
    attachments = ma.fields.List(ma.fields.Dict())
    status = ma.fields.String(metadata={
        "description": "pending 待审核 | approved 待支付 | rejected 未通过 | paid 已支付"})
    status_label = ma.fields.String()
    submitted_at = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    decided_at = ma.fields.String(allow_none=True)
    paid_at = ma.fields.String(allow_none=True)
