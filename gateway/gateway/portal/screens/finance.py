"""Finance's screens (stages 11 and 12, clawbacks)."""
from __future__ import annotations

from gateway.portal.screens.common import AMOUNT, APP_NO, COUNTY, NAME, STATUS, UNIT, _applications_readonly
from gateway.portal.screens.model import Act, Col, Screen
from gateway.portal.screens.registry import _add
from shared.contracts.finance_disbursement import BATCH_LABELS as FINANCE_BATCH_LABELS
from shared.contracts.finance_disbursement import CLAWBACK_LABELS, TRANSFER_LABELS

# --- finance (stages 11 and 12) --------------------------------------------------------------------------
#: a county transfer's commands: 到账确认 first, then the payment to the individuals
TRANSFER_ACTIONS = (Act("确认到账", "/api/v1/county-transfers/{id}/confirm-arrival", when=("released",),
                        confirm="市财政局拨付的资金已到本级财政账户？确认后方可支付到个人。"),
                    Act("拨付至个人", "/api/v1/county-transfers/{id}/pay", when=("received",),
                        confirm="将该拨付单的补助支付到个人银行账户？"))
_add("city_finance", Screen(
    "disbursement-batches", "拨付批次查询", "finance_disbursement", "list_batches",
    (Col("batch_no", "批次号", search=True), Col("expected_count", "申请数"),
     Col("amount_fen", "拨付金额", "money"), Col("arrived_count", "已到达申请数"), Col("county_count", "县区数"),
     Col("released_county_count", "已拨付县区数"), Col("received_at", "接收时间", "datetime"), STATUS),
    statuses=FINANCE_BATCH_LABELS, search="批次号", detail="/portal/disbursement-batches/{id}",
    titles={"ready": "待拨付批次"},
    row_actions=(Act("查看并拨付", "/portal/disbursement-batches/{id}", page=True,
                     when=("ready", "partly_released")),)))
_add("county_finance", Screen(
    "county-transfers", "拨付单查询", "finance_disbursement", "list_transfers",
    (Col("transfer_no", "拨付单号", search=True), Col("batch_no", "批次号", search=True), COUNTY,
     Col("count", "人数"), Col("amount_fen", "金额", "money"), Col("released_at", "市财政拨付时间", "datetime"),
     Col("paid_at", "支付时间", "datetime"), STATUS),
    statuses=TRANSFER_LABELS, search="拨付单号 / 批次号", detail="/portal/county-transfers/{id}",
    titles={"released": "待确认到账", "received": "待拨付至个人"},
    row_actions=TRANSFER_ACTIONS))
_add("county_finance", Screen(
    "failed-payments", "支付失败处理", "finance_disbursement", "list_failed",
    (APP_NO, NAME, UNIT, AMOUNT, Col("bank_name", "开户行"), Col("bank_number", "银行卡号"),
     Col("failure_reason", "失败原因"), Col("attempt", "支付次数"),
     Col("corrected_bank_account.number", "个人已更正账户"), Col("corrected_bank_account.bank", "更正后开户行"),
     STATUS),
    search="申请编号 / 姓名", id_key="application_id",
    row_actions=(Act("按个人已更正账户重新支付", "/api/v1/failed-payments/{id}/retry", hide_if="account_not_corrected",
                     confirm="按个人在注册信息中更正的银行账户重新支付，是否继续？"),
                 Act("更正账户重新支付", "/portal/failed-payments/{id}/retry", page=True),
                 Act("退回", "/api/v1/failed-payments/{id}/return", opinion="required", opinion_label="退回原因",
                     opinion_field="reason", style="danger", confirm="退回后该笔补助不再支付，是否继续？")),
    empty="没有支付失败待处理的申请"))
CLAWBACK_COLUMNS = (Col("application_no", "申请编号", search=True), Col("applicant_name", "姓名"), UNIT, COUNTY,
                    Col("batch_no", "批次号"), Col("amount_fen", "追回金额", "money"), Col("reason", "追回原因"),
                    Col("recorded_at", "登记时间", "datetime"), STATUS, Col("recovered_at", "追回到账时间", "datetime"))
_add("county_finance", Screen(
    "clawbacks", "追回管理", "finance_disbursement", "list_clawbacks", CLAWBACK_COLUMNS, statuses=CLAWBACK_LABELS,
    row_actions=(Act("确认追回到账", "/api/v1/clawbacks/{id}/recover", when=("recorded",),
                     confirm="追回款项已到县财政账户？"),),
    empty="暂无追回记录"))
_add("city_finance", Screen(
    "clawbacks", "追回记录", "finance_disbursement", "list_clawbacks", CLAWBACK_COLUMNS, statuses=CLAWBACK_LABELS,
    empty="暂无追回记录"))
for _role in ("county_finance", "city_finance"):
    _add(_role, _applications_readonly("补助申请查询"))
