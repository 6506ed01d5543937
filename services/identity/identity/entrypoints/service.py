"""identity's RPC interface. Thin: authorisation and transactions come from ``shared.service``,
the rules from ``identity.use_cases``. The RPCs of each area are a mixin in their own module (sessions,
sms, own_account, administration, messages, opinion_templates, logins)."""
from __future__ import annotations

from identity.employee_accounts import EmployeeAccountsConsumer
from identity.entrypoints.administration import AdministrationRpcs
from identity.entrypoints.dependencies import Signer, Sms
from identity.entrypoints.logins import LoginEventHandlers
from identity.entrypoints.messages import MessageRpcs
from identity.entrypoints.opinion_templates import OpinionTemplateRpcs
from identity.entrypoints.own_account import OwnAccountRpcs
from identity.entrypoints.sessions import SessionRpcs
from shared.service import HealthCheck, Platform


class IdentityService(SessionRpcs, OwnAccountRpcs, AdministrationRpcs, MessageRpcs, OpinionTemplateRpcs,
                      LoginEventHandlers, EmployeeAccountsConsumer, HealthCheck):
    name = "identity"

    platform = Platform()
    signer = Signer()
    sms = Sms()
