"""Entry module for ``nameko run finance_disbursement.service``."""
from finance_disbursement.entrypoints.service import FinanceDisbursementService  # noqa: F401
