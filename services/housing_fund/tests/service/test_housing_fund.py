"""housing_fund's shell: schema, health, token revocation, the employer list and its jurisdiction."""
import uuid
from datetime import UTC, datetime

from housing_fund.adapters.orm import metadata
from shared.db.tables import metadata as platform_metadata
from shared.events import Envelope, source_of
from shared.testing import rabbit
from shared.testing.checks import migration_drift
from shared.testing.helpers import execute, scalar, wait_for
from shared.testing.service import callers

rpc, error_of = callers("housing_fund")




def test_migrations_create_exactly_the_tables_of_the_models(housing_fund_session_db):
    assert migration_drift(housing_fund_session_db, metadata, platform_metadata) == []


def test_health_answers_without_a_token(housing_fund, housing_fund_config):
    assert rpc(housing_fund_config, "health") == {"service": "housing_fund", "database": "ok", "restarts": 0}


def test_a_deactivated_account_is_refused(housing_fund, housing_fund_config, housing_fund_db, vhost, issue):
    cfg = housing_fund_config
    token, claims = issue(role="housing_bureau", region="440700", name="住建局经办人")
    me = rpc(cfg, "me", token=token)
    assert me["account_id"] == claims["sub"] and me["role_label"] == "住建局" and me["region_name"] == "广东省江门市"
    assert error_of(cfg, "me", token=issue(role="county_hrss", region="440703")[0]) == (403, "auth.forbidden")
    assert [t["count"] for t in rpc(cfg, "todos", token=token)] == [0, 0, 0]

    event = Envelope(type="account.deactivated", source=source_of("identity"), subject=claims["sub"],
                     region="000000", actor={"role": "sys_admin", "account_id": None},
                     data={"account_id": claims["sub"], "min_token_version": 2,
                           "revoked_before": datetime.now(UTC).isoformat()}).to_dict()
    rabbit.publish(vhost, "identity.events", "account.deactivated", event)
    rabbit.publish(vhost, "identity.events", "account.deactivated", event)  # redelivered: one effect
    wait_for(lambda: scalar(housing_fund_db, "SELECT min_token_version FROM platform_revocations "
                                             "WHERE account_id=:a", a=claims["sub"]) == 2, message="revocation")
    assert error_of(cfg, "me", token=token) == (401, "auth.token_revoked")
    wait_for(lambda: rabbit.queue_depth(vhost, "housing_fund.account.deactivated")[0] == 0, message="queue drained")
    assert scalar(housing_fund_db, "SELECT count(*) FROM platform_inbox") == 1
    fresh = issue(role="housing_bureau", region="440700", account_id=claims["sub"], token_version=2)[0]
    assert rpc(cfg, "me", token=fresh)["account_id"] == claims["sub"]


def test_a_bureau_lists_the_employers_of_its_area(housing_fund, housing_fund_config, housing_fund_db, issue):
    cfg = housing_fund_config
    city = issue(role="housing_bureau", region="440700")[0]
    assert rpc(cfg, "list_employers", {}, 1, 20, token=city) == {"items": [], "total": 0, "page": 1,
                                                                 "page_size": 20}
    for name, org_code, region, status in [("蓬江示范单位", "MA5X12349", "440703", "01"),
                                           ("江海示范单位", "MA5Y56780", "440704", "03"),
                                           ("广州某单位", "MA5Z00011", "440106", "01")]:
        execute(housing_fund_db, "INSERT INTO employers (id, name, org_code, region, status, created_at, updated_at) "
                                 "VALUES (:i, :n, :o, :r, :s, now(), now())",
                i=str(uuid.uuid4()), n=name, o=org_code, r=region, s=status)
    page = rpc(cfg, "list_employers", {}, token=city)
    assert sorted(e["name"] for e in page["items"]) == ["江海示范单位", "蓬江示范单位"]
    [deferred] = rpc(cfg, "list_employers", {"status": "03"}, token=city)["items"]
    assert deferred["status_label"] == "缓缴" and deferred["region_name"] == "广东省江门市江海区"
    county = issue(role="housing_bureau", region="440703")[0]
    assert [e["org_code"] for e in rpc(cfg, "list_employers", {"q": "ma5"}, token=county)["items"]] == ["MA5X12349"]
    assert error_of(cfg, "list_employers", {"status": "正常"}, token=city) == (400, "filter.status_unknown")
    assert error_of(cfg, "list_employers", token=issue(role="city_hrss", region="440700")[0]) == (
        403, "auth.forbidden")
