"""The schemas of reconciliation: the receiving account, bank statements, bank lines, the report."""
from __future__ import annotations

import marshmallow as ma

from gateway.api.schemas import Int, PageArgs, Schema


class ReceivingAccount(Schema):
    bureau = ma.fields.String(dump_only=True)
    account_name = ma.fields.String(required=True, metadata={"description": "户名"})
    account_no = ma.fields.String(required=True, metadata={"description": "账号"})
    bank_name = ma.fields.String(required=True, metadata={"description": "开户行"})


class StatementFile(Schema):
    file = ma.fields.Raw(metadata={"type": "string", "format": "binary",
                                   "description": "对账单 .xlsx 或 .csv："
                                                  "交易日期、金额、付款账号、付款户名、摘要、银行流水号"})


class Statement(Schema):
    id = ma.fields.String()
    filename = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"description": "processing 匹配中 | done 匹配完成"})
    status_label = ma.fields.String()
    line_count = Int()
    credit_count = Int()
    credit_fen = Int()
    matched_count = Int()
    matched_fen = Int()
    returned_count = Int()
    returned_fen = Int()
    already_recorded_count = Int(allow_none=True, metadata={
        "description": "流水号已在此前的对账单中处理过的笔数（重复上传）"})
    uploaded_at = ma.fields.String()
    finished_at = ma.fields.String(allow_none=True)
    job = ma.fields.Dict(allow_none=True)


class BankLine(Schema):
    id = ma.fields.String()
    serial = ma.fields.String()
    statement_id = ma.fields.String()
    row = Int()
    date = ma.fields.String()
    amount_fen = Int()
    payer_account = ma.fields.String(allow_none=True)
    payer_name = ma.fields.String(allow_none=True)
    memo = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"description": "matched 已匹配入账 | returned 原路退回 | debit 借方"})
    status_label = ma.fields.String()
    reason = ma.fields.String(allow_none=True)
    reason_label = ma.fields.String(allow_none=True)
    remittance_id = ma.fields.String(allow_none=True)
    employer_name = ma.fields.String(allow_none=True)


class BankLineFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(["matched", "returned", "debit"]))
    statement_id = ma.fields.String()
    reason = ma.fields.String()


class ReportArgs(Schema):
    statement_id = ma.fields.String(load_default=None)


class Report(Schema):
    statement_id = ma.fields.String(allow_none=True)
    matched_count = Int()
    matched_fen = Int()
    returned_count = Int()
    returned_fen = Int()
    recorded_credit_count = Int()
    recorded_credit_fen = Int()
    credit_count = Int()
    credit_fen = Int()
    returned_by_reason = ma.fields.List(ma.fields.Dict())
    outstanding_count = Int()
    outstanding_fen = Int()
