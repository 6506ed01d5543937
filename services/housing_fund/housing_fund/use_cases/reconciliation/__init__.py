"""Bank reconciliation (到账匹配): the bureau uploads a bank statement; every credit line is matched
by the memo at its start and by amount against the outstanding payment notices.

- An exact match (code of an outstanding notice, its employer's trade code, its full amount) marks the
  remittance paid and credits each employee's ledger; anything else goes to the return list (原路退回)
  with its reason (domain.payment_codes.RETURN_REASONS).
- Two lines for one notice: each line must carry the notice's full amount; the first match pays it,
  the second is returned as ``already_paid`` (a duplicate payment). One line for two notices (two codes
  in the memo, the sum of both as amount) is returned as ``multiple_notices``.
- A bank serial is recorded once (unique): the same statement uploaded twice, or a line repeated in a
  later statement, is recognised and never booked twice.
- The file is parsed whole at upload (400 naming row and column, nothing recorded), then matched by the
  job runner in chunks, each chunk one transaction: a kill -9 half-way loses nothing and repeats
  nothing; the restarted service (or a re-upload, which finds the same statement) finishes it.
- The file itself travels through the attachment store (upload -> id -> read here), never over the
  broker."""
from housing_fund.use_cases.reconciliation.matching import CHUNK, JOB_KIND, process_chunk, upload
from housing_fund.use_cases.reconciliation.reports import (
    OUTCOMES,
    get_statement,
    line_view,
    list_lines,
    list_statements,
    report,
    report_xlsx,
    statement_view,
)

__all__ = ["CHUNK", "JOB_KIND", "OUTCOMES", "get_statement", "line_view", "list_lines", "list_statements",
           "process_chunk", "report", "report_xlsx", "statement_view", "upload"]
