"""/api/v1 line B, housing-subsidy remittance (住房补贴汇缴): employers, their registration and review,
单位信息 (housing_fund).

Registration (注册新单位) has no account yet: the registrant proves the contact mobile with an SMS code
(identity's ``consume_sms_code``, purpose ``employer_register``) and gets a registration ticket (signed
by the gateway, 30 minutes) that the registration routes take in the ``X-Registration-Ticket`` header.

One module per screen group registers its routes on the one blueprint ``bp``; this package is their
single entry."""
# the routes are registered in the order of the OpenAPI document
# isort: off
from gateway.api.housing import registration  # noqa: F401
from gateway.api.housing import employers  # noqa: F401
from gateway.api.housing import levels  # noqa: F401
from gateway.api.housing import changes  # noqa: F401
from gateway.api.housing import migrations  # noqa: F401
from gateway.api.housing.common import SERVICE, bp
# isort: on

__all__ = ["SERVICE", "bp"]
