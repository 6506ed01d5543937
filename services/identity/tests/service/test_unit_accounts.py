"""信息维护-账号管理: a unit's operator manages its own unit's accounts only (another unit's: 404);
changes are audited with before/after; deactivation revokes the account's tokens."""
import pytest

from shared.testing.helpers import refusal, rows, rpc_client, scalar

UNIT_A = "6f1c2a10-0000-4000-8000-00000000000a"
UNIT_B = "6f1c2a10-0000-4000-8000-00000000000b"


def client(config, token=None):
    return rpc_client(config["AMQP_URI"], "identity", token)


error_of = refusal


def bearer(tokens):
    return "Bearer " + tokens["access_token"]


@pytest.fixture
def units(identity, identity_config):
    """Operators and individuals of two units, created by the platform admin."""
    with client(identity_config) as svc:
        admin = bearer(svc.login("admin", "Demo2026"))
    made = {}
    with client(identity_config, admin) as svc:
        for username, role, unit in [("dw_a", "unit_admin", UNIT_A), ("dw_b", "unit_admin", UNIT_B),
                                     ("grad_a", "individual", UNIT_A), ("grad_b", "individual", UNIT_B)]:
            made[username] = svc.create_account({"username": username, "password": "Demo2026x", "role": role,
                                                 "name": username, "unit_id": unit, "mobile": "13800001111"})
    with client(identity_config) as svc:
        tokens = {name: bearer(svc.login(name, "Demo2026x")) for name in ("dw_a", "dw_b", "grad_a")}
    return made, tokens


def test_a_unit_lists_views_and_edits_only_its_own_accounts(units, identity_config, identity_url):
    made, tokens = units
    with client(identity_config, tokens["dw_a"]) as svc:
        page = svc.list_accounts({"unit_id": UNIT_B, "role": "individual"}, 1, 20)  # asking for B still gives A's
        assert {a["username"] for a in page["items"]} == {"grad_a"}
        assert {a["username"] for a in svc.list_accounts({}, 1, 20)["items"]} == {"dw_a", "grad_a"}
        assert svc.get_account(made["grad_a"]["id"])["username"] == "grad_a"
        for fn, args in [(svc.get_account, ()), (svc.update_account, ({"name": "改"},)),
                         (svc.deactivate_account, ()), (svc.reset_password, ("Reset2026",))]:
            assert error_of(fn, made["grad_b"]["id"], *args) == (404, "account.not_found"), fn
        assert error_of(svc.get_account, "00000000-0000-4000-8000-000000000000") == (404, "account.not_found")
        for bad, expected in [({"mobile": "123"}, "mobile.length"), ({"name": ""}, "account.name_required"),
                              ({"role": "sys_admin"}, "account.field_not_editable")]:
            assert error_of(svc.update_account, made["grad_a"]["id"], bad) == (400, expected), bad
        edited = svc.update_account(made["grad_a"]["id"], {"name": "张三丰", "mobile": "13900002222"})
        assert (edited["name"], edited["mobile"]) == ("张三丰", "13900002222")
    with client(identity_config, tokens["grad_a"]) as svc:
        assert error_of(svc.list_accounts) == (403, "auth.forbidden")
    assert scalar(identity_url, "SELECT name FROM accounts WHERE username='grad_b'") == "grad_b"
    [audit] = rows(identity_url, "SELECT before, after FROM platform_audit_log WHERE action='account.update'")
    assert audit["before"]["name"] == "grad_a" and audit["after"]["name"] == "张三丰"


def test_a_unit_deactivates_reactivates_and_resets_its_accounts(units, identity_config, identity_url):
    made, tokens = units
    grad = made["grad_a"]["id"]
    with client(identity_config, tokens["dw_a"]) as svc:
        assert svc.deactivate_account(grad)["status_label"] == "已注销"
    with client(identity_config, tokens["grad_a"]) as svc:
        assert error_of(svc.me) == (401, "auth.token_revoked")
    with client(identity_config) as svc:
        assert error_of(svc.login, "grad_a", "Demo2026x") == (401, "auth.account_deactivated")
    with client(identity_config, tokens["dw_a"]) as svc:
        assert svc.reactivate_account(grad)["status"] == "active"
        assert error_of(svc.reset_password, grad, "12345") == (400, "account.password_length")
        assert svc.reset_password(grad, "Reset2026")["must_change_password"] is True
    with client(identity_config) as svc:
        assert svc.login("grad_a", "Reset2026")["account"]["must_change_password"] is True
    actions = [r["action"] for r in rows(identity_url, "SELECT action FROM platform_audit_log WHERE subject_id=:s "
                                                       "ORDER BY id", s=grad)]
    assert actions[-3:] == ["account.deactivate", "account.reactivate", "account.password_reset"]


def test_a_unit_adds_another_operator_of_its_own_unit_only(units, identity_config):
    _, tokens = units
    new = {"username": "dw_a2", "password": "Start2026", "role": "unit_admin", "name": "第二经办人"}
    with client(identity_config, tokens["dw_a"]) as svc:
        assert error_of(svc.create_account, {**new, "role": "county_hrss", "region": "440703"}) == \
            (403, "account.role_not_allowed")
        assert error_of(svc.create_account, {**new, "unit_id": UNIT_B}) == (404, "unit.not_found")
        created = svc.create_account(new)
        assert created["unit_id"] == UNIT_A and created["must_change_password"] is True
    with client(identity_config) as svc:
        second = svc.login("dw_a2", "Start2026")
    assert second["account"]["role"] == "unit_admin" and second["account"]["unit_id"] == UNIT_A


def test_a_unit_logs_in_with_its_uscc_or_org_code(units, identity_config, identity_url, vhost):
    from shared.events import Envelope, source_of
    from shared.testing import rabbit
    from shared.testing.helpers import wait_for

    made, _ = units
    uscc = "91440703MA5X12349J"
    event = Envelope(type="unit.approved", source=source_of("unit_registry"), subject=UNIT_A, region="440703",
                     actor={"role": "county_hrss", "account_id": None},
                     data={"unit_id": UNIT_A, "name": "示范单位", "uscc": uscc, "region": "440703",
                           "account_id": made["dw_a"]["id"]}).to_dict()
    rabbit.publish(vhost, "unit_registry.events", "unit.approved", event)
    wait_for(lambda: scalar(identity_url, "SELECT count(*) FROM units") == 1, timeout=15, message="unit known")
    with client(identity_config) as svc:
        assert svc.login(uscc, "Demo2026x")["account"]["username"] == "dw_a"
        assert svc.login(uscc.lower(), "Demo2026x")["account"]["username"] == "dw_a"
        assert svc.login("MA5X12349", "Demo2026x")["account"]["username"] == "dw_a"     # 组织机构代码
        assert svc.login("MA5X1234-9", "Demo2026x")["account"]["username"] == "dw_a"
        assert error_of(svc.login, uscc, "wrong-pass") == (401, "auth.invalid_credentials")
        assert error_of(svc.login, "91440703MA5X99999X", "Demo2026x") == (401, "auth.invalid_credentials")
