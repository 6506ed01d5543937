"""Entry module for ``nameko run unit_registry.service``."""
from unit_registry.entrypoints.service import UnitRegistryService  # noqa: F401
