"""identity's RPC interface. Thin: authorisation and transactions come from ``shared.service``,
the rules from ``identity.use_cases``."""
from __future__ import annotations

import json
import logging

from nameko.timer import timer

from identity import (
    employer_accounts,
    mobile_change,
    notifications,
    opinion_templates,
    policy,
    self_service,
    sms,
    unit_accounts,
    unit_logins,
    use_cases,
)
from identity.employee_accounts import EmployeeAccountsConsumer
from identity.entrypoints.dependencies import Signer, Sms
from shared import validators
from shared.auth.roles import Role
from shared.errors import NotFound, Unavailable
from shared.events import Envelope
from shared.service import HealthCheck, Platform, Tx, command, query, rpc, subscribe

log = logging.getLogger(__name__)

ADMIN = [Role.SYS_ADMIN]
OFFICERS = opinion_templates.OFFICERS
MANAGERS = [Role.SYS_ADMIN, Role.UNIT_ADMIN]


class IdentityService(EmployeeAccountsConsumer, HealthCheck):
    name = "identity"

    platform = Platform()
    signer = Signer()
    sms = Sms()

    # -- sessions ------------------------------------------------------------------------------
    # refusals of these commands commit what they recorded first (failed logins, a code's wrong tries, the
    # revocation after a reused refresh token), then reach the caller: ``commit_on_error``
    @rpc(sensitive_arguments=("password",))
    @command(public=True, idempotent=False, commit_on_error=True)
    def login(self, tx: Tx, username: str, password: str, client_ip: str | None = None) -> dict:
        """Password login (普通登录) -> access and refresh token; ``client_ip`` (from the gateway) feeds
        the per-address limit."""
        return use_cases.login(tx, self.signer.signer, username, password, self.signer.refresh_ttl, client_ip)

    @rpc(sensitive_arguments=("refresh_token",))
    @command(public=True, idempotent=False, commit_on_error=True)
    def refresh(self, tx: Tx, refresh_token: str) -> dict:
        return use_cases.refresh(tx, self.signer.signer, refresh_token, self.signer.refresh_ttl)

    @rpc
    @command(idempotent=False)
    def logout(self, tx: Tx) -> dict:
        return use_cases.logout(tx)

    @rpc
    @query(public=True)
    def jwks(self, tx: Tx) -> dict:
        """The public keys services and integrators verify tokens with."""
        return json.loads(self.signer.jwks_file.read_text())

    # -- line B logins from housing_fund's events (identity/employer_accounts.py) ---------------
    @subscribe("employer.approved")
    def on_employer_approved(self, tx: Tx, event: Envelope) -> None:
        employer_accounts.open_employer_login(tx, event)

    @subscribe("employer.migrated")
    def on_employer_migrated(self, tx: Tx, event: Envelope) -> None:
        employer_accounts.open_employer_login(tx, event)

    @subscribe("employer.changed")
    def on_employer_changed(self, tx: Tx, event: Envelope) -> None:
        employer_accounts.follow_employer_change(tx, event)

    @subscribe("employee.opened")
    def on_employee_opened(self, tx: Tx, event: Envelope) -> None:
        employer_accounts.open_employee_login(tx, event)

    @subscribe("employee.password_reset")
    def on_employee_password_reset(self, tx: Tx, event: Envelope) -> None:
        employer_accounts.reset_employee_login(tx, event)

    # -- SMS codes (短信验证码) --------------------------------------------------------------------
    @rpc
    def send_sms_code(self, mobile: str, purpose: str) -> dict:
        """Send a 6-digit code to ``mobile``; the code is never part of the answer."""
        return self._deliver(self._issue_sms_code(mobile, purpose))

    def _deliver(self, issued: dict) -> dict:
        deliver = issued.pop("deliver")
        sender = self.sms.sender(self.platform.engine, self.platform.clock)
        try:
            sender.send(deliver["mobile"], deliver["text"])
        except sms.SmsDeliveryError as exc:
            log.warning("SMS to %s not delivered by %s: %s", deliver["mobile"][:3] + "****", sender.name, exc)
            self._mark_sms_delivery(deliver["code_id"], False)
            raise Unavailable("短信发送失败，请稍后重试", code="sms.unavailable") from None
        self._mark_sms_delivery(deliver["code_id"], True)
        return issued

    @command(public=True, idempotent=False)
    def _issue_sms_code(self, tx: Tx, mobile, purpose):
        return sms.issue(tx, self.signer.code_secret, mobile, purpose, self.sms.sign)

    @command(public=True, idempotent=False)
    def _mark_sms_delivery(self, tx: Tx, code_id, ok):
        return sms.mark_delivery(tx, code_id, ok)

    @rpc(sensitive_arguments=("code",))
    @command(public=True, idempotent=False, commit_on_error=True)
    def consume_sms_code(self, tx: Tx, mobile: str, purpose: str, code: str) -> dict:
        """Use a code once (another flow's proof that the caller holds ``mobile``)."""
        return sms.consume(tx, self.signer.code_secret, mobile, purpose, code)

    @rpc(sensitive_arguments=("code",))
    @command(public=True, idempotent=False, commit_on_error=True)
    def sms_login(self, tx: Tx, mobile: str, code: str, username: str | None = None) -> dict:
        """短信登录 -> the same answer as ``login``."""
        return self_service.sms_login(tx, self.signer.signer, self.signer.code_secret, mobile, code,
                                      self.signer.refresh_ttl, username)

    @rpc(sensitive_arguments=("data.password", "data.sms_code"))
    @command(public=True, idempotent=False, commit_on_error=True)
    def register_account(self, tx: Tx, data: dict) -> dict:
        """Self-registration (个人注册 / 单位注册): account + tokens. The caller checked the unit."""
        return self_service.register_account(tx, self.signer.signer, self.signer.code_secret, data,
                                             self.signer.refresh_ttl)

    @rpc
    @query(public=True)
    def dev_sms_inbox(self, tx: Tx, mobile: str) -> dict:
        """The development sender's inbox; 404 unless ``SMS_SENDER=dev``."""
        if not self.sms.dev_inbox_enabled:
            raise NotFound(code="not_found")
        return sms.dev_inbox(tx, mobile)

    # -- the caller's own account (账号管理) ------------------------------------------------------
    @rpc
    @query()
    def me(self, tx: Tx) -> dict:
        return use_cases.get_account(tx, tx.principal.account_id)

    @rpc
    @command()
    def update_profile(self, tx: Tx, data: dict) -> dict:
        return use_cases.update_profile(tx, data or {})

    @rpc(sensitive_arguments=("old_password", "new_password"))
    @command()
    def change_password(self, tx: Tx, old_password: str, new_password: str) -> dict:
        return use_cases.change_password(tx, self.signer.signer, old_password, new_password,
                                         self.signer.refresh_ttl)

    @rpc
    def send_first_login_code(self) -> dict:
        """首次登录: a code (purpose ``first_login``) to the caller's own registered mobile."""
        mobile = self._first_login_mobile()
        answer = self._deliver(self._issue_sms_code(mobile, "first_login"))
        return {**answer, "mobile": validators.mask_mobile(mobile)}

    @rpc
    def send_change_mobile_code(self, mobile: str) -> dict:
        """修改手机号: a code (purpose ``change_mobile``) to the NEW mobile, checked first (format, not the
        current one)."""
        number = self._change_mobile_target(mobile)
        answer = self._deliver(self._issue_sms_code(number, mobile_change.PURPOSE))
        return {**answer, "mobile": validators.mask_mobile(number)}

    @query(name="send_change_mobile_code")
    def _change_mobile_target(self, tx: Tx, mobile):
        return mobile_change.new_mobile(tx, mobile)

    @rpc(sensitive_arguments=("sms_code", "password"))
    @command(idempotent=False, commit_on_error=True)
    def change_mobile(self, tx: Tx, mobile: str, sms_code: str, password: str) -> dict:
        """修改手机号: the code sent to the new mobile and the current password -> the account."""
        return mobile_change.change_mobile(tx, self.signer.code_secret, mobile, sms_code, password)

    @query(name="send_first_login_code")
    def _first_login_mobile(self, tx: Tx):
        return use_cases.first_login_mobile(tx)

    @rpc(sensitive_arguments=("sms_code", "new_password"))
    @command(idempotent=False, commit_on_error=True)
    def first_login_change_password(self, tx: Tx, sms_code: str, new_password: str) -> dict:
        """首次登录修改初始密码: SMS code to the account's mobile, then the new password -> new tokens."""
        return use_cases.first_login_change_password(tx, self.signer.signer, self.signer.code_secret, sms_code,
                                                     new_password, self.signer.refresh_ttl)

    # -- identity's policy numbers (data): code lifetime and limits, initial password days, login limits
    @rpc
    @query(roles=ADMIN)
    def get_policy(self, tx: Tx) -> dict:
        return {"items": policy.describe(tx.session)}

    @rpc
    @command(roles=ADMIN)
    def set_policy(self, tx: Tx, changes: dict) -> dict:
        before = policy.load(tx.session)
        stored = policy.store(tx.session, changes if isinstance(changes, dict) else {}, tx.now)
        tx.audit("identity.policy_update", "policy", "identity", before={k: before[k] for k in stored},
                 after=stored)
        return {"items": policy.describe(tx.session)}

    # -- administration: the platform admin everywhere, a unit's operator within its unit (信息维护-账号管理)
    @rpc(sensitive_arguments=("data.password",))
    @command(roles=MANAGERS)
    def create_account(self, tx: Tx, data: dict) -> dict:
        return unit_accounts.create_account(tx, data or {})

    @rpc
    @query(roles=MANAGERS)
    def list_accounts(self, tx: Tx, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
        return unit_accounts.list_accounts(tx, filters or {}, page, page_size)

    @rpc
    @query(roles=MANAGERS)
    def get_account(self, tx: Tx, account_id: str) -> dict:
        return unit_accounts.get_account(tx, account_id)

    @rpc
    @command(roles=MANAGERS)
    def update_account(self, tx: Tx, account_id: str, data: dict) -> dict:
        return unit_accounts.update_account(tx, account_id, data)

    @rpc
    @command(roles=MANAGERS)
    def deactivate_account(self, tx: Tx, account_id: str) -> dict:
        return unit_accounts.set_status(tx, account_id, active=False)

    @rpc
    @command(roles=MANAGERS)
    def reactivate_account(self, tx: Tx, account_id: str) -> dict:
        return unit_accounts.set_status(tx, account_id, active=True)

    @rpc(sensitive_arguments=("new_password",))
    @command(roles=MANAGERS)
    def reset_password(self, tx: Tx, account_id: str, new_password: str) -> dict:
        return unit_accounts.reset_password(tx, account_id, new_password)

    # -- 站内消息: stage events that concern a person become messages to their account -------------
    @rpc
    @query()
    def my_messages(self, tx: Tx, unread_only: bool = False, page: int = 1, page_size: int = 20) -> dict:
        return notifications.my_messages(tx, bool(unread_only), page, page_size)

    @rpc
    @command()
    def mark_message_read(self, tx: Tx, message_id: str | None = None) -> dict:
        return notifications.mark_read(tx, message_id)

    @timer(interval=2)
    def deliver_message_sms(self):
        """SMS of messages whose kind the policy sends by SMS, delivered after their commit."""
        sender = self.sms.sender(self.platform.engine, self.platform.clock)
        if sender.name != "disabled":
            notifications.deliver_pending(self.platform.engine, sender, self.platform.clock, self.sms.sign)

    @timer(interval=10)
    def sweep_stuck_message_sms(self):
        """Message SMS stuck in "sending" (a crashed sender) past the policy's interval: sent again, at
        most ``notify_sms_max_attempts`` times, then "failed" with the reason."""
        notifications.sweep_stuck_sms(self.platform.engine, self.platform.clock)

    @subscribe("unit.approved")
    def on_unit_approved(self, tx: Tx, event):
        unit_logins.on_unit_event(tx, event)

    @subscribe("unit.changed")
    def on_unit_changed(self, tx: Tx, event):
        unit_logins.on_unit_event(tx, event)

    @subscribe("application.submitted")
    def on_application_submitted(self, tx: Tx, event):
        notifications.remember_owner(tx, event)

    @subscribe("application.resubmitted")
    def on_application_resubmitted(self, tx: Tx, event):
        notifications.remember_owner(tx, event)

    @subscribe("application.unit_returned")
    def on_application_unit_returned(self, tx: Tx, event):
        notifications.on_application_event(tx, event)

    @subscribe("application.county_returned")
    def on_application_county_returned(self, tx: Tx, event):
        notifications.on_application_event(tx, event)

    @subscribe("application.county_approved")
    def on_application_county_approved(self, tx: Tx, event):
        notifications.on_application_event(tx, event)

    @subscribe("application.paid")
    def on_application_paid(self, tx: Tx, event):
        notifications.on_application_event(tx, event)

    @subscribe("individual.returned")
    def on_individual_returned(self, tx: Tx, event):
        notifications.on_registration_event(tx, event)

    @subscribe("individual.approved")
    def on_individual_approved(self, tx: Tx, event):
        notifications.on_registration_event(tx, event)

    @subscribe("remittance.reminder_due")
    def on_remittance_reminder_due(self, tx: Tx, event):
        notifications.on_remittance_reminder(tx, event)

    # -- 常用审核意见: the caller's own saved opinions (identity/opinion_templates.py) ------------------
    @rpc
    @query(roles=OFFICERS)
    def list_opinion_templates(self, tx: Tx, kind: str | None = None) -> dict:
        return opinion_templates.list_templates(tx, kind)

    @rpc
    @command(roles=OFFICERS)
    def create_opinion_template(self, tx: Tx, data: dict) -> dict:
        return opinion_templates.create_template(tx, data)

    @rpc
    @command(roles=OFFICERS)
    def update_opinion_template(self, tx: Tx, template_id: str, data: dict) -> dict:
        return opinion_templates.update_template(tx, template_id, data)

    @rpc
    @command(roles=OFFICERS)
    def delete_opinion_template(self, tx: Tx, template_id: str) -> dict:
        return opinion_templates.delete_template(tx, template_id)
