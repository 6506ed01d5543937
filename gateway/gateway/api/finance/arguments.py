"""What the disbursement routes accept: filters, releases, retries, disputes, bank result files."""
import marshmallow as ma

from gateway.api.finance.common import (
    BATCH_STATUSES,
    CLAWBACK_STATUSES,
    ITEM_STATUSES,
    PAYMENT_STATUSES,
    REGION,
    TRANSFER_STATUSES,
)
from gateway.api.schemas import PageArgs, Schema


# -- arguments ------------------------------------------------------------------------------------
class BatchFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(BATCH_STATUSES),
                              metadata={"description": "ready = 待拨付"})


class ReleaseArgs(Schema):
    county = ma.fields.String(load_default=None, allow_none=True, validate=REGION,
                              metadata={"description": "只拨付此县区；不填则拨付所有尚未拨付的县区"})


class TransferFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(TRANSFER_STATUSES),
                              metadata={"description": "released = 待支付到个人"})
    batch_id = ma.fields.String()


class PaymentFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(PAYMENT_STATUSES),
                              metadata={"description": "paid = 待确认收款"})


class DisputeArgs(Schema):
    opinion = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500),
                               metadata={"description": "未收到补助的情况说明"})


class StatisticsArgs(Schema):
    county = ma.fields.String(validate=REGION)
    batch_id = ma.fields.String()
    status = ma.fields.String(validate=ma.validate.OneOf(ITEM_STATUSES))


class FailedFilter(PageArgs):
    transfer_id = ma.fields.String()


class ClawbackFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(CLAWBACK_STATUSES),
                              metadata={"description": "recorded = 待追回"})
    batch_id = ma.fields.String()


class BankAccountArgs(Schema):
    holder = ma.fields.String(required=True, metadata={"description": "户名（须为申请人本人）"})
    bank = ma.fields.String(required=True, metadata={"description": "开户行"})
    number = ma.fields.String(required=True, metadata={"description": "银行卡号，12-30位数字"})


class RetryArgs(Schema):
    """申请人更正后的银行账户；不填则用个人在注册信息中更正的账户."""
    bank_account = ma.fields.Nested(BankAccountArgs, load_default=None)


class CorrectedAccount(Schema):
    holder = ma.fields.String()
    bank = ma.fields.String()
    number = ma.fields.String(metadata={"description": "列表中仅显示后4位"})
    corrected_at = ma.fields.String(metadata={"description": "个人更正账户的时间"})


class ReasonArgs(Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class ReconciliationArgs(Schema):
    county = ma.fields.String(validate=REGION)
    batch_id = ma.fields.String()


class ResultFile(Schema):
    file = ma.fields.Raw(metadata={"type": "string", "format": "binary",
                                   "description": "银行回盘 .xlsx：下载的支付文件填上"
                                                  "“支付结果”（成功/失败）和“失败原因”"})
