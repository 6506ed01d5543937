"""/api/v1 units (单位) and individuals (个人): registration and the unit's review (unit_registry).

One module per screen group registers its routes on the one blueprint ``bp``; this package is their
single entry."""
# the routes are registered in the order of the OpenAPI document
# isort: off
from gateway.api.registry import units  # noqa: F401
from gateway.api.registry import unit_changes  # noqa: F401
from gateway.api.registry import public_units  # noqa: F401
from gateway.api.registry import individuals  # noqa: F401
from gateway.api.registry.common import SERVICE, bp
from gateway.api.registry.individual_schemas import Individual, IndividualRegistration
from gateway.api.registry.unit_schemas import UnitData, UnitDetail
# isort: on

__all__ = ["Individual", "IndividualRegistration", "SERVICE", "UnitData", "UnitDetail", "bp"]
