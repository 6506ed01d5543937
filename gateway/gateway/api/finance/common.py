"""The blueprint of /api/v1 disbursement and what its routes share: the service, its statuses."""
import marshmallow as ma
from flask_smorest import Blueprint

from gateway.portal import export
from shared.contracts.finance_disbursement import CLAWBACK_LABELS
from shared.contracts.finance_disbursement import TRANSFER_LABELS as TRANSFER_STATUS_LABELS

bp = Blueprint("finance", __name__, url_prefix="/api/v1", description="资金拨付（市财政局、县财政局、个人确认收款）")

SERVICE = "finance_disbursement"
BATCH_STATUSES = ["waiting_items", "ready", "partly_released", "released"]
TRANSFER_STATUSES = list(TRANSFER_STATUS_LABELS)
CLAWBACK_STATUSES = list(CLAWBACK_LABELS)
PAYMENT_STATUSES = ["paid", "receipt_confirmed", "receipt_disputed"]
ITEM_STATUSES = ["confirmed", "released", "paid", "payment_failed", "receipt_confirmed", "receipt_disputed",
                 "payment_returned"]
XLSX_DOC = {"responses": {"200": {"description": "Excel", "content": {export.XLSX_TYPE: {}}}}}
REGION = ma.validate.Regexp(r"^\d{6}$")
