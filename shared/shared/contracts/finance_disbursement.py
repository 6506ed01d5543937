"""Events produced by finance_disbursement: stages 11-13 and after (拨付, 支付, 个人确认)."""
from typing import Any

from shared.contracts.applications import RETURN, app_event
from shared.contracts.base import DATE, FEN, INT, OPT_STR, REGION, STR, UUID, EventContract, obj
from shared.contracts.statuses import status_label

PRODUCER = "finance_disbursement"


def stage_event(type_: str, stage: int | None, schema: dict[str, Any], description: str) -> EventContract:
    return EventContract(type_, PRODUCER, schema, stage=stage, description=description)


CONTRACTS = [
    stage_event("county_transfer.released", 11,
                obj({"transfer_id": UUID, "city": REGION, "county": REGION, "batch_id": UUID, "count": INT,
                     "amount_fen": FEN}), "市财政局向县财政局拨付"),
    stage_event("application.funds_released", 11, app_event({"transfer_id": UUID}), "市财政局确认拨付"),
    stage_event("application.paid", 12, app_event({"payment_id": UUID, "paid_on": DATE, "amount_fen": FEN}),
                "县财政局拨付至个人"),
    stage_event("application.payment_failed", 12, app_event({"payment_id": UUID, "reason": STR}), "拨付至个人失败"),
    stage_event("application.receipt_confirmed", 13, app_event(), "个人确认收到补助"),
    stage_event("application.receipt_disputed", 13, app_event(RETURN), "个人反馈未收到补助"),
    stage_event("county_transfer.arrival_confirmed", 12,
                obj({"transfer_id": UUID, "city": REGION, "county": REGION, "batch_id": UUID, "count": INT,
                     "amount_fen": FEN}), "县财政局确认市财政局拨款到账"),
    stage_event("application.payment_retried", 12, app_event({"attempt": INT}), "拨付失败后更正账户重新支付"),
    stage_event("application.payment_returned", 12, app_event({"reason": STR}), "拨付失败，资金退回"),
    stage_event("application.clawback_recorded", None,
                app_event({"clawback_id": UUID, "amount_fen": FEN}, {"reason": OPT_STR}), "记录追回"),
    stage_event("application.clawback_recovered", None,
                app_event({"clawback_id": UUID, "amount_fen": FEN}), "追回款项已到账"),
]


# -- the Chinese labels of this service's own statuses (the service, the portal and integrators) -----------
#: a disbursement batch (汇总批次 at the city finance bureau)
BATCH_LABELS: dict[str, str] = {"waiting_items": "等待申请数据到齐", "ready": "待拨付",
                                "partly_released": "部分县区已拨付", "released": "已拨付"}
#: a county transfer (拨付单)
TRANSFER_LABELS: dict[str, str] = {"released": "市财政局已拨付，待确认到账", "received": "已确认到账，待支付到个人",
                                   "paid": "已支付到个人"}
#: a clawback (追回) of money paid to an individual
CLAWBACK_LABELS: dict[str, str] = {"recorded": "待追回", "recovered": "已追回"}
#: a payment to an individual: the application's own status names and labels
PAYMENT_LABELS: dict[str, str] = {s: status_label(s) for s in ("paid", "receipt_confirmed", "receipt_disputed")}
