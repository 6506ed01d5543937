"""finance_disbursement's use cases. Each takes the unit of work (``tx``) first; the nameko class only
wires them. Stage 11: city finance releases a batch county by county (release); stage 12: county
finance confirms the money arrived and pays each individual (payment), directly or through the bank's
payment and result files (bank); stage 13: the individual confirms (or disputes) the receipt
(receipt); after payment, clawbacks (clawback); reconciliation and statistics (reports). One module
per stage keeps the files small; this package is their single entry."""
from finance_disbursement.use_cases.bank import (
    bank_file,
    import_bank_result,
    receive_corrected_account,
    retry_payment,
    return_payment,
)
from finance_disbursement.use_cases.clawback import list_clawbacks, record_clawback, recover_clawback
from finance_disbursement.use_cases.intake import receive_application, receive_batch
from finance_disbursement.use_cases.payment import confirm_arrival, get_transfer, list_failed, list_transfers, pay
from finance_disbursement.use_cases.receipt import confirm_receipt, dispute_receipt, my_payments
from finance_disbursement.use_cases.release import get_batch, list_batches, release
from finance_disbursement.use_cases.reports import reconciliation, statistics, todos

__all__ = [
    "bank_file", "confirm_arrival", "confirm_receipt", "dispute_receipt", "get_batch", "get_transfer",
    "import_bank_result", "list_batches", "list_clawbacks", "list_failed", "list_transfers", "my_payments",
    "pay", "receive_application", "receive_batch", "receive_corrected_account", "reconciliation",
    "record_clawback", "recover_clawback", "release", "retry_payment", "return_payment", "statistics",
    "todos",
]
