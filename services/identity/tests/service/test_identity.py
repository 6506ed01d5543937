"""identity against real RabbitMQ and PostgreSQL: login, lockout, revocation, passwords, validation."""

from identity.adapters.orm import metadata
from shared.db.tables import metadata as platform_metadata
from shared.testing import rabbit
from shared.testing.checks import migration_drift
from shared.testing.helpers import refusal, rows, rpc_client, scalar, wait_for


def client(config, token=None, key=None):
    return rpc_client(config["AMQP_URI"], "identity", token, key)


def login(config, username="clerk", password="Demo2026"):
    with client(config) as svc:
        return svc.login(username, password)


error_of = refusal


def test_migrations_create_exactly_the_tables_of_the_models(identity_db):
    assert migration_drift(identity_db, metadata, platform_metadata) == []


def test_login_returns_a_token_that_identifies_the_account(identity, identity_config):
    tokens = login(identity_config)
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 1800
    assert tokens["account"]["role_label"] == "县区人社局" and tokens["account"]["region_name"] == "广东省江门市蓬江区"
    with client(identity_config, "Bearer " + tokens["access_token"]) as svc:
        assert svc.me()["username"] == "clerk"


def test_five_wrong_passwords_pause_that_username_at_that_address_only(identity, identity_config, vhost,
                                                                      identity_url):
    from shared.testing.helpers import rows as _rows
    tap = rabbit.Tap(vhost, ["identity.events"], "account.locked")
    with client(identity_config) as svc:
        for _ in range(5):
            assert error_of(svc.login, "clerk", "wrong-1", "10.0.0.1") == (401, "auth.invalid_credentials")
            assert error_of(svc.login, "nobody", "wrong-1", "10.0.0.1") == (401, "auth.invalid_credentials")
        # the same answer for a real and an unknown username: nothing tells which one exists
        assert error_of(svc.login, "clerk", "Demo2026", "10.0.0.1") == (429, "auth.locked")
        assert error_of(svc.login, "nobody", "Demo2026", "10.0.0.1") == (429, "auth.locked")
        # the owner elsewhere is not locked out
        assert svc.login("clerk", "Demo2026", "10.0.0.2")["account"]["username"] == "clerk"
    [event] = tap.drain(wait=5, until=1)
    assert event["body"]["type"] == "account.locked"
    assert _rows(identity_url, "SELECT count(*) AS n FROM login_failures WHERE ip='10.0.0.1'")[0]["n"] == 10


def test_an_address_with_too_many_failures_is_refused_for_every_username(identity, identity_config, identity_url):
    with client(identity_config) as svc:
        for i in range(20):
            assert error_of(svc.login, f"user{i}", "wrong-1", "10.9.9.9") == (401, "auth.invalid_credentials")
        assert error_of(svc.login, "clerk", "Demo2026", "10.9.9.9") == (429, "auth.too_many_failures")
        assert svc.login("clerk", "Demo2026", "10.9.9.8")["account"]["username"] == "clerk"


def test_the_admin_sees_a_locked_account_as_locked(identity, identity_config):
    with client(identity_config) as svc:
        for _ in range(5):
            error_of(svc.login, "clerk", "wrong-1", "10.0.0.7")
        admin = "Bearer " + svc.login("admin", "Demo2026")["access_token"]
    with client(identity_config, admin) as svc:
        [clerk] = svc.list_accounts({"q": "clerk"}, 1, 10)["items"]
        assert clerk["status_label"] == "锁定" and clerk["locked"] is True


def test_deactivation_revokes_tokens_and_blocks_login(identity, identity_config, identity_url, vhost):
    tap = rabbit.Tap(vhost, ["identity.events"], "account.#")
    admin_token = "Bearer " + login(identity_config, "admin")["access_token"]
    clerk = login(identity_config)
    clerk_token = "Bearer " + clerk["access_token"]
    with client(identity_config, admin_token) as svc:
        result = svc.deactivate_account(clerk["account"]["id"])
    assert result["status"] == "deactivated"
    with client(identity_config, clerk_token) as svc:
        assert error_of(svc.me) == (401, "auth.token_revoked")
    with client(identity_config) as svc:
        assert error_of(svc.login, "clerk", "Demo2026") == (401, "auth.account_deactivated")
        assert error_of(svc.refresh, clerk["refresh_token"]) == (401, "auth.refresh_invalid")
    events = [m["body"] for m in tap.drain(wait=5) if m["body"]["type"] != "account.created"]  # seed's events
    assert events[0]["type"] == "account.deactivated" and events[0]["data"]["min_token_version"] == 2
    assert scalar(identity_url, "SELECT count(*) FROM platform_audit_log WHERE action='account.deactivate'") == 1
    with client(identity_config, admin_token) as svc:
        svc.reactivate_account(clerk["account"]["id"])
    again = login(identity_config)
    with client(identity_config, clerk_token) as svc:
        assert error_of(svc.me) == (401, "auth.token_revoked")  # the old token stays dead
    with client(identity_config, "Bearer " + again["access_token"]) as svc:
        assert svc.me()["status"] == "active"


def test_password_change_revokes_old_tokens_and_refresh_rotates(identity, identity_config):
    tokens = login(identity_config)
    old = "Bearer " + tokens["access_token"]
    with client(identity_config, old) as svc:
        assert error_of(svc.change_password, "bad-old", "NewPass2026") == (400, "account.old_password_wrong")
        assert error_of(svc.change_password, "Demo2026", "short") == (400, "account.password_length")
        fresh = svc.change_password("Demo2026", "NewPass2026")
        assert error_of(svc.me) == (401, "auth.token_revoked")
    with client(identity_config, "Bearer " + fresh["access_token"]) as svc:
        assert svc.me()["username"] == "clerk"
    with client(identity_config) as svc:
        rotated = svc.refresh(fresh["refresh_token"])
        assert rotated["refresh_token"] != fresh["refresh_token"]
        # reusing a rotated refresh token is treated as theft: every session of the account ends,
        # the access tokens issued before included
        assert error_of(svc.refresh, fresh["refresh_token"]) == (401, "auth.refresh_invalid")
        assert error_of(svc.refresh, rotated["refresh_token"]) == (401, "auth.refresh_invalid")
    with client(identity_config, "Bearer " + rotated["access_token"]) as svc:
        assert error_of(svc.me) == (401, "auth.token_revoked")


def test_logout_revokes_the_token(identity, identity_config, identity_url):
    from shared.messaging import topology
    topology.declare(identity_config["AMQP_URI"])  # every service's queue for session.revoked exists now
    token = "Bearer " + login(identity_config)["access_token"]
    with client(identity_config, token) as svc:
        assert svc.logout() == {"ok": True}
        assert error_of(svc.me) == (401, "auth.token_revoked")
    wait_for(lambda: scalar(identity_url, "SELECT count(*) FROM platform_outbox WHERE event_type='session.revoked' "
                                          "AND sent_at IS NOT NULL"), message="session.revoked published")


def test_account_creation_is_validated_with_field_errors(identity, identity_config, identity_url):
    admin_token = "Bearer " + login(identity_config, "admin")["access_token"]
    base = {"username": "newclerk", "password": "Abc12345", "role": "county_hrss", "region": "440703", "name": "新人"}
    with client(identity_config, admin_token) as svc:
        for patch, expected in [
            ({"region": "999999"}, "region.unknown"), ({"region": "440700"}, "account.region_level"),
            ({"password": "abcdefgh"}, "account.password_weak"), ({"username": "a"}, "account.username_invalid"),
            ({"mobile": "1234"}, "mobile.length"), ({"role": "king"}, "account.role_unknown"),
        ]:
            status, code = error_of(svc.create_account, {**base, **patch})
            assert (status, code) == (400, expected), patch
        created = svc.create_account(base)
        assert created["role"] == "county_hrss"
        assert error_of(svc.create_account, {**base, "username": "NEWCLERK"}) == (409, "account.username_taken")
        page = svc.list_accounts({"role": "county_hrss", "q": "新"}, 1, 10)
        assert page["total"] == 1 and page["items"][0]["username"] == "newclerk"
    with client(identity_config, "Bearer " + login(identity_config)["access_token"]) as svc:
        assert error_of(svc.create_account, base) == (403, "auth.forbidden")
    assert rows(identity_url, "SELECT count(*) AS n FROM accounts WHERE username='newclerk'")[0]["n"] == 1
