"""Units, the demo seed and its hand-off events, revocation, health and the schema."""

from shared.db.tables import metadata as platform_metadata
from shared.events import Envelope, source_of
from shared.testing import rabbit
from shared.testing.checks import migration_drift
from shared.testing.helpers import rows, scalar, wait_for
from shared.testing.service import callers
from unit_registry.adapters.orm import metadata
from unit_registry.seed import seed

SERVICE = "unit_registry"


rpc, error_of = callers(SERVICE)




def test_migrations_create_exactly_the_tables_of_the_models(unit_registry_session_db):
    assert migration_drift(unit_registry_session_db, metadata, platform_metadata) == []


def test_the_seed_hands_the_demo_city_over_once(unit_registry_db, vhost, demo, request):
    tap = rabbit.Tap(vhost, ["unit_registry.events"])
    request.getfixturevalue("unit_registry")  # its relay publishes what the seed left in the outbox
    received = {(m["body"]["type"], m["body"]["subject"]): m["body"] for m in tap.drain(wait=10, until=6)}
    assert set(received) == {(t, u["id"]) for u in demo["units"] for t in ("unit.registered", "unit.approved")} | {
        ("individual.approved", i["id"]) for i in demo["individuals"]}
    zhangsan = received[("individual.approved", demo["individuals"][0]["id"])]["data"]
    assert zhangsan["region"] == "440703" and zhangsan["unit_name"] == "江门市蓬江区示范科技有限公司"
    assert zhangsan["bank_account"] == demo["individuals"][0]["bank_account"]
    assert zhangsan["account_id"] == demo["individuals"][0]["account_id"] and zhangsan["status"] == "approved"
    unit = received[("unit.approved", demo["units"][0]["id"])]["data"]
    assert unit["account_id"] == demo["units"][0]["admin_account_id"] and unit["supervisor_region"] == "440703"
    assert seed(unit_registry_db, demo) == {"units": 0, "individuals": 0}
    assert scalar(unit_registry_db, "SELECT count(*) FROM platform_outbox WHERE exchange='unit_registry.events'") == 6
    # the demo units went through the registration flow: a round submitted by the clerk, approved by the county
    assert [tuple(r.values()) for r in rows(
        unit_registry_db, "SELECT subject_id, round, action, actor_role FROM review_history "
                          "WHERE subject_type='unit' ORDER BY subject_id, id")] == [
        (u["id"], 1, action, role) for u in demo["units"]
        for action, role in (("submitted", "unit_admin"), ("approved", "county_hrss"))]
    assert scalar(unit_registry_db, "SELECT count(*) FROM attachments WHERE kind='business_license' "
                                    "AND subject_type='unit'") == 2


def test_officers_see_the_units_of_their_jurisdiction(unit_registry, unit_registry_config, issue, clerk, demo):
    cfg = unit_registry_config
    pengjiang, jianghai = (u["id"] for u in demo["units"])
    county = issue(role="county_hrss", region="440703")[0]
    page = rpc(cfg, "list_units", {}, 1, 20, token=county)
    assert [u["id"] for u in page["items"]] == [pengjiang] and page["items"][0]["leader_phone"] == "138****0009"
    assert page["items"][0]["status_label"] == "审核通过" and page["items"][0]["region_name"] == "广东省江门市蓬江区"
    city = issue(role="city_hrss", region="440700")[0]
    assert rpc(cfg, "list_units", {}, token=city)["total"] == 2
    assert [u["id"] for u in rpc(cfg, "list_units", {"q": "江海"}, token=city)["items"]] == [jianghai]
    assert rpc(cfg, "list_units", {"region": "440704"}, token=city)["total"] == 1
    assert rpc(cfg, "list_units", {"status": "pending"}, token=city)["total"] == 0
    assert error_of(cfg, "list_units", {"region": "999999"}, token=city) == (400, "region.unknown")
    assert error_of(cfg, "list_units", token=clerk()) == (403, "auth.forbidden")

    detail = rpc(cfg, "get_unit", pengjiang, token=county)
    assert detail["leader_phone"] == "13800000009" and detail["org_code"] == "MA5X12349"
    assert detail["individual_counts"] == {"pending": 0, "approved": 1, "returned": 0}
    assert error_of(cfg, "get_unit", jianghai, token=county) == (404, "unit.not_found")
    assert rpc(cfg, "get_unit", jianghai, token=city)["name"] == "江门市江海区示范制造有限公司"
    assert rpc(cfg, "my_unit", token=clerk())["id"] == pengjiang
    assert error_of(cfg, "get_unit", jianghai, token=clerk()) == (404, "unit.not_found")
    assert [(t["key"], t["count"]) for t in rpc(cfg, "todos", token=county)] == [
        ("units.pending_review", 0), ("unit_changes.pending_review", 0)]


def test_the_registration_form_lists_approved_units_without_login(unit_registry, unit_registry_config,
                                                                  unit_registry_db, demo):
    cfg = unit_registry_config
    everything = rpc(cfg, "list_approved_units")
    assert everything["total"] == 2
    assert everything["items"][0] == {"id": demo["units"][0]["id"], "name": "江门市蓬江区示范科技有限公司",
                                      "region": "440703", "region_name": "广东省江门市蓬江区"}
    assert rpc(cfg, "list_approved_units", "440700")["total"] == 2
    assert [u["region"] for u in rpc(cfg, "list_approved_units", "440704")["items"]] == ["440704"]
    assert rpc(cfg, "list_approved_units", None, "制造")["total"] == 1
    assert error_of(cfg, "list_approved_units", "4407") == (400, "region.format")
    assert scalar(unit_registry_db, "SELECT count(*) FROM platform_audit_log WHERE action LIKE '%.read'") == 0


def test_revocation_events_are_applied_once_and_never_lowered(unit_registry, unit_registry_config,
                                                              unit_registry_db, vhost, issue, demo):
    """A deactivated account's token is refused; a duplicate delivery has one effect; an older
    revocation arriving late does not revive tokens."""
    cfg = unit_registry_config
    account_id = demo["individuals"][0]["account_id"]
    old = issue(role="individual", region=None, unit_id=demo["units"][0]["id"], account_id=account_id)[0]
    new = issue(role="individual", region=None, unit_id=demo["units"][0]["id"], account_id=account_id,
                token_version=3)[0]
    assert rpc(cfg, "my_registration", token=old)["name"] == "张三"

    def deactivated(version):
        return Envelope(type="account.deactivated", source=source_of("identity"), subject=account_id,
                        region="000000", actor={"role": "sys_admin", "account_id": None},
                        data={"account_id": account_id, "min_token_version": version,
                              "revoked_before": "2026-03-01T00:00:00+00:00"}).to_dict()

    event = deactivated(3)
    rabbit.publish(vhost, "identity.events", "account.deactivated", event)
    rabbit.publish(vhost, "identity.events", "account.deactivated", event)
    queue = "unit_registry.account.deactivated"
    wait_for(lambda: scalar(unit_registry_db, "SELECT min_token_version FROM platform_revocations") == 3,
             message="revocation applied")
    wait_for(lambda: rabbit.queue_depth(vhost, queue)[0] == 0, message="both deliveries handled")
    assert scalar(unit_registry_db, "SELECT count(*) FROM platform_inbox WHERE event_id=:i", i=event["id"]) == 1
    assert error_of(cfg, "my_registration", token=old) == (401, "auth.token_revoked")

    stale = deactivated(2)
    rabbit.publish(vhost, "identity.events", "account.deactivated", stale)
    wait_for(lambda: scalar(unit_registry_db, "SELECT count(*) FROM platform_inbox WHERE event_id=:i",
                            i=stale["id"]) == 1, message="stale event handled")
    assert scalar(unit_registry_db, "SELECT min_token_version FROM platform_revocations") == 3
    assert rpc(cfg, "my_registration", token=new)["name"] == "张三"
    assert rabbit.queue_depth(vhost, queue + ".dlq")[0] == 0


def test_health_answers_without_a_token(unit_registry, unit_registry_config):
    assert rpc(unit_registry_config, "health") == {"service": "unit_registry", "database": "ok", "restarts": 0}
