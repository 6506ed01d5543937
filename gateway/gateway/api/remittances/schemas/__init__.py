"""The request and response schemas of line B part 2's routes, one module per subject; this package is
their single entry."""
from gateway.api.remittances.schemas.backfills import Attachment, Backfill, BackfillRequest, BackfillRow
from gateway.api.remittances.schemas.reconciliation import (
    BankLine,
    BankLineFilter,
    ReceivingAccount,
    Report,
    ReportArgs,
    Statement,
    StatementFile,
)
from gateway.api.remittances.schemas.remittances import (
    Line,
    Opinion,
    Remittance,
    RemittanceDetail,
    RemittanceFilter,
    RemittanceLine,
    RemittanceRequest,
    RemittanceRound,
)
from gateway.api.remittances.schemas.roster import (
    ReminderArgs,
    ReminderResult,
    Roster,
    RosterArgs,
    RosterItem,
)
from gateway.api.remittances.schemas.withdrawals import StatusFilter, Withdrawal, WithdrawalRequest

__all__ = [
    "Attachment",
    "Backfill",
    "BackfillRequest",
    "BackfillRow",
    "BankLine",
    "BankLineFilter",
    "Line",
    "Opinion",
    "ReceivingAccount",
    "ReminderArgs",
    "ReminderResult",
    "Remittance",
    "RemittanceDetail",
    "RemittanceFilter",
    "RemittanceLine",
    "RemittanceRequest",
    "RemittanceRound",
    "Report",
    "ReportArgs",
    "Roster",
    "RosterArgs",
    "RosterItem",
    "Statement",
    "StatementFile",
    "StatusFilter",
    "Withdrawal",
    "WithdrawalRequest",
]
