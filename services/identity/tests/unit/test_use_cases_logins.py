"""Logins (throttling, lockout, expired initial passwords), refresh-token rotation, logout and SMS codes
on a fake unit of work."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from identity import sms, unit_logins, use_cases
from shared.errors import InvalidInput, RateLimited, Unauthenticated
from shared.testing.fake_tx import DEFAULT_NOW

from .conftest import ACC, PASSWORD, SECRET, UNIT

TTL = timedelta(days=7)
MOBILE = "13900000001"


def login(world, signer, password=PASSWORD, *, username="pengjiang01", ip="10.0.0.1", minutes=0.0):
    tx = world.tx(minutes=minutes)
    return tx, use_cases.login(tx, signer, username, password, TTL, client_ip=ip)


def refused(fn, *args, **kwargs):
    with pytest.raises((InvalidInput, RateLimited, Unauthenticated)) as info:
        fn(*args, **kwargs)
    return info.value


def test_a_login_issues_tokens_and_clears_the_failures_of_its_address(world, signer):
    world.account()
    assert refused(login, world, signer, "Wrong1234").code == "auth.invalid_credentials"
    assert world.accounts.rows[ACC]["failed_logins"] == 1 and len(world.failures.failures) == 1
    tx, tokens = login(world, signer, username="PengJiang01")   # usernames are case-blind
    assert tokens["token_type"] == "Bearer" and tokens["account"]["id"] == ACC
    assert world.sessions.open_of(ACC)[0]["expires_at"] == DEFAULT_NOW + TTL
    stored = world.accounts.rows[ACC]
    assert (stored["failed_logins"], stored["locked_until"], stored["last_login_at"]) == (0, None, DEFAULT_NOW)
    assert world.failures.failures == [] and tx.emitted == []
    assert refused(use_cases.login, world.tx(), signer, " ", "x", TTL).code == "auth.credentials_required"


def test_five_failures_lock_the_pair_for_the_policy_minutes_and_only_from_that_address(world, signer):
    world.account()
    for n in range(4):
        early = world.tx(minutes=n)
        with pytest.raises(Unauthenticated):
            use_cases.login(early, signer, "pengjiang01", "Wrong1234", TTL, client_ip="10.0.0.1")
        assert early.emitted == [] and world.accounts.rows[ACC]["locked_until"] is None
    tx = world.tx(minutes=4)
    with pytest.raises(Unauthenticated):
        use_cases.login(tx, signer, "pengjiang01", "Wrong1234", TTL, client_ip="10.0.0.1")
    assert tx.event_types() == ["account.locked"] and tx.audit_actions() == ["account.locked"]
    assert world.accounts.rows[ACC]["locked_until"] == DEFAULT_NOW + timedelta(minutes=4 + 15)
    locked = refused(login, world, signer, minutes=5)   # even the right password waits
    assert (locked.code, locked.details["retry_after"]) == ("auth.locked", 14 * 60)
    assert login(world, signer, ip="10.0.0.2", minutes=5)[1]["access_token"]   # another address is not locked
    assert login(world, signer, minutes=4 + 15 + 1)[1]["access_token"]   # the pause ran out


def test_an_unknown_username_fails_and_locks_exactly_as_a_real_one(world, signer):
    for n in range(5):
        assert refused(login, world, signer, username="nobody", minutes=n).code == "auth.invalid_credentials"
    assert refused(login, world, signer, username="nobody", minutes=5).code == "auth.locked"


def test_too_many_failures_from_one_address_stop_every_username(world, signer):
    world.account()
    world.policy.values.update(login_ip_max_failures=5, login_max_failures=20)
    for n in range(5):
        refused(login, world, signer, "Wrong1234", username=f"user{n}", minutes=n / 10)
    assert refused(login, world, signer, minutes=1).code == "auth.too_many_failures"
    assert login(world, signer, minutes=16)[1]["access_token"]   # outside the window


def test_deactivated_accounts_and_expired_initial_passwords_are_refused(world, signer):
    world.account(status="deactivated")
    assert refused(login, world, signer).code == "auth.account_deactivated"
    world.account(must_change_password=True, password_expires_at=DEFAULT_NOW - timedelta(minutes=1))
    assert refused(login, world, signer).code == "auth.initial_password_expired"
    world.account(must_change_password=True, password_expires_at=DEFAULT_NOW + timedelta(days=1))
    tokens = login(world, signer)[1]
    assert tokens["account"]["must_change_password"] is True


def test_a_unit_code_logs_in_as_the_unit_s_registering_operator(world, signer):
    world.account(role="unit_admin", region=None, unit_id=UNIT)
    world.account("6f1c2a10-0000-4000-8000-0000000000a2", "dw-second", role="unit_admin", region=None,
                  unit_id=UNIT, created_at=DEFAULT_NOW - timedelta(days=60))
    uscc = "91440703MA4UUUUU1X"
    assert unit_logins.username_for(world.tx(), uscc) is None   # a unit identity has not heard of
    world.units.keep(UNIT, {"uscc": uscc, "org_code": uscc[8:17], "name": "单位", "account_id": ACC})
    assert unit_logins.username_for(world.tx(), uscc.lower()) == "pengjiang01"
    assert unit_logins.username_for(world.tx(), "MA4UUUUU-1") == "pengjiang01"
    world.units.keep(UNIT, {"account_id": None})   # no operator named: the earliest active one
    assert login(world, signer, password=PASSWORD, username=uscc)[1]["account"]["username"] == "dw-second"


def test_refresh_rotates_the_token_and_a_reused_one_ends_every_session(world, signer):
    world.account()
    first = login(world, signer)[1]["refresh_token"]
    second = use_cases.refresh(world.tx(minutes=1), signer, first, TTL)["refresh_token"]
    assert second != first and len(world.sessions.open_of(ACC)) == 1
    tx = world.tx(minutes=2)
    with pytest.raises(Unauthenticated) as info:
        use_cases.refresh(tx, signer, first, TTL)
    assert info.value.code == "auth.refresh_invalid"
    assert tx.event_types() == ["account.sessions_revoked"] and tx.emitted[0].data["reason"] == "refresh_token_reuse"
    assert world.sessions.open_of(ACC) == [] and world.sessions.min_versions[ACC] == 2
    assert refused(use_cases.refresh, world.tx(), signer, "made-up", TTL).code == "auth.refresh_invalid"
    third = login(world, signer, minutes=3)[1]["refresh_token"]
    late = world.tx(minutes=3 + 60 * 24 * 7)
    assert refused(use_cases.refresh, late, signer, third, TTL).code == "auth.refresh_invalid"   # expired
    assert late.emitted == [] and len(world.sessions.open_of(ACC)) == 1   # not taken for a theft


def test_logout_revokes_the_access_token_and_its_refresh_token(world, signer):
    world.account()
    tokens = login(world, signer)[1]
    jti = world.sessions.open_of(ACC)[0]["access_jti"]
    tx = world.tx(replace(world.principal(ACC), jti=jti))
    assert use_cases.logout(tx) == {"ok": True}
    assert tx.event_types() == ["session.revoked"] and world.sessions.revoked_jtis == {jti}
    assert world.sessions.open_of(ACC) == [] and tokens["refresh_token"]


def code_of(answer: dict) -> str:
    return answer["deliver"]["text"].split("验证码为")[1][:6]


def test_an_sms_code_works_once_and_a_newer_one_replaces_it(world):
    answer = sms.issue(world.tx(), SECRET, MOBILE, "login", sign="江门人才")
    assert (answer["expires_in"], answer["retry_after"]) == (300, 60)
    assert answer["deliver"]["text"].startswith("【江门人才】您的登录验证码为") and world.codes.locked == [MOBILE]
    stored = next(iter(world.codes.rows.values()))
    assert code_of(answer) not in str(stored)   # only a keyed hash is kept
    newer = sms.issue(world.tx(minutes=1.5), SECRET, MOBILE, "login")
    if code_of(answer) != code_of(newer):   # the earlier code stopped working
        assert refused(sms.consume, world.tx(minutes=2), SECRET, MOBILE, "login", code_of(answer)).code == \
            "sms.invalid_code"
    assert sms.consume(world.tx(minutes=2), SECRET, MOBILE, "login", code_of(newer)) == {
        "mobile": MOBILE, "purpose": "login"}
    again = refused(sms.consume, world.tx(minutes=2), SECRET, MOBILE, "login", code_of(newer))
    assert (again.code, again.message) == ("sms.invalid_code", "验证码不正确或已使用，请重新获取")


def test_sms_codes_expire_and_allow_the_policy_s_wrong_tries(world):
    answer = sms.issue(world.tx(), SECRET, MOBILE, "register")
    good = code_of(answer)
    wrong = "000000" if good != "000000" else "111111"
    for _ in range(5):
        assert refused(sms.consume, world.tx(), SECRET, MOBILE, "register", wrong).message == "验证码不正确"
    too_many = refused(sms.consume, world.tx(), SECRET, MOBILE, "register", good)
    assert too_many.message == "验证码输错次数过多，请重新获取"
    answer = sms.issue(world.tx(minutes=1.5), SECRET, MOBILE, "register")
    assert refused(sms.consume, world.tx(minutes=6.5), SECRET, MOBILE, "register", code_of(answer)).code == \
        "sms.expired_code"
    for bad in ["12345", "abcdef", None]:
        assert refused(sms.consume, world.tx(), SECRET, MOBILE, "register", bad).code == "sms.invalid_code"
    assert refused(sms.consume, world.tx(), SECRET, MOBILE, "nonsense", "123456").code == "sms.purpose_unknown"


def test_sms_requests_are_limited_per_minute_and_per_day_failed_deliveries_not_counted(world):
    first = sms.issue(world.tx(), SECRET, MOBILE, "login")
    assert refused(sms.issue, world.tx(minutes=0.5), SECRET, MOBILE, "login").code == "sms.too_many_requests"
    sms.mark_delivery(world.tx(), first["deliver"]["code_id"], ok=False)   # a failed delivery does not count
    sms.issue(world.tx(minutes=0.5), SECRET, MOBILE, "login")
    for n in range(1, 10):
        sms.issue(world.tx(minutes=n * 2), SECRET, MOBILE, "login")
    daily = refused(sms.issue, world.tx(minutes=30), SECRET, MOBILE, "login")
    assert daily.code == "sms.too_many_requests" and daily.details["daily_limit"] is True
    assert sms.issue(world.tx(minutes=60 * 24 + 1), SECRET, MOBILE, "login")["sent"]


def test_a_hash_made_with_other_parameters_is_renewed_at_the_next_login(world, signer):
    from argon2 import PasswordHasher

    from identity.passwords import needs_rehash, verify_password
    older = PasswordHasher(time_cost=1, memory_cost=16, parallelism=2).hash(PASSWORD)
    world.account(password_hash=older)
    assert needs_rehash(older)
    login(world, signer)
    renewed = world.accounts.rows[ACC]["password_hash"]
    assert renewed != older and not needs_rehash(renewed) and verify_password(renewed, PASSWORD)
    login(world, signer)
    assert world.accounts.rows[ACC]["password_hash"] == renewed   # renewed once, not at every login
