"""The caller's own account (账号管理): profile, password, mobile, the first-login password change."""
from __future__ import annotations

from identity import mobile_change, use_cases
from identity.entrypoints.sms import SmsRpcs
from shared import validators
from shared.service import Tx, command, query, rpc


class OwnAccountRpcs(SmsRpcs):
    """Mixin of :class:`IdentityService`: the caller's own account (sends codes as :class:`SmsRpcs`)."""

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
