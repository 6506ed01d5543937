"""Entry module for ``nameko run identity.service``."""
from identity.entrypoints.service import IdentityService  # noqa: F401
