"""修改手机号 (个人中心 / 账号管理): the account's owner proves the NEW mobile with an SMS code (purpose
``change_mobile``, sent to that number) and confirms with the current password; the account's mobile
changes at once, audited with both numbers masked. From then on 短信登录 and 首次登录 codes go to the new
number: the old one finds no account.

Decisions (bad input, each a 400 with nothing changed unless said):
- malformed mobile: ``mobile.length`` / ``mobile.format``; the current number again: ``account.mobile_unchanged``
  (no code is sent for it);
- wrong or missing password: ``account.password_wrong`` / ``account.password_required``, checked before the
  code is used, so a mistyped password does not burn the code;
- wrong, reused or expired code: ``sms.invalid_code`` / ``sms.expired_code`` (a wrong try is counted: the
  counter commits, the mobile does not change);
- a mobile already bound to another account is accepted: its holder has just proven it with the code,
  mobiles are not unique on the platform (registration allows sharing; 短信登录 then asks for the
  username, ``auth.mobile_ambiguous``), and refusing would tell any logged-in user whether a number is
  registered.
"""
from __future__ import annotations

from identity import sms, use_cases
from identity.adapters.repository import AccountRepository
from identity.passwords import verify_password
from shared import validators
from shared.errors import InvalidInput
from shared.service import Tx

PURPOSE = "change_mobile"


def new_mobile(tx: Tx, mobile: object) -> str:
    """The number the caller wants, checked before a code is sent to it."""
    row = use_cases.load(tx, tx.principal.account_id)
    return _checked(row, mobile)


def _checked(row, mobile: object) -> str:
    if not mobile:
        raise InvalidInput.field("mobile", "mobile.required", "请填写新手机号码")
    number = validators.mobile(mobile)
    if number == row["mobile"]:
        raise InvalidInput.field("mobile", "account.mobile_unchanged", "新手机号码与当前手机号码相同")
    return number


def change_mobile(tx: Tx, secret: bytes, mobile: object, sms_code: object, password: object) -> dict:
    """Bind the proven new mobile to the caller's account. A code failure raises after the commit
    (``commit_on_error``), so its wrong-try counter stands."""
    row = use_cases.load(tx, tx.principal.account_id, lock=True)
    number = _checked(row, mobile)
    if not password:
        raise InvalidInput.field("password", "account.password_required", "请输入登录密码")
    if not verify_password(row["password_hash"], str(password)):
        raise InvalidInput.field("password", "account.password_wrong", "登录密码不正确")
    sms.consume(tx, secret, number, PURPOSE, sms_code)
    tx.repository(AccountRepository).update(row["id"], {"mobile": number, "updated_at": tx.now})
    tx.audit("account.mobile_change", "account", row["id"], region=row["region"],
             before={"mobile": validators.mask_mobile(row["mobile"]) if row["mobile"] else None},
             after={"mobile": validators.mask_mobile(number)})
    return use_cases.serialize(use_cases.load(tx, row["id"]), tx.now)
