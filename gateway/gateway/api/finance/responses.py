"""What the disbursement routes answer (as finance_disbursement answers it)."""
import marshmallow as ma

from gateway.api.finance.arguments import CorrectedAccount
from gateway.api.schemas import ApplicationRef, Int, Schema
from gateway.api.stage_times import Waited


# -- responses ------------------------------------------------------------------------------------
class Batch(Waited):
    id = ma.fields.String()
    batch_no = ma.fields.String()
    city = ma.fields.String()
    city_name = ma.fields.String(allow_none=True)
    expected_count = Int()
    amount_fen = Int()
    arrived_count = Int()
    arrived_amount_fen = Int()
    county_count = Int()
    released_county_count = Int()
    status = ma.fields.String()
    status_label = ma.fields.String()
    received_at = ma.fields.String(allow_none=True)
    ready_at = ma.fields.String(allow_none=True)


class CountyLine(Schema):
    county = ma.fields.String()
    county_name = ma.fields.String(allow_none=True)
    count = Int()
    amount_fen = Int()
    arrived_count = Int()
    arrived_amount_fen = Int()
    released = ma.fields.Boolean()
    transfer_id = ma.fields.String(allow_none=True)
    transfer_no = ma.fields.String(allow_none=True)
    transfer_status = ma.fields.String(allow_none=True)
    transfer_status_label = ma.fields.String(allow_none=True)
    released_at = ma.fields.String(allow_none=True)


class Discrepancy(Schema):
    scope = ma.fields.String(metadata={"description": "县区代码、total（批次合计）或 lines（各县区合计）"})
    measure = ma.fields.String(metadata={"description": "count 或 amount_fen"})
    expected = Int()
    actual = Int()
    message = ma.fields.String()


class Reconciliation(Schema):
    expected_count = Int()
    expected_amount_fen = Int()
    arrived_count = Int()
    arrived_amount_fen = Int()
    missing_count = Int()
    complete = ma.fields.Boolean()
    ready = ma.fields.Boolean()
    discrepancies = ma.fields.List(ma.fields.Nested(Discrepancy))


class Item(ApplicationRef):
    batch_id = ma.fields.String()
    attempt = Int(metadata={"description": "第几次送银行支付（更正账户重新支付后加一）"})
    return_reason = ma.fields.String(allow_none=True, metadata={"description": "支付失败退回的原因"})
    bank_holder = ma.fields.String(allow_none=True)
    bank_name = ma.fields.String(allow_none=True)
    bank_number = ma.fields.String(allow_none=True, metadata={"description": "列表中仅显示后4位"})
    transfer_id = ma.fields.String(allow_none=True)
    payment_id = ma.fields.String(allow_none=True)
    failure_reason = ma.fields.String(allow_none=True)
    corrected_bank_account = ma.fields.Nested(CorrectedAccount, allow_none=True, metadata={
        "description": "个人已更正账户（支付失败后个人在注册信息中更正；重新支付不填账户时使用）"})
    account_not_corrected = ma.fields.Boolean(metadata={"description": "个人尚未更正账户（重新支付须填写账户）"})


class Transfer(Waited):
    id = ma.fields.String()
    transfer_no = ma.fields.String(metadata={"description": "拨付单号，如 BF440703-20261125-01"})
    batch_id = ma.fields.String()
    batch_no = ma.fields.String(allow_none=True)
    city = ma.fields.String()
    county = ma.fields.String()
    county_name = ma.fields.String(allow_none=True)
    count = Int()
    amount_fen = Int()
    status = ma.fields.String()
    status_label = ma.fields.String()
    released_at = ma.fields.String(allow_none=True)
    arrival_confirmed_at = ma.fields.String(allow_none=True, metadata={"description": "县财政局确认到账时间"})
    paid_at = ma.fields.String(allow_none=True)


class BatchDetail(Batch):
    counties = ma.fields.List(ma.fields.Nested(CountyLine))
    reconciliation = ma.fields.Nested(Reconciliation)
    items = ma.fields.List(ma.fields.Nested(Item))


class ReleasedBatch(BatchDetail):
    released_transfers = ma.fields.List(ma.fields.Nested(Transfer))


class BankResultFile(Schema):
    id = ma.fields.String()
    filename = ma.fields.String(allow_none=True)
    imported_at = ma.fields.String()
    paid = Int()
    failed = Int()
    unchanged = Int()
    rejected = Int()


class TransferDetail(Transfer):
    items = ma.fields.List(ma.fields.Nested(Item))
    bank_results = ma.fields.List(ma.fields.Nested(BankResultFile), metadata={"description": "已导入的银行回盘"})


class ResultLine(Schema):
    row = Int(allow_none=True, metadata={"description": "回盘文件中的行号"})
    line_key = ma.fields.String(allow_none=True)
    outcome = ma.fields.String(metadata={"description": "paid / failed / unchanged（已处理过）/ rejected（未处理）"})
    code = ma.fields.String(allow_none=True)
    message = ma.fields.String()


class BankResult(Schema):
    id = ma.fields.String()
    repeated = ma.fields.Boolean(metadata={"description": "同一文件已导入过：本次未作任何变更"})
    filename = ma.fields.String(allow_none=True)
    paid = Int()
    failed = Int()
    unchanged = Int()
    rejected = Int()
    waiting = Int(metadata={"description": "仍待银行支付结果的申请数"})
    lines = ma.fields.List(ma.fields.Nested(ResultLine))


class Clawback(Schema):
    id = ma.fields.String()
    application_id = ma.fields.String()
    round = Int()
    application_no = ma.fields.String(allow_none=True)
    applicant_name = ma.fields.String(allow_none=True)
    unit_name = ma.fields.String(allow_none=True)
    batch_id = ma.fields.String()
    batch_no = ma.fields.String(allow_none=True)
    county = ma.fields.String()
    county_name = ma.fields.String(allow_none=True)
    amount_fen = Int()
    reason = ma.fields.String()
    status = ma.fields.String()
    status_label = ma.fields.String()
    recorded_at = ma.fields.String()
    recovered_at = ma.fields.String(allow_none=True)


class MoneyColumns(Schema):
    released_count = Int(metadata={"description": "市财政局已拨付"})
    released_amount_fen = Int()
    paid_count = Int(metadata={"description": "已支付到个人"})
    paid_amount_fen = Int()
    failed_count = Int(metadata={"description": "支付失败，待处理"})
    failed_amount_fen = Int()
    pending_count = Int(metadata={"description": "待支付（含更正账户后重新支付）"})
    pending_amount_fen = Int()
    returned_count = Int(metadata={"description": "支付失败已退回"})
    returned_amount_fen = Int()
    clawback_count = Int(metadata={"description": "追回（另列，不冲减已支付）"})
    clawback_amount_fen = Int()
    clawback_recovered_count = Int(metadata={"description": "其中已追回到账"})
    clawback_recovered_amount_fen = Int()
    balanced = ma.fields.Boolean(metadata={"description": "已拨付 = 已支付 + 支付失败 + 待支付 + 已退回"})


class ReconciliationLine(MoneyColumns):
    batch_id = ma.fields.String()
    batch_no = ma.fields.String(allow_none=True)
    county = ma.fields.String()
    county_name = ma.fields.String(allow_none=True)


class ReconciliationReport(Schema):
    lines = ma.fields.List(ma.fields.Nested(ReconciliationLine))
    total = ma.fields.Nested(MoneyColumns)


class Payment(Schema):
    id = ma.fields.String()
    application_id = ma.fields.String()
    application_no = ma.fields.String(allow_none=True)
    round = Int()
    applicant_name = ma.fields.String(allow_none=True)
    unit_name = ma.fields.String(allow_none=True)
    county = ma.fields.String(allow_none=True)
    county_name = ma.fields.String(allow_none=True)
    transfer_no = ma.fields.String(allow_none=True)
    amount_fen = Int()
    bank_holder = ma.fields.String()
    bank_name = ma.fields.String()
    bank_number = ma.fields.String(metadata={"description": "仅显示后4位"})
    paid_on = ma.fields.String()
    status = ma.fields.String()
    status_label = ma.fields.String()
    confirmed_at = ma.fields.String(allow_none=True)
    disputed_at = ma.fields.String(allow_none=True)
    dispute_opinion = ma.fields.String(allow_none=True)


class StatusTotal(Schema):
    status = ma.fields.String()
    status_label = ma.fields.String()
    count = Int()
    amount_fen = Int()


class Totals(Schema):
    count = Int()
    amount_fen = Int()
    released_count = Int(metadata={"description": "市财政局已拨付"})
    released_amount_fen = Int()
    paid_count = Int(metadata={"description": "已支付到个人"})
    paid_amount_fen = Int()


class CountyTotals(Totals):
    county = ma.fields.String()
    county_name = ma.fields.String(allow_none=True)
    statuses = ma.fields.List(ma.fields.Nested(StatusTotal))


class Statistics(Schema):
    counties = ma.fields.List(ma.fields.Nested(CountyTotals))
    statuses = ma.fields.List(ma.fields.Nested(StatusTotal))
    total = ma.fields.Nested(Totals)
