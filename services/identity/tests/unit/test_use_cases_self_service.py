"""短信登录 and 修改手机号 on a fake unit of work: the code proves the mobile, the password the owner."""
from __future__ import annotations

from datetime import timedelta

import pytest

from identity import mobile_change, self_service, sms
from shared.errors import Conflict, InvalidInput, Unauthenticated

from .conftest import ACC, PASSWORD, SECRET

TTL = timedelta(days=7)
MOBILE, NEW_MOBILE = "13900000001", "13900000002"


def code_for(world, mobile: str, purpose: str, minutes: float = 0) -> str:
    return sms.issue(world.tx(minutes=minutes), SECRET, mobile, purpose)["deliver"]["text"].split("验证码为")[1][:6]


def test_an_sms_login_opens_the_one_account_of_the_mobile_and_lifts_its_pause(world, signer):
    world.account(mobile=MOBILE, failed_logins=4, locked_until=world.tx().now + timedelta(minutes=10))
    tx = world.tx()
    tokens = self_service.sms_login(tx, signer, SECRET, MOBILE, code_for(world, MOBILE, "login"), TTL)
    assert tokens["account"]["id"] == ACC and tx.audit_actions() == ["session.sms_login"]
    stored = world.accounts.rows[ACC]
    assert (stored["failed_logins"], stored["locked_until"]) == (0, None)


def test_a_shared_mobile_asks_for_the_username_before_the_code_is_used(world, signer):
    world.account(mobile=MOBILE)
    world.account("6f1c2a10-0000-4000-8000-0000000000a2", "jianghai01", mobile=MOBILE)
    code = code_for(world, MOBILE, "login")
    with pytest.raises(Conflict) as info:
        self_service.sms_login(world.tx(), signer, SECRET, MOBILE, code, TTL)
    assert info.value.code == "auth.mobile_ambiguous"
    tokens = self_service.sms_login(world.tx(), signer, SECRET, MOBILE, code, TTL, username="JiangHai01")
    assert tokens["account"]["username"] == "jianghai01"   # the same code still worked


def test_an_sms_login_of_a_mobile_without_an_account_uses_the_code_and_says_so(world, signer):
    code = code_for(world, MOBILE, "login")
    with pytest.raises(Unauthenticated) as info:
        self_service.sms_login(world.tx(), signer, SECRET, MOBILE, code, TTL)
    assert info.value.code == "auth.sms_no_account"
    assert next(iter(world.codes.rows.values()))["consumed_at"] is not None


def test_the_mobile_changes_with_a_code_to_the_new_number_and_the_password(world):
    world.account(mobile=MOBILE)
    with pytest.raises(InvalidInput) as info:
        mobile_change.new_mobile(world.tx(ACC), MOBILE)
    assert info.value.code == "account.mobile_unchanged"
    code = code_for(world, mobile_change.new_mobile(world.tx(ACC), NEW_MOBILE), "change_mobile")
    with pytest.raises(InvalidInput) as info:
        mobile_change.change_mobile(world.tx(ACC), SECRET, NEW_MOBILE, code, "Wrong1234")
    assert info.value.code == "account.password_wrong"
    tx = world.tx(ACC)
    changed = mobile_change.change_mobile(tx, SECRET, NEW_MOBILE, code, PASSWORD)   # the code was not burnt
    assert changed["mobile"] == NEW_MOBILE and world.accounts.rows[ACC]["mobile"] == NEW_MOBILE
    assert tx.audited[0].before == {"mobile": "139****0001"} and tx.audited[0].after == {"mobile": "139****0002"}
