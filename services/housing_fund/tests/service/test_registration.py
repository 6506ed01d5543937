"""注册新单位 and the bureau's review: approve with a trade code, return with an opinion, resubmit
keeping every round; jurisdiction and bad input change nothing."""
import json

from shared.testing.helpers import rows, scalar

MOBILE = "13900000001"


def events(db, type_):
    return [json.loads(r["body"])["data"] for r in rows(
        db, "SELECT body FROM platform_outbox WHERE event_type=:t AND exchange='housing_fund.events' ORDER BY seq",
        t=type_)]


def test_register_return_resubmit_approve_keeps_every_round(rpc, error_of, bureau, housing_fund_db, new_registration):
    data = new_registration()
    mine = rpc("register_employer", MOBILE, data)
    assert mine["review_status"] == "pending" and mine["status"] == "02" and mine["round"] == 1
    assert mine["org_code"] == data["uscc"][8:17] and mine["contact_mobile"] == MOBILE
    [registered] = events(housing_fund_db, "employer.registered")
    assert registered["employer_id"] == mine["id"] and registered["mobile"] == MOBILE

    pending = rpc("list_employers", {"review_status": "pending"}, 1, 20, token=bureau())
    assert [e["id"] for e in pending["items"]] == [mine["id"]]
    assert pending["items"][0]["contact_mobile"] == "139****0001"
    assert rpc("todos", token=bureau())[0] == {"key": "employers.pending_review", "count": 1,
                                               "label": "您有【1】个单位注册待审核",
                                               "href": "/portal/employers?review_status=pending"}

    assert error_of("return_employer", mine["id"], "  ", token=bureau()) == (400, "opinion.required")
    returned = rpc("return_employer", mine["id"], "营业执照不清晰", token=bureau())
    assert returned["review_status"] == "returned" and returned["opinion"] == "营业执照不清晰"
    assert error_of("approve_employer", mine["id"], token=bureau()) == (409, "employer.illegal_transition")

    # another mobile cannot see or resubmit it
    assert rpc("my_registrations", "13900000002")["items"] == []
    assert error_of("resubmit_employer", "13900000002", mine["id"], data) == (404, "employer.not_found")
    seen = rpc("my_registrations", MOBILE)["items"]
    assert [r["opinion"] for r in seen] == ["营业执照不清晰"]

    again = rpc("resubmit_employer", MOBILE, mine["id"], {**data, "address": "江门市蓬江区建设路2号"})
    assert again["round"] == 2 and again["review_status"] == "pending" and again["address"] == "江门市蓬江区建设路2号"
    approved = rpc("approve_employer", mine["id"], "同意", token=bureau())
    assert approved["status"] == "01" and approved["status_label"] == "正常" and len(approved["trade_code"]) == 5
    assert [(r["round"], r["decision"], r["opinion"]) for r in approved["rounds"]] == [
        (1, "returned", "营业执照不清晰"), (2, "approved", "同意")]
    assert approved["rounds"][0]["data"]["address"] == "江门市蓬江区建设路1号"
    [event] = events(housing_fund_db, "employer.approved")
    assert event["trade_code"] == approved["trade_code"] and event["org_code"] == mine["org_code"]
    assert event["mobile"] == MOBILE
    actions = [r["action"] for r in rows(housing_fund_db, "SELECT action FROM platform_audit_log ORDER BY at, id")]
    assert sorted(actions) == sorted(["employer.register", "employer.return", "employer.resubmit", "employer.approve"])
    assert error_of("resubmit_employer", MOBILE, mine["id"], data) == (409, "employer.illegal_transition")


def test_trade_codes_are_unique_five_digit_codes(rpc, bureau, new_registration):
    codes = []
    for _ in range(3):
        mine = rpc("register_employer", MOBILE, new_registration())
        codes.append(rpc("approve_employer", mine["id"], token=bureau())["trade_code"])
    assert len(set(codes)) == 3 and all(len(c) == 5 and c.isdigit() for c in codes)


def test_a_bureau_of_another_county_gets_404_and_changes_nothing(rpc, error_of, bureau, housing_fund_db,
                                                                 new_registration):
    mine = rpc("register_employer", MOBILE, new_registration("440703"))
    assert error_of("approve_employer", mine["id"], token=bureau("440704")) == (404, "employer.not_found")
    assert error_of("get_employer", mine["id"], token=bureau("440704")) == (404, "employer.not_found")
    assert rpc("list_employers", {}, 1, 20, token=bureau("440704"))["total"] == 0
    county = rpc("approve_employer", mine["id"], token=bureau("440703"))
    assert county["status"] == "01"
    assert len(events(housing_fund_db, "employer.approved")) == 1


def test_bad_registrations_change_nothing(rpc, error_of, housing_fund_db, issue, new_registration):
    bad_uscc = new_registration(uscc="91440703MA5X12349K")
    assert error_of("register_employer", MOBILE, bad_uscc) == (400, "uscc.check_digit")
    assert error_of("register_employer", MOBILE, new_registration(address="")) == (400, "employer.fields_required")
    assert error_of("register_employer", MOBILE, new_registration(attachments=[])) == (400, "attachment.required")
    assert error_of("register_employer", MOBILE, new_registration(attachments=["hf-" + "0" * 32])) == (
        400, "attachment.unknown")
    assert error_of("register_employer", "12345", new_registration()) == (400, "mobile.length")
    data = new_registration()
    rpc("register_employer", MOBILE, data)
    assert error_of("register_employer", "13900000009", {**data, "name": "另一个名字"}) == (
        409, "employer.already_registered")
    assert scalar(housing_fund_db, "SELECT count(*) FROM employers") == 1
    assert scalar(housing_fund_db, "SELECT count(*) FROM platform_outbox WHERE exchange='housing_fund.events'") == 1
    employer = issue(role="employer", region="440703")[0]
    assert error_of("approve_employer", "x", token=employer) == (403, "auth.forbidden")
