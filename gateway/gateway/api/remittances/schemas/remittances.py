"""The schemas of remittances (汇缴申请): the request, its lines, the answer, its review rounds, the filter."""
from __future__ import annotations

import marshmallow as ma

from gateway.api.remittances.common import MONTH
from gateway.api.schemas import Int, PageArgs, Schema


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
