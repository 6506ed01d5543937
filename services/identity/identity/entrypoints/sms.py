"""identity's SMS-code RPCs (短信验证码): send, consume, 短信登录 and self-registration with a code."""
from __future__ import annotations

import logging

from identity import self_service, sms
from identity.entrypoints.dependencies import Signer, Sms
from shared.errors import NotFound, Unavailable
from shared.service import PlatformApi, Tx, command, query, rpc

log = logging.getLogger(__name__)


class SmsRpcs:
    """Mixin of :class:`IdentityService`: SMS codes."""

    platform: PlatformApi  # the service class's ``platform = Platform()``
    signer: Signer  # the service class's dependencies
    sms: Sms

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
