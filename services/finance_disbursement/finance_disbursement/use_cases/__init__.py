"""finance_disbursement's use cases. Each takes the unit of work (``tx``) first; the nameko class only
wires them. Stage 11: city finance releases a batch county by county (release); stage 12: county
finance pays each individual (payment); stage 13: the individual confirms (or disputes) the receipt
(receipt). One module per stage keeps the files small; this package is their single entry."""
from finance_disbursement.use_cases.intake import receive_application, receive_batch
from finance_disbursement.use_cases.payment import get_transfer, list_transfers, pay
from finance_disbursement.use_cases.receipt import confirm_receipt, dispute_receipt, my_payments
from finance_disbursement.use_cases.release import get_batch, list_batches, release
from finance_disbursement.use_cases.reports import statistics, todos

__all__ = [
    "confirm_receipt", "dispute_receipt", "get_batch", "get_transfer", "list_batches", "list_transfers",
    "my_payments", "pay", "receive_application", "receive_batch", "release", "statistics", "todos",
]
