"""Initial passwords: the services, not the portal, refuse everything but the change (pwc claim);
first login with an SMS code; initial passwords expire; strength rules."""
import jwt
import pytest

from shared.clock import set_offset
from shared.testing.helpers import refusal, rpc_client, scalar

MOBILE = "13912340077"


def client(config, token=None):
    return rpc_client(config["AMQP_URI"], "identity", token)


error_of = refusal


def bearer(tokens):
    return "Bearer " + tokens["access_token"]


@pytest.fixture
def admin_token(identity, identity_config):
    with client(identity_config) as svc:
        return bearer(svc.login("admin", "Demo2026"))


def create(config, admin_token, username, mobile=MOBILE, password="Init2026abc"):
    with client(config, admin_token) as svc:
        return svc.create_account({"username": username, "password": password, "role": "county_hrss",
                                   "region": "440703", "name": "新同事", "mobile": mobile,
                                   "initial_password": True})


def test_an_initial_password_allows_only_the_change_then_sms_first_login(identity, identity_config, admin_token,
                                                                           identity_url):
    account = create(identity_config, admin_token, "newbie")
    assert account["must_change_password"] is True and account["password_expires_at"]
    with client(identity_config) as svc:
        tokens = svc.login("newbie", "Init2026abc")
    assert jwt.decode(tokens["access_token"], options={"verify_signature": False})["pwc"] is True
    with client(identity_config, bearer(tokens)) as svc:
        assert svc.me()["username"] == "newbie"                      # allow-listed
        assert error_of(svc.update_profile, {"name": "改名"}) == (403, "account.password_change_required")
        assert error_of(svc.list_accounts) == (403, "account.password_change_required")
        # with a mobile on file the change needs the SMS code, not the old password
        assert error_of(svc.change_password, "Init2026abc", "Better2026x") == (409, "account.sms_required")
        assert svc.send_first_login_code()["mobile"] == "139****0077"
    with client(identity_config) as svc:
        code = svc.dev_sms_inbox(MOBILE)["items"][0]["code"]
    with client(identity_config, bearer(tokens)) as svc:
        for new, expected in [("short1A", "account.password_length"), ("alllowercase1", "account.password_weak"),
                              ("Newbie2026x", "account.password_contains_username"),
                              ("Init2026abc", "account.password_unchanged"),
                              ("Pass word1", "account.password_characters")]:
            assert error_of(svc.first_login_change_password, code, new) == (400, expected), new
        wrong = "000000" if code != "000000" else "111111"
        assert error_of(svc.first_login_change_password, wrong, "Better2026x") == (400, "sms.invalid_code")
        fresh = svc.first_login_change_password(code, "Better2026x")
        assert fresh["account"]["must_change_password"] is False
        assert error_of(svc.me) == (401, "auth.token_revoked")       # the pwc token is dead
        assert error_of(svc.first_login_change_password, code, "Other2026x") == (401, "auth.token_revoked")
    assert "pwc" not in jwt.decode(fresh["access_token"], options={"verify_signature": False})
    with client(identity_config, bearer(fresh)) as svc:
        assert svc.update_profile({"name": "改名"})["name"] == "改名"
        assert error_of(svc.first_login_change_password, code, "Other2026x") == \
            (409, "account.password_change_not_required")
    with client(identity_config) as svc:
        assert error_of(svc.login, "newbie", "Init2026abc") == (401, "auth.invalid_credentials")
        assert svc.login("newbie", "Better2026x")["account"]["must_change_password"] is False
    assert scalar(identity_url, "SELECT count(*) FROM platform_audit_log WHERE action='account.password_change'") == 1


def test_without_a_mobile_the_old_password_changes_it(identity, identity_config, admin_token):
    create(identity_config, admin_token, "nomobile", mobile=None)
    with client(identity_config) as svc:
        tokens = svc.login("nomobile", "Init2026abc")
    with client(identity_config, bearer(tokens)) as svc:
        assert error_of(svc.send_first_login_code) == (409, "account.mobile_missing")
        assert error_of(svc.change_password, "wrong-old", "Better2026x") == (400, "account.old_password_wrong")
        assert svc.change_password("Init2026abc", "Better2026x")["account"]["must_change_password"] is False


def test_initial_passwords_expire_and_a_reset_starts_again(identity, identity_config, admin_token, clock_file):
    account = create(identity_config, admin_token, "slowpoke")
    set_offset(clock_file, 8 * 86400)  # policy initial_password_days = 7
    with client(identity_config) as svc:
        assert error_of(svc.login, "slowpoke", "Init2026abc") == (401, "auth.initial_password_expired")
        admin = bearer(svc.login("admin", "Demo2026"))
    with client(identity_config, admin) as svc:
        assert error_of(svc.reset_password, account["id"], "12345") == (400, "account.password_length")
        assert svc.reset_password(account["id"], "Reset2026x")["must_change_password"] is True
    with client(identity_config) as svc:
        tokens = svc.login("slowpoke", "Reset2026x")
    assert tokens["account"]["must_change_password"] is True


def test_demo_accounts_are_not_forced_to_change(identity, identity_config):
    with client(identity_config) as svc:
        tokens = svc.login("clerk", "Demo2026")
    assert tokens["account"]["must_change_password"] is False
    assert "pwc" not in jwt.decode(tokens["access_token"], options={"verify_signature": False})
