"""The schema, and the hand-off from stage 7: a report opens a case once, whatever the broker or the
producer repeats; only a later round reopens a returned case."""
import uuid

from org_confirmation.adapters.orm import metadata
from shared.db.tables import metadata as platform_metadata
from shared.testing.checks import migration_drift
from shared.testing.helpers import rows, scalar


def test_migrations_create_exactly_the_tables_of_the_models(org_confirmation_db):
    assert migration_drift(org_confirmation_db, metadata, platform_metadata) == []


def test_a_report_opens_one_case_and_repeats_change_nothing(report, clerk, org_confirmation_config):
    url = org_confirmation_config["DATABASE_URL"]
    event = report("440703", months=12, standard_fen=80000)
    [case] = rows(url, "SELECT * FROM cases")
    assert (case["status"], case["round"], case["county"], case["city"]) == ("pending_county_org", 1, "440703",
                                                                          "440700")
    assert case["amount_fen"] == 960000 and case["snapshot"]["bank_account"]["number"] == "6222020000000000011"

    report(event=event)                        # the broker delivers the same event again
    report(event={**event, "id": str(uuid.uuid4())})               # the producer re-sends the same round under a new id
    assert rows(url, "SELECT status, round, updated_at FROM cases") == [
        {"status": "pending_county_org", "round": 1, "updated_at": case["updated_at"]}]
    assert scalar(url, "SELECT count(*) FROM platform_inbox WHERE event_type='application.reported_to_county_org'") == 2
    assert scalar(url, "SELECT count(*) FROM platform_audit_log WHERE action='case.open'") == 1

    county_org = clerk("county_org", "440703")
    assert county_org("todos") == [{"key": "org.county_pending", "count": 1, "label": "您有【1】个申请待确认",
                                    "href": "/portal/org-reviews?status=pending_county_org",
                                    # what it counts, for its 其中超时 (subsidy_review's clocks)
                                    "application_statuses": ["pending_county_org"]}]
    page = county_org("list_cases", {"q": "张"}, 1, 20)
    assert page["total"] == 1 and page["items"][0]["status_label"] == "待县组织部确认"
    detail = county_org("get_case", event["data"]["application_id"])
    assert detail["applicant"]["id_type_label"] == "居民身份证" and detail["county_name"] == "蓬江区"
    assert "bank_account" not in detail["applicant"]    # the organisation department has no use for it
    assert scalar(url, "SELECT count(*) FROM platform_audit_log WHERE action='case.view'") == 1


def test_a_case_outside_the_callers_jurisdiction_is_not_found(report, clerk, refused):
    event = report("440704")
    application_id = event["data"]["application_id"]
    assert refused(clerk("county_org", "440703"), "get_case", application_id) == (404, "case.not_found")
    assert refused(clerk("city_hrss", "440300"), "get_case", application_id) == (404, "case.not_found")
    assert clerk("county_org", "440703")("list_cases", None, 1, 20)["total"] == 0
    assert clerk("city_org", "440700")("get_case", application_id)["county"] == "440704"
    assert refused(clerk("county_hrss", "440704"), "list_cases", None, 1, 20) == (403, "auth.forbidden")
    assert refused(clerk("county_org", "440704"), "list_cases", {"status": "lost"}, 1, 20) == (
        400, "filters.status_invalid")
    assert clerk("individual", None)("todos") == []
