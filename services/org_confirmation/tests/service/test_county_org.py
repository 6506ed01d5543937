"""Stage 8: the county organisation department confirms the applications of its county, or returns
one to the county HRSS review; refused calls leave nothing behind."""
import uuid

from shared.testing.helpers import scalar


def test_county_org_confirms_the_ticked_applications(report, clerk, tap, org_confirmation_config):
    url = org_confirmation_config["DATABASE_URL"]
    first, second, untouched = (report("440703")["data"] for _ in range(3))
    county_org = clerk("county_org", "440703")

    ticked = [first["application_id"], second["application_id"], first["application_id"]]
    result = county_org("county_confirm", ticked, "材料齐全，同意", key="confirm-1")
    assert county_org("county_confirm", ticked, "材料齐全，同意", key="confirm-1") == result   # a double click
    assert result["count"] == 2
    assert {i["status"] for i in result["items"]} == {"county_org_confirmed"}
    assert result["items"][0]["status_label"] == "县组织部已确认，待市人社局汇总"
    events = [m["body"] for m in tap.drain(wait=10, until=2)]
    assert [e["type"] for e in events] == ["application.county_org_confirmed"] * 2
    assert {e["subject"] for e in events} == {first["application_id"], second["application_id"]}
    data = events[0]["data"]
    assert (data["status"], data["opinion"], data["round"], data["county"], data["city"]) == (
        "county_org_confirmed", "材料齐全，同意", 1, "440703", "440700")
    assert events[0]["region"] == "440703" and events[0]["actor"]["role"] == "county_org"
    assert tap.drain(wait=0.5) == []                              # the repeated key had no second effect
    assert scalar(url, "SELECT count(*) FROM platform_audit_log WHERE action='case.county_confirm'") == 2

    assert county_org("todos")[0]["count"] == 1
    assert county_org("list_cases", {"status": "pending_county_org"}, 1, 20)["items"][0]["application_id"] == \
        untouched["application_id"]
    assert clerk("city_hrss", "440700")("todos")[0]["label"] == "您有【2】个申请待汇总"


def test_refused_confirmations_change_nothing(report, clerk, refused, state):
    mine = report("440703")["data"]["application_id"]
    theirs = report("440704")["data"]["application_id"]
    county_org = clerk("county_org", "440703")
    county_org("county_confirm", [mine])
    before = state()

    assert refused(clerk("county_hrss", "440703"), "county_confirm", [mine]) == (403, "auth.forbidden")
    assert refused(clerk("city_org", "440700"), "county_return", mine, "不同意") == (403, "auth.forbidden")
    assert refused(county_org, "county_confirm", [theirs]) == (404, "case.not_found")
    assert refused(county_org, "county_confirm", [str(uuid.uuid4())]) == (404, "case.not_found")
    assert refused(county_org, "county_confirm", [mine]) == (409, "application.illegal_transition")
    assert refused(county_org, "county_return", mine, "晚了") == (409, "application.illegal_transition")
    assert refused(county_org, "county_confirm", []) == (400, "application_ids.required")
    assert refused(county_org, "county_confirm", ["not-an-id"]) == (400, "application_ids.invalid")
    assert refused(county_org, "county_confirm", [mine], "意" * 501) == (400, "opinion.too_long")
    assert refused(county_org, "county_return", theirs, "  ") == (400, "opinion.required")
    assert state() == before


def test_a_county_return_goes_back_to_stage_4_and_only_a_new_round_reopens_it(
        report, clerk, refused, tap, org_confirmation_config):
    url = org_confirmation_config["DATABASE_URL"]
    event = report("440703")
    application_id = event["data"]["application_id"]
    county_org = clerk("county_org", "440703")

    returned = county_org("county_return", application_id, "工作经历证明不全")
    assert (returned["status"], returned["application_status"], returned["opinion"]) == (
        "county_org_returned", "pending_county_review", "工作经历证明不全")
    [message] = tap.drain(wait=10, until=1)
    assert message["body"]["type"] == "application.county_org_returned"
    assert (message["body"]["data"]["status"], message["body"]["data"]["opinion"]) == (
        "pending_county_review", "工作经历证明不全")

    report(event={**event, "id": str(uuid.uuid4())})          # round 1 again: stale, the case stays returned
    assert county_org("get_case", application_id)["status"] == "county_org_returned"
    assert refused(county_org, "county_confirm", [application_id]) == (409, "application.illegal_transition")

    again = report("440703", application_id=application_id, round_=2, months=10)
    case = county_org("get_case", application_id)
    assert (case["status"], case["round"], case["opinion"], case["amount_fen"]) == (
        "pending_county_org", 2, None, again["data"]["amount_fen"])
    assert scalar(url, "SELECT count(*) FROM platform_audit_log WHERE action='case.reopen'") == 1
    county_org("county_confirm", [application_id])
    [confirmed] = tap.drain(wait=10, until=1)
    assert confirmed["body"]["data"]["round"] == 2
