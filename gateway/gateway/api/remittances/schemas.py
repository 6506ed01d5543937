"""The request and response schemas of line B part 2's routes."""
from __future__ import annotations

import marshmallow as ma

from gateway.api.remittances.common import MONTH
from gateway.api.schemas import Int, PageArgs, Schema
from shared.contracts.housing_fund import WITHDRAWAL_REASONS


# -- schemas ------------------------------------------------------------------------------------------
class Opinion(Schema):
    opinion = ma.fields.String(load_default=None, validate=ma.validate.Length(max=500),
                               metadata={"description": "审核意见（退回、不予通过时必填）"})


class Line(Schema):
    employee_id = ma.fields.String(required=True)
    month = ma.fields.String(load_default=None, validate=MONTH, metadata={"description": "按月补缴时该条的月份"})
    amount_fen = Int(load_default=None, metadata={"description": "金额（分）；不填按级别或指定汇缴金额"})
    amount = ma.fields.String(load_default=None, metadata={
        "description": "金额（元，文本）；按每行四舍五入到分（2位小数 HALF_UP）"})
    override = ma.fields.Boolean(load_default=False, metadata={"description": "指定汇缴：以后各月自动沿用此金额"})


class RemittanceRequest(Schema):
    mode = ma.fields.String(required=True, validate=ma.validate.OneOf(["remit", "back_pay"]),
                            metadata={"description": "remit 汇缴 | back_pay 补缴"})
    back_pay_kind = ma.fields.String(load_default=None, validate=ma.validate.OneOf(["monthly", "lump_sum"]),
                                     metadata={"description": "monthly 按月补缴（每次不超过12个月）"
                                                              "| lump_sum 一次性补缴"})
    month = ma.fields.String(load_default=None, validate=MONTH, metadata={"description": "汇缴月份 / 一次性补缴月份"})
    month_from = ma.fields.String(load_default=None, validate=MONTH)
    month_to = ma.fields.String(load_default=None, validate=MONTH)
    apply_first_page = ma.fields.Boolean(load_default=False, metadata={
        "description": "全部应用第一页信息：第一个月的人员和金额复制到其他月份"})
    lines = ma.fields.List(ma.fields.Nested(Line), required=True)


class RemittanceLine(Schema):
    employee_id = ma.fields.String()
    name = ma.fields.String()
    id_number = ma.fields.String()
    month = ma.fields.String()
    amount_fen = Int()
    overridden = ma.fields.Boolean()


class Remittance(Schema):
    id = ma.fields.String()
    employer_id = ma.fields.String()
    employer_name = ma.fields.String(allow_none=True)
    mode = ma.fields.String()
    mode_label = ma.fields.String()
    back_pay_kind = ma.fields.String(allow_none=True)
    back_pay_kind_label = ma.fields.String(allow_none=True)
    month_from = ma.fields.String()
    month_to = ma.fields.String()
    months = ma.fields.String()
    status = ma.fields.String(metadata={
        "description": "pending 待审核 | approved 待缴款 | returned 已退回 | paid 已到账"})
    status_label = ma.fields.String()
    total_fen = Int()
    employee_count = Int()
    line_count = Int()
    submitted_at = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    decided_at = ma.fields.String(allow_none=True)
    payment_code = ma.fields.String(allow_none=True, metadata={"description": "支付代码（4位，不含X、O、I、0、1）"})
    trade_code = ma.fields.String(allow_none=True, metadata={"description": "单位交易代码"})
    memo = ma.fields.String(allow_none=True, metadata={"description": "转账摘要，须写在摘要开头，如 75256xA7W5o"})
    receiving_account = ma.fields.Dict(allow_none=True, metadata={"description": "住建局收款账户：户名、账号、开户行"})
    paid_at = ma.fields.String(allow_none=True)
    round = Int(metadata={"description": "第N次提交（退回后修改重新提交）"})


class RemittanceRound(Schema):
    round = Int()
    mode = ma.fields.String()
    mode_label = ma.fields.String()
    months = ma.fields.String()
    total_fen = Int()
    employee_count = Int()
    line_count = Int()
    submitted_at = ma.fields.String()
    decision = ma.fields.String(allow_none=True, metadata={"description": "approved | returned；空为待审核"})
    decision_label = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    decided_at = ma.fields.String(allow_none=True)


class RemittanceDetail(Remittance):
    lines = ma.fields.List(ma.fields.Nested(RemittanceLine))
    rounds = ma.fields.List(ma.fields.Nested(RemittanceRound), metadata={"description": "历次提交及审核意见"})
    notes = ma.fields.List(ma.fields.String())


class RemittanceFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(["pending", "approved", "returned", "paid"]))
    mode = ma.fields.String(validate=ma.validate.OneOf(["remit", "back_pay"]))
    month = ma.fields.String(validate=MONTH)


class RosterArgs(Schema):
    month = ma.fields.String(required=True, validate=MONTH)
    mode = ma.fields.String(load_default="remit", validate=ma.validate.OneOf(["remit", "back_pay"]))


class RosterItem(Schema):
    employee_id = ma.fields.String()
    name = ma.fields.String()
    id_number = ma.fields.String()
    level = ma.fields.String()
    monthly_fen = Int()
    amount_fen = Int(metadata={"description": "本月汇缴金额（指定汇缴沿用）"})
    overridden = ma.fields.Boolean()
    start_month = ma.fields.String(allow_none=True)
    held = ma.fields.Boolean(metadata={"description": "已在未完成的汇缴申请中"})
    has_history = ma.fields.Boolean(metadata={"description": "在本单位有汇缴记录"})


class Roster(Schema):
    month = ma.fields.String()
    mode = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(RosterItem))
    total = Int()
    total_fen = Int()


class ReminderArgs(Schema):
    month = ma.fields.String(load_default=None, validate=MONTH)


class ReminderResult(Schema):
    sent = Int()


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


class Attachment(Schema):
    id = ma.fields.String(required=True)
    filename = ma.fields.String(load_default=None)
    kind = ma.fields.String(load_default=None)


class BackfillRow(Schema):
    employee_id = ma.fields.String(required=True)
    month = ma.fields.String(required=True, validate=MONTH, metadata={"description": "缴款月份（早于本月）"})
    amount_fen = Int(required=True)
    periods = Int(load_default=1)


class BackfillRequest(Schema):
    rows = ma.fields.List(ma.fields.Nested(BackfillRow), required=True)
    attachments = ma.fields.List(ma.fields.Nested(Attachment), required=True)
    reason = ma.fields.String(load_default=None)


class Backfill(Schema):
    id = ma.fields.String()
    employer_id = ma.fields.String()
    employer_name = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"description": "pending 待审核 | approved 已入账 | returned 已退回"})
    status_label = ma.fields.String()
    total_fen = Int()
    row_count = Int()
    rows = ma.fields.List(ma.fields.Dict())
    attachments = ma.fields.List(ma.fields.Dict())
    reason = ma.fields.String(allow_none=True)
    submitted_at = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    decided_at = ma.fields.String(allow_none=True)


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
