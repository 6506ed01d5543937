"""Stages 9 and 10: the city HRSS aggregates county-confirmed applications into a city batch with
totals per county; the city organisation department confirms it (city finance gets every application
and then the batch) or returns it (every application back to stage 4)."""
import re
import uuid
from datetime import datetime

import pytest

from shared.clock import SystemClock, utc_iso
from shared.testing.helpers import rows, scalar


@pytest.fixture
def confirmed(report, clerk):
    """``confirmed(county, n, months=...)`` -> ids of n applications the county org has confirmed."""
    def _confirmed(county: str, n: int, **kwargs) -> list[str]:
        ids = [report(county, **kwargs)["data"]["application_id"] for _ in range(n)]
        clerk("county_org", county)("county_confirm", ids)
        return ids
    return _confirmed


def test_city_hrss_aggregates_with_totals_per_county(confirmed, clerk, tap, org_confirmation_config):
    url = org_confirmation_config["DATABASE_URL"]
    penjiang = confirmed("440703", 2, months=12, standard_fen=80000)
    jianghai = confirmed("440704", 1, months=7, standard_fen=150033)
    tap.drain(wait=10, until=3)
    city_hrss = clerk("city_hrss", "440700")
    assert city_hrss("list_cases", None, 1, 20)["total"] == 3        # what waits for aggregation

    batch = city_hrss("aggregate", penjiang + jianghai)
    today = SystemClock().today_local()
    assert re.fullmatch(r"HZ440700-\d{8}-01", batch["batch_no"]) and batch["batch_no"][9:17] == f"{today:%Y%m%d}"
    assert (batch["status"], batch["count"], batch["amount_fen"]) == ("aggregated", 3, 2 * 960000 + 7 * 150033)
    assert batch["counties"] == [
        {"county": "440703", "county_name": "蓬江区", "count": 2, "amount_fen": 1920000},
        {"county": "440704", "county_name": "江海区", "count": 1, "amount_fen": 1050231}]
    assert batch["amount_fen"] == sum(c["amount_fen"] for c in batch["cases"]) == \
        sum(c["amount_fen"] for c in batch["counties"])
    assert {c["status"] for c in batch["cases"]} == {"city_aggregated"}
    assert {c["city_batch_no"] for c in batch["cases"]} == {batch["batch_no"]}

    events = [m["body"] for m in tap.drain(wait=10, until=4)]
    assert [e["type"] for e in events] == ["application.city_aggregated"] * 3 + ["city_batch.aggregated"]
    assert {e["data"]["batch_id"] for e in events} == {batch["id"]}
    assert {e["data"]["status"] for e in events[:3]} == {"city_aggregated"}
    assert events[3]["data"]["application_ids"] == penjiang + jianghai and events[3]["region"] == "440700"
    assert events[3]["data"]["counties"] == [{"county": "440703", "count": 2, "amount_fen": 1920000},
                                             {"county": "440704", "count": 1, "amount_fen": 1050231}]

    assert city_hrss("list_cases", None, 1, 20)["total"] == 0
    assert city_hrss("todos")[0]["count"] == 0
    [todo] = clerk("city_org", "440700")("todos")
    # the batch waits at 市组织部确认 since it was aggregated: what the counter's 其中超时 is timed from
    assert todo.pop("waits") == [{"city": "440700", "stage": 10, "since": utc_iso(datetime.fromisoformat(
        batch["created_at"]))}] == [batch["waiting"]]
    assert todo == {"key": "org.batches_pending", "count": 1, "label": "您有【1】个汇总批次待确认",
                    "href": "/portal/city-batches?status=aggregated"}
    second = city_hrss("aggregate", confirmed("440704", 1))
    assert second["batch_no"].endswith("-02")
    listed = city_hrss("list_batches", {"status": "aggregated", "q": batch["batch_no"]}, 1, 20)
    assert [b["id"] for b in listed["items"]] == [batch["id"]]
    assert scalar(url, "SELECT count(*) FROM city_batches") == 2


def test_refused_aggregations_change_nothing(confirmed, report, clerk, refused, state):
    ready = confirmed("440703", 1)
    pending = report("440704")["data"]["application_id"]
    elsewhere = confirmed("440303", 1)
    city_hrss = clerk("city_hrss", "440700")
    before = state()

    assert refused(clerk("county_org", "440703"), "aggregate", ready) == (403, "auth.forbidden")
    assert refused(clerk("city_org", "440700"), "aggregate", ready) == (403, "auth.forbidden")
    assert refused(city_hrss, "aggregate", ready + elsewhere) == (404, "case.not_found")
    assert refused(city_hrss, "aggregate", ready + [pending]) == (409, "application.illegal_transition")
    assert refused(city_hrss, "aggregate", "all") == (400, "application_ids.required")
    assert refused(clerk("city_hrss", "440300"), "get_batch", str(uuid.uuid4())) == (404, "city_batch.not_found")
    assert state() == before


def test_city_org_confirmation_hands_every_application_to_finance_before_the_batch(
        confirmed, clerk, refused, tap, state, org_confirmation_config):
    url = org_confirmation_config["DATABASE_URL"]
    ids = confirmed("440703", 2) + confirmed("440704", 1)
    batch = clerk("city_hrss", "440700")("aggregate", ids)
    tap.drain(wait=10, until=7)
    city_org = clerk("city_org", "440700")
    before = state()
    assert refused(clerk("city_hrss", "440700"), "city_confirm", batch["id"]) == (403, "auth.forbidden")
    assert refused(clerk("city_org", "440300"), "city_confirm", batch["id"]) == (404, "city_batch.not_found")
    assert refused(city_org, "city_confirm", batch["id"], 42) == (400, "opinion.invalid")
    assert state() == before

    done = city_org("city_confirm", batch["id"], "同意拨付")
    assert (done["status"], done["opinion"], done["decided_by_name"]) == ("confirmed", "同意拨付", "测试用户")
    assert {c["status"] for c in done["cases"]} == {"city_org_confirmed"}
    events = [m["body"] for m in tap.drain(wait=10, until=4)]
    assert [e["type"] for e in events] == ["application.city_org_confirmed"] * 3 + ["city_batch.confirmed"]
    handed = events[0]["data"]
    assert (handed["status"], handed["batch_id"]) == ("city_org_confirmed", batch["id"])
    assert handed["snapshot"]["bank_account"]["number"] == "6222020000000000011"   # finance pays with it
    totals = events[3]["data"]
    assert (totals["count"], totals["amount_fen"], totals["opinion"]) == (3, batch["amount_fen"], "同意拨付")
    assert totals["amount_fen"] == sum(e["data"]["amount_fen"] for e in events[:3])
    assert sum(c["amount_fen"] for c in totals["counties"]) == totals["amount_fen"]

    assert refused(city_org, "city_confirm", batch["id"]) == (409, "city_batch.illegal_transition")
    assert refused(city_org, "city_return", batch["id"], "重新核对") == (409, "city_batch.illegal_transition")
    assert city_org("todos")[0]["count"] == 0
    assert scalar(url, "SELECT count(*) FROM platform_audit_log WHERE action='city_batch.confirmed'") == 1


def test_city_org_return_sends_the_whole_batch_back_and_keeps_its_record(
        confirmed, report, clerk, refused, tap, org_confirmation_config):
    url = org_confirmation_config["DATABASE_URL"]
    ids = confirmed("440703", 2)
    batch = clerk("city_hrss", "440700")("aggregate", ids)
    tap.drain(wait=10, until=5)   # 2 county confirmations, 2 applications aggregated, the batch
    city_org = clerk("city_org", "440700")
    assert refused(city_org, "city_return", batch["id"], "") == (400, "opinion.required")

    returned = city_org("city_return", batch["id"], "补助月数核对有误")
    assert returned["status"] == "returned" and returned["status_label"] == "市组织部已退回"
    assert {(c["status"], c["opinion"]) for c in returned["cases"]} == {("city_org_returned", "补助月数核对有误")}
    events = [m["body"] for m in tap.drain(wait=10, until=3)]
    assert [e["type"] for e in events] == ["application.city_org_returned"] * 2 + ["city_batch.returned"]
    assert {(e["data"]["status"], e["data"]["batch_id"]) for e in events[:2]} == {
        ("pending_county_review", batch["id"])}
    assert events[2]["data"]["opinion"] == "补助月数核对有误"

    report("440703", application_id=ids[0], round_=2)           # corrected and approved again
    assert rows(url, "SELECT status, round, city_batch_id FROM cases WHERE application_id=:i", i=ids[0]) == [
        {"status": "pending_county_org", "round": 2, "city_batch_id": None}]
    record = city_org("get_batch", batch["id"])
    assert sorted(c["application_id"] for c in record["cases"]) == sorted(ids)   # its members stay listed
    assert (record["count"], record["status"]) == (2, "returned")


def test_city_org_returns_one_application_and_the_rest_of_the_batch_goes_on_to_finance(
        confirmed, clerk, refused, tap, state, org_confirmation_config):
    """市组织部退回 one application of a batch: it goes back to the county HRSS review (stage 4), the
    batch's totals lose it, and the confirmation hands city finance only the others."""
    url = org_confirmation_config["DATABASE_URL"]
    penjiang = confirmed("440703", 2, months=12, standard_fen=80000)
    jianghai = confirmed("440704", 1, months=7, standard_fen=150033)
    batch = clerk("city_hrss", "440700")("aggregate", penjiang + jianghai)
    other = clerk("city_hrss", "440700")("aggregate", confirmed("440703", 1))
    tap.drain(wait=10, until=10)
    city_org = clerk("city_org", "440700")
    before = state()
    assert refused(city_org, "city_return_application", batch["id"], jianghai[0], "") == (400, "opinion.required")
    assert refused(clerk("city_hrss", "440700"), "city_return_application", batch["id"], jianghai[0], "核对") == \
        (403, "auth.forbidden")
    assert refused(clerk("city_org", "440300"), "city_return_application", batch["id"], jianghai[0], "核对") == \
        (404, "city_batch.not_found")
    assert refused(city_org, "city_return_application", batch["id"], other["cases"][0]["application_id"], "核对") == \
        (404, "city_batch.application_not_in_batch")
    assert refused(city_org, "city_return_application", batch["id"], str(uuid.uuid4()), "核对") == \
        (404, "city_batch.application_not_in_batch")
    assert state() == before

    returned = city_org("city_return_application", batch["id"], jianghai[0], "补助月数核对有误")
    assert (returned["status"], returned["count"], returned["amount_fen"]) == ("aggregated", 2, 1920000)
    assert returned["counties"] == [{"county": "440703", "county_name": "蓬江区", "count": 2, "amount_fen": 1920000}]
    assert {c["application_id"]: (c["status"], c["opinion"]) for c in returned["cases"]} == {
        penjiang[0]: ("city_aggregated", None), penjiang[1]: ("city_aggregated", None),
        jianghai[0]: ("city_org_returned", "补助月数核对有误")}     # the returned one stays listed
    events = [m["body"] for m in tap.drain(wait=10, until=1)]
    assert [e["type"] for e in events] == ["application.city_org_returned"]
    assert (events[0]["subject"], events[0]["data"]["status"], events[0]["data"]["batch_id"],
            events[0]["data"]["opinion"]) == (jianghai[0], "pending_county_review", batch["id"], "补助月数核对有误")
    assert scalar(url, "SELECT count(*) FROM platform_audit_log WHERE action='city_batch.application_returned'") == 1

    after_return = state()
    assert refused(city_org, "city_return_application", batch["id"], jianghai[0], "再次退回") == \
        (409, "application.illegal_transition")
    assert state() == after_return

    done = city_org("city_confirm", batch["id"], "同意拨付")
    assert (done["status"], done["count"], done["amount_fen"]) == ("confirmed", 2, 1920000)
    events = [m["body"] for m in tap.drain(wait=10, until=3)]
    assert [e["type"] for e in events] == ["application.city_org_confirmed"] * 2 + ["city_batch.confirmed"]
    assert {e["subject"] for e in events[:2]} == set(penjiang)            # finance never hears of the returned one
    assert (events[2]["data"]["count"], events[2]["data"]["amount_fen"]) == (2, 1920000)
    assert events[2]["data"]["counties"] == [{"county": "440703", "count": 2, "amount_fen": 1920000}]

    confirmed_state = state()
    assert refused(city_org, "city_return_application", batch["id"], penjiang[0], "核对") == \
        (409, "city_batch.illegal_transition")
    assert state() == confirmed_state


def test_returning_the_last_application_of_a_batch_returns_the_batch(confirmed, clerk, tap):
    ids = confirmed("440703", 2)
    batch = clerk("city_hrss", "440700")("aggregate", ids)
    tap.drain(wait=10, until=5)
    city_org = clerk("city_org", "440700")
    city_org("city_return_application", batch["id"], ids[0], "材料不全")
    last = city_org("city_return_application", batch["id"], ids[1], "材料不全")
    assert (last["status"], last["opinion"]) == ("returned", "材料不全")
    assert {c["status"] for c in last["cases"]} == {"city_org_returned"}
    events = [m["body"] for m in tap.drain(wait=10, until=3)]
    assert [e["type"] for e in events] == ["application.city_org_returned"] * 2 + ["city_batch.returned"]
    assert city_org("todos")[0]["count"] == 0
