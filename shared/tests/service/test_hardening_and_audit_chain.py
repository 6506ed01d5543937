"""The service entrypoint's own hardening (a service never relies on the gateway), the check order
(revoked token 401 before a wrong role's 403 before bad input's 400), audited reads of personal data
and the hash-chained audit trail with its verify command."""
import json

import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy

from shared import audit
from shared.testing.helpers import execute, remote_code, rows, rpc_client, scalar

DEEP: list = ["deep"]
for _ in range(40):
    DEEP = [DEEP]


def _refused(svc_call, *args):
    with pytest.raises(RemoteError) as info:
        svc_call(*args)
    return remote_code(info.value)


@pytest.mark.parametrize("bad, code", [
    ("a\x00b", "input.control_character"),
    ("\x1b[31m", "input.control_character"),
    ("\ud800", "input.invalid_text"),
    (DEEP, "input.too_deep"),
    (2 ** 63, "input.number_out_of_range"),
])
def test_bad_arguments_are_400_and_change_nothing(sample, sample_config, issue, bad, code):
    token, _ = issue()
    with rpc_client(sample_config["AMQP_URI"], "sample", token) as svc:
        assert _refused(svc.create_thing, bad) == (400, code)
    assert scalar(sample_config["DATABASE_URL"], "SELECT count(*) FROM things") == 0


def test_text_is_normalised_to_nfc(sample, sample_config, issue):
    token, _ = issue()
    with rpc_client(sample_config["AMQP_URI"], "sample", token) as svc:
        thing = svc.create_thing("e\u0301tude")  # e + combining acute accent
    assert thing["name"] == "\u00e9tude"


def test_check_order_revoked_before_role_before_input(sample, sample_config, issue):
    uri, url = sample_config["AMQP_URI"], sample_config["DATABASE_URL"]
    officer, _ = issue(role="individual", region=None)
    with rpc_client(uri, "sample", officer) as svc:
        assert _refused(svc.create_thing, "a\x00") == (403, "auth.forbidden")   # wrong role before bad input
        assert _refused(svc.authorise, "create_thing") == (403, "auth.forbidden")
    with rpc_client(uri, "sample") as svc:
        assert _refused(svc.create_thing, "a\x00") == (401, "auth.token_missing")
        assert _refused(svc.authorise, "create_thing")[0] == 401
    revoked, claims = issue(role="individual", region=None)
    execute(url, "INSERT INTO platform_revoked_tokens (jti, account_id, expires_at) VALUES (:j, :a, now() + "
                 "interval '1 hour')", j=claims["jti"], a=claims["sub"])
    with rpc_client(uri, "sample", revoked) as svc:
        assert _refused(svc.create_thing, "ok") == (401, "auth.token_revoked")  # revocation before role
        assert _refused(svc.authorise, "create_thing") == (401, "auth.token_revoked")
    good, _ = issue()
    with rpc_client(uri, "sample", good) as svc:
        assert svc.authorise("create_thing")["role"] == "county_hrss"
        assert _refused(svc.authorise, "no_such_method") == (400, "invalid_call")


def test_reads_of_personal_data_are_audited_with_who_and_what(sample, sample_config, issue):
    token, claims = issue()
    uri, url = sample_config["AMQP_URI"], sample_config["DATABASE_URL"]
    with rpc_client(uri, "sample", token) as svc:
        thing = svc.create_thing("张三")
        svc.get_thing(thing["id"])
        svc.list_things()  # a list page on screen: not a per-record read
    with ClusterRpcProxy({"AMQP_URI": uri}, context_data={"authorization": token, "purpose": "export"}) as proxy:
        proxy["sample"].list_things()
    reads = rows(url, "SELECT action, actor_account, actor_role, subject_id, after FROM platform_audit_log "
                      "WHERE action LIKE 'thing.%ed' ORDER BY id")
    assert [(r["action"], r["actor_account"], r["actor_role"]) for r in reads] == [
        ("thing.viewed", claims["sub"], "county_hrss"), ("thing.exported", claims["sub"], "county_hrss")]
    assert reads[0]["subject_id"] == thing["id"] and reads[0]["after"]["fields"] == ["name"]
    assert reads[1]["after"]["ids"] == [thing["id"]] and reads[1]["after"]["operation"] == "list_things"


def test_audit_trail_is_hash_chained_and_tampering_is_found(sample, sample_config, issue, capsys):
    token, _ = issue()
    uri, url = sample_config["AMQP_URI"], sample_config["DATABASE_URL"]
    with rpc_client(uri, "sample", token) as svc:
        for name in ("一", "二", "三", "四"):
            svc.create_thing(name)
    chain = rows(url, "SELECT id, prev_hash, hash FROM platform_audit_log ORDER BY id")
    assert len(chain) == 4 and chain[0]["prev_hash"] == audit.GENESIS
    assert [c["prev_hash"] for c in chain[1:]] == [c["hash"] for c in chain[:-1]]
    assert audit.main(["verify", "--database-url", url]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["chained"] == 4 and report["head"] == chain[-1]["hash"]

    # someone with the database owner's rights goes around the append-only trigger
    execute(url, "ALTER TABLE platform_audit_log DISABLE TRIGGER platform_audit_append_only")
    try:
        execute(url, "UPDATE platform_audit_log SET after = '{\"name\": \"改\"}' WHERE id = :i", i=chain[1]["id"])
        execute(url, "DELETE FROM platform_audit_log WHERE id = :i", i=chain[2]["id"])
    finally:
        execute(url, "ALTER TABLE platform_audit_log ENABLE TRIGGER platform_audit_append_only")
    with rpc_client(uri, "sample", token) as svc:
        svc.create_thing("五")
    assert audit.main(["verify", "--database-url", url]) == 1
    report = json.loads(capsys.readouterr().out)
    assert not report["ok"]
    reasons = {(b["id"], b["reason"]) for b in report["broken"]}
    assert (chain[1]["id"], "content does not match its hash") in reasons
    assert (chain[3]["id"], "prev_hash does not match the previous row") in reasons  # after the deleted row
