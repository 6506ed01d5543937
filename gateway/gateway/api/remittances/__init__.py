"""/api/v1 line B part 2 (housing_fund): 汇缴申请 (remittances and back-payments), 缴费通知 (payment
notices with the 缴款通知书 and 缴款凭证 PDFs), the bureau's receiving account, bank statements and
reconciliation (到账匹配, the return list, the report), 缴款历史补录 (back-fills) and 支取申请
(withdrawals).

Bank statements travel as files, never over the broker: the gateway stores the upload in the
attachment store (``$PLATFORM_VAR_DIR/attachments``, content-addressed) and passes its SHA-256;
housing_fund reads the file from there.

One module per screen group registers its routes on the one blueprint ``bp``; this package is their
single entry."""
# the routes are registered in the order of the OpenAPI document (remitting, notices, reconciliation, ledger)
# isort: off
from gateway.api.remittances.common import SERVICE, bp, file_answer, statement_store
from gateway.api.remittances import remitting  # noqa: F401
from gateway.api.remittances import notices  # noqa: F401
from gateway.api.remittances import reconciliation  # noqa: F401
from gateway.api.remittances import ledger  # noqa: F401
# isort: on

__all__ = ["SERVICE", "bp", "file_answer", "statement_store"]
