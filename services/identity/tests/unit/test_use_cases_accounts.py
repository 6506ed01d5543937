"""Accounts, passwords and forced changes on a fake unit of work: what each step stores, emits and refuses."""
from __future__ import annotations

from datetime import timedelta

import pytest

from identity import use_cases
from identity.passwords import verify_password
from shared.errors import Conflict, InvalidInput, NotFound
from shared.testing.fake_tx import DEFAULT_NOW

from .conftest import ACC, PASSWORD, SECRET, UNIT

TTL = timedelta(days=7)


def new_account(**patch) -> dict:
    return {"username": "jianghai01", "password": "Jianghai2026", "role": "county_hrss", "region": "440704",
            "name": "江海经办人", "mobile": "13900000001", **patch}


def test_an_admin_creates_an_account_and_the_event_and_audit_say_so(world):
    tx = world.tx()
    created = use_cases.create_account(tx, new_account())
    assert (created["username"], created["role_label"], created["region_name"]) == (
        "jianghai01", "县区人社局", "广东省江门市江海区")
    assert created["status"] == "active" and not created["must_change_password"]
    assert tx.event_types() == ["account.created"] and tx.audit_actions() == ["account.create"]
    stored = world.accounts.rows[created["id"]]
    assert stored["password_hash"] != "Jianghai2026" and verify_password(stored["password_hash"], "Jianghai2026")


def test_an_initial_password_must_be_changed_before_the_policy_days_run_out(world):
    world.policy.values["initial_password_days"] = 3
    created = use_cases.create_account(world.tx(), new_account(initial_password=True, password="Init1234"))
    assert created["must_change_password"]
    assert created["password_expires_at"] == (DEFAULT_NOW + timedelta(days=3)).isoformat()


def test_creation_refuses_a_taken_username_in_any_case_and_bad_fields_storing_nothing(world):
    world.account(username="JiangHai01")
    with pytest.raises(Conflict) as info:
        use_cases.create_account(world.tx(), new_account())
    assert info.value.code == "account.username_taken"
    refusals = [(new_account(username="jhzz", password="Jhzzx12345"), "account.password_contains_username"),
                (new_account(password="short1"), None),
                (new_account(name=" "), "account.name_required"),
                (new_account(role="unit_admin", region=None), "account.unit_required"),
                (new_account(role="unit_admin", region=None, unit_id="not-a-uuid"), "account.unit_id_invalid")]
    for data, code in refusals:
        with pytest.raises(InvalidInput) as info:
            use_cases.create_account(world.tx(), {**data, "username": data["username"] + "x"})
        assert code is None or info.value.code == code
    assert len(world.accounts.rows) == 1
    unit_admin = use_cases.create_account(world.tx(), new_account(username="dw01", role="unit_admin", region=None,
                                                                  unit_id=UNIT))
    assert unit_admin["unit_id"] == UNIT


def test_deactivation_ends_every_session_and_reactivation_undoes_it(world):
    world.account()
    world.sessions.add({"id": "rt-1", "account_id": ACC, "token_hash": "h", "access_jti": "j",
                        "expires_at": DEFAULT_NOW + TTL, "created_at": DEFAULT_NOW})
    tx = world.tx()
    off = use_cases.set_status(tx, ACC, active=False)
    assert (off["status"], off["status_label"]) == ("deactivated", "已注销")
    assert tx.event_types() == ["account.deactivated"] and tx.emitted[0].data["min_token_version"] == 2
    assert world.sessions.min_versions == {ACC: 2} and world.sessions.open_of(ACC) == []
    assert tx.audited[0].before["status"] == "active" and tx.audited[0].after["status"] == "deactivated"
    again = world.tx()
    assert use_cases.set_status(again, ACC, active=False)["status"] == "deactivated"
    assert again.emitted == [] and again.audited == []   # already so: nothing happens
    on = world.tx()
    assert use_cases.set_status(on, ACC, active=True)["status"] == "active"
    assert on.event_types() == ["account.reactivated"]


def test_nobody_deactivates_their_own_account_and_an_unknown_one_is_not_found(world):
    world.account()
    with pytest.raises(Conflict) as info:
        use_cases.set_status(world.tx(ACC), ACC, active=False)
    assert info.value.code == "account.self_deactivation"
    with pytest.raises(NotFound):
        use_cases.set_status(world.tx(), "nobody", active=False)


def test_the_profile_changes_name_and_email_but_the_mobile_only_with_a_code(world):
    world.account(mobile="13900000001")
    tx = world.tx(ACC)
    mine = use_cases.update_profile(tx, {"name": "新名字", "email": "a@example.com", "mobile": "13900000001"})
    assert (mine["name"], mine["email"]) == ("新名字", "a@example.com")
    assert tx.audit_actions() == ["account.profile_update"] and tx.audited[0].before["name"] == "蓬江经办人"
    with pytest.raises(InvalidInput) as info:
        use_cases.update_profile(world.tx(ACC), {"mobile": "13900000002"})
    assert info.value.code == "account.mobile_change_requires_code"
    assert world.accounts.rows[ACC]["mobile"] == "13900000001"


def test_the_owner_changes_the_password_with_the_old_one_and_every_earlier_token_ends(world, signer):
    world.account()
    with pytest.raises(InvalidInput) as info:
        use_cases.change_password(world.tx(ACC), signer, "Wrong1234", "Newpass2026", TTL)
    assert info.value.code == "account.old_password_wrong"
    with pytest.raises(InvalidInput) as info:
        use_cases.change_password(world.tx(ACC), signer, PASSWORD, PASSWORD, TTL)
    assert info.value.code == "account.password_unchanged"
    tx = world.tx(ACC)
    tokens = use_cases.change_password(tx, signer, PASSWORD, "Newpass2026", TTL)
    assert tx.event_types() == ["account.password_changed"] and tx.audit_actions() == ["account.password_change"]
    assert world.sessions.min_versions == {ACC: 2} and tokens["account"]["must_change_password"] is False
    assert [r["access_jti"] for r in world.sessions.open_of(ACC)] != []   # the new session only
    assert verify_password(world.accounts.rows[ACC]["password_hash"], "Newpass2026")


def test_a_forced_change_with_a_mobile_goes_through_an_sms_code(world, signer):
    from identity import sms

    world.account(must_change_password=True, mobile="13900000001",
                  password_expires_at=DEFAULT_NOW + timedelta(days=7))
    with pytest.raises(Conflict) as info:
        use_cases.change_password(world.tx(ACC), signer, PASSWORD, "Newpass2026", TTL)
    assert info.value.code == "account.sms_required"
    assert use_cases.first_login_mobile(world.tx(ACC)) == "13900000001"
    sent = sms.issue(world.tx(), SECRET, "13900000001", "first_login")
    code = sent["deliver"]["text"].split("验证码为")[1][:6]
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(InvalidInput) as info:
        use_cases.first_login_change_password(world.tx(ACC), signer, SECRET, wrong, "Newpass2026", TTL)
    assert info.value.code == "sms.invalid_code" and world.accounts.rows[ACC]["must_change_password"]
    tx = world.tx(ACC)
    tokens = use_cases.first_login_change_password(tx, signer, SECRET, code, "Newpass2026", TTL)
    assert tokens["account"]["must_change_password"] is False and tx.event_types() == ["account.password_changed"]
    with pytest.raises(Conflict) as info:   # done once: no forced change left
        use_cases.first_login_mobile(world.tx(ACC))
    assert info.value.code == "account.password_change_not_required"


def test_a_forced_change_without_a_mobile_is_told_to_use_the_old_password(world, signer):
    world.account(must_change_password=True, mobile=None)
    with pytest.raises(Conflict) as info:
        use_cases.first_login_change_password(world.tx(ACC), signer, SECRET, "123456", "Newpass2026",
                                              TTL)
    assert info.value.code == "account.mobile_missing"
    assert use_cases.change_password(world.tx(ACC), signer, PASSWORD, "Newpass2026", TTL)["access_token"]


def test_an_admin_reset_forces_a_change_at_next_login_and_ends_every_session(world):
    world.account()
    tx = world.tx()
    reset = use_cases.reset_password(tx, ACC, "Reset2026a")
    assert reset["must_change_password"] and reset["password_expires_at"] == (DEFAULT_NOW + TTL).isoformat()
    assert tx.event_types() == ["account.password_changed"] and tx.emitted[0].data["by_admin"] is True
    assert tx.audited[0].before == {"must_change_password": False} and world.sessions.min_versions[ACC] == 2

