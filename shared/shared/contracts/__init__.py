"""The event catalogue as code: every event type, its producer, version and JSON schema, and who
consumes it. ``events.md`` started this list; this package is now its source of truth.

- :data:`CATALOGUE` maps event type -> :class:`EventContract`.
- :data:`SUBSCRIPTIONS` maps consuming service -> event types it handles. ``platform-topology``
  declares a durable queue ``<consumer>.<event type>`` for each, so events wait for a service that
  starts later; a test checks that every subscription has a handler and vice versa.
- :func:`integration_view` and :func:`integration_routing_key` shape the copy sent to the
  ``platform.events`` exchange for integrators (masked personal data, no bank accounts or mobiles).
"""
from __future__ import annotations

from typing import Any

from shared.contracts import (
    finance_disbursement,
    housing_fund,
    identity,
    org_confirmation,
    publicity_assessment,
    subsidy_review,
    unit_registry,
)
from shared.contracts.base import EventContract
from shared.errors import InvalidInput

INTEGRATION_EXCHANGE = "platform.events"

_MODULES = (identity, unit_registry, subsidy_review, publicity_assessment, org_confirmation,
            finance_disbursement, housing_fund)
PRODUCERS: tuple[str, ...] = tuple(m.PRODUCER for m in _MODULES)

CATALOGUE: dict[str, EventContract] = {}
for _module in _MODULES:
    for _contract in _module.CONTRACTS:
        if _contract.type in CATALOGUE:
            raise RuntimeError(f"event type {_contract.type} defined twice")
        CATALOGUE[_contract.type] = _contract

# identity's events concern credentials; integrators have no business with them
for _t, _c in list(CATALOGUE.items()):
    if _c.producer == "identity":
        CATALOGUE[_t] = EventContract(_c.type, _c.producer, _c.schema, _c.version, _c.line, _c.stage,
                                      _c.description, integration=False)

#: identity events that invalidate tokens; every service that verifies tokens consumes them
REVOCATION_EVENTS = ["account.deactivated", "account.reactivated", "account.password_changed",
                     "account.sessions_revoked", "session.revoked"]

#: stage events of other services that subsidy_review records in an application's timeline
TIMELINE_EVENTS = [
    "application.publicity_started", "application.objection_upheld", "application.publicity_ended",
    "application.assessment_passed", "application.assessment_failed", "application.reported_to_county_org",
    "application.county_org_confirmed", "application.county_org_returned", "application.city_aggregated",
    "application.city_org_confirmed", "application.city_org_returned", "application.funds_released",
    "application.paid", "application.payment_failed", "application.receipt_confirmed",
    "application.receipt_disputed", "application.clawback_recorded",
    # the finance office after a failure or a payment: retried with a corrected account, returned, recovered
    "application.payment_retried", "application.payment_returned", "application.clawback_recovered",
]

SUBSCRIPTIONS: dict[str, list[str]] = {
    "unit_registry": REVOCATION_EVENTS,
    "subsidy_review": REVOCATION_EVENTS + [
        "unit.approved", "unit.changed", "individual.approved", "individual.updated", "individual.left_unit",
        # the graduate's corrected account: applications not yet frozen at the county approval take it
        "individual.bank_account_changed",
    ] + TIMELINE_EVENTS,
    "publicity_assessment": REVOCATION_EVENTS + ["application.county_approved"],
    "org_confirmation": REVOCATION_EVENTS + ["application.reported_to_county_org"],
    "finance_disbursement": REVOCATION_EVENTS + ["application.city_org_confirmed", "city_batch.confirmed",
                                                 # a failed payment's corrected account (支付失败处理)
                                                 "individual.bank_account_changed"],
    # housing_fund records the personal login identity opened for an employee (employees.account_id)
    "housing_fund": REVOCATION_EVENTS + ["account.created"],
    # 站内消息: owners of applications, then the returns, approvals and payments that concern them
    "identity": ["application.submitted", "application.resubmitted", "application.unit_returned",
                 "application.county_returned", "application.county_approved", "application.paid",
                 "individual.returned", "individual.approved",
                 # a unit logs in with its 统一社会信用代码 / 组织机构代码
                 "unit.approved", "unit.changed",
                 # line B logins (identity/employer_accounts.py)
                 "employer.approved", "employer.migrated", "employee.opened", "employee.password_reset"],
}
#: identity's employee logins follow approved changes (identity/employee_accounts.py), an employer's
#: login its contact mobile once a 单位信息变更 is approved (identity/employer_accounts.py)
SUBSCRIPTIONS["identity"] += ["employee.changed", "employer.changed"]
#: line B's monthly 汇缴 reminder becomes a message to the employer's account (identity/notifications.py)
SUBSCRIPTIONS["identity"].append("remittance.reminder_due")
#: the event feed (services/event_feed) verifies officers' tokens like every service
SUBSCRIPTIONS["event_feed"] = list(REVOCATION_EVENTS)

#: consumers of the integration exchange itself (masked events, every type): consumer -> binding key.
#: ``platform-topology`` declares ``<consumer>.platform.events`` bound with that key (with retry queues
#: and a DLQ); the consumer's broker user may bind to ``platform.events`` with it and nothing else.
INTEGRATION_SUBSCRIPTIONS: dict[str, str] = {"event_feed": "#"}


def register(contract: EventContract, consumers: list[str] | tuple[str, ...] = ()) -> None:
    """Add an event type at run time (a test service, a plugin); an existing type is never redefined."""
    existing = CATALOGUE.get(contract.type)
    if existing is not None and existing != contract:
        raise ValueError(f"event type {contract.type} already defined differently")
    CATALOGUE[contract.type] = contract
    for consumer in consumers:
        types = SUBSCRIPTIONS.setdefault(consumer, [])
        if contract.type not in types:
            types.append(contract.type)


def exchanges() -> list[str]:
    """Every producer's exchange and the integration exchange."""
    return sorted({c.exchange for c in CATALOGUE.values()} | {INTEGRATION_EXCHANGE})


def get(event_type: str) -> EventContract:
    """The contract of ``event_type``; unknown types are a permanent error."""
    try:
        return CATALOGUE[event_type]
    except KeyError:
        raise InvalidInput(f"未知的事件类型: {event_type}", code="event.unknown_type") from None


def queue_name(consumer: str, event_type: str) -> str:
    """The durable queue in which ``consumer`` receives ``event_type``."""
    return f"{consumer}.{event_type}"


def integration_queue_name(consumer: str) -> str:
    """The durable queue in which ``consumer`` receives every integration event it binds."""
    return f"{consumer}.{INTEGRATION_EXCHANGE}"


def consumers_of(event_type: str) -> list[str]:
    return [svc for svc, types in SUBSCRIPTIONS.items() if event_type in types]


# --- integration view ------------------------------------------------------------------------------
# bank_account_at: when a person's account was stated (a correction's time) is about the account too
_DROP_KEYS = {"bank_account", "bank_account_at", "mobile", "contact_phone", "email", "payer_account",
              "payee_account"}
_ID_KEYS = {"id_number"}
_NAME_KEYS = {"applicant_name", "contact_name", "holder", "payer_name", "payee_name", "employee_name"}


def _mask(value: Any, person_names: bool) -> Any:
    from shared.validators import mask_id, mask_name

    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in _DROP_KEYS:
                continue
            if key in _ID_KEYS and isinstance(item, str):
                out[key] = mask_id(item)
            elif (key in _NAME_KEYS or (person_names and key == "name")) and isinstance(item, str):
                out[key] = mask_name(item)
            else:
                out[key] = _mask(item, person_names)
        return out
    if isinstance(value, list):
        return [_mask(v, person_names) for v in value]
    return value


def integration_view(envelope: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``envelope`` fit for integrators: ID numbers and names masked (the actor's name too),
    no bank accounts, mobiles or e-mails."""
    view = dict(envelope)  # _mask builds new containers for data; nothing below mutates in place
    person_names = str(view.get("type", "")).startswith(("individual.", "employee.", "withdrawal."))
    view["data"] = _mask(view.get("data", {}), person_names)
    actor = view.get("actor")
    if isinstance(actor, dict) and isinstance(actor.get("name"), str) and actor.get("role") != "system":
        from shared.validators import mask_name

        # the actor of a graduate's own step is the graduate: a person's name, masked like data.name
        view["actor"] = {**actor, "name": mask_name(actor["name"])}
    return view


def integration_routing_key(contract: EventContract, region: str) -> str:
    """``<line>.<city>.<county>.<type>``; city-level events use ``city`` as the county part, so
    ``subsidy.440700.#`` binds a whole city and ``subsidy.*.440703.#`` one county."""
    from shared import regions

    city = regions.city_of(region) or region
    county = "city" if city == region and [r.code for r in regions.counties_of(city)] != [city] else region
    return f"{contract.line}.{city}.{county}.{contract.type}"


def asyncapi() -> dict[str, Any]:
    """The catalogue as an AsyncAPI 2.6 document (served by the gateway at /api/v1/asyncapi.json)."""
    from shared.events import REQUIRED

    channels: dict[str, Any] = {}
    for contract in CATALOGUE.values():
        envelope_schema = {
            "type": "object", "required": list(REQUIRED),
            "properties": {
                "specversion": {"const": "1.0"}, "id": {"type": "string", "format": "uuid"},
                "source": {"const": f"/services/{contract.producer}"}, "type": {"const": contract.type},
                "dataversion": {"const": contract.version}, "time": {"type": "string", "format": "date-time"},
                "subject": {"type": "string"}, "region": {"type": "string", "pattern": "^[0-9]{6}$"},
                "correlationid": {"type": ["string", "null"]},
                "actor": {"type": "object", "properties": {"role": {"type": "string"},
                                                           "account_id": {"type": ["string", "null"]}}},
                "data": contract.schema,
            },
        }
        channels[f"{contract.exchange}/{contract.type}"] = {
            "description": contract.description,
            "subscribe": {
                "operationId": contract.type.replace(".", "_"),
                "summary": contract.description,
                "bindings": {"amqp": {"is": "routingKey",
                                      "exchange": {"name": contract.exchange, "type": "topic",
                                                   "durable": True}}},
                "message": {"name": contract.type, "contentType": "application/json",
                            "payload": envelope_schema,
                            "x-stage": contract.stage, "x-line": contract.line,
                            "x-integration": contract.integration,
                            "x-consumers": consumers_of(contract.type)},
            },
        }
    return {
        "asyncapi": "2.6.0",
        "info": {"title": "大学生租房补助与住房补贴汇缴平台 事件目录", "version": "1"},
        "defaultContentType": "application/json",
        "channels": channels,
        "x-integration-exchange": {
            "name": INTEGRATION_EXCHANGE, "type": "topic",
            "routingKey": "<line>.<city>.<county>.<type>",
            "note": "payload is the integration view: ID numbers and names masked, no bank accounts or mobiles",
        },
    }
