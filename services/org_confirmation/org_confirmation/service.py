"""Entry module for ``nameko run org_confirmation.service``."""
from org_confirmation.entrypoints.service import OrgConfirmationService  # noqa: F401
