"""/api/v1 disbursement (finance_disbursement): stage 11 city finance releases (确认拨付), stage 12 county
finance pays the individuals (拨付至个人), stage 13 the individual confirms the receipt (确认收款).

One module per screen group registers its routes on the one blueprint ``bp``; this package is their
single entry."""
# the routes are registered in the order of the OpenAPI document
# isort: off
from gateway.api.finance.common import SERVICE, bp
from gateway.api.finance import batches  # noqa: F401
from gateway.api.finance import transfers  # noqa: F401
from gateway.api.finance import failed_payments  # noqa: F401
from gateway.api.finance import clawbacks  # noqa: F401
from gateway.api.finance import payments  # noqa: F401
from gateway.api.finance import reports  # noqa: F401
# isort: on

__all__ = ["SERVICE", "bp"]
