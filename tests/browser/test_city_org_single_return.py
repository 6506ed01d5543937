"""市组织部退回 one application of a city batch in the portal: the returned application goes back to the
county HRSS review (its timeline shows the return with the opinion), the rest of the batch is
confirmed and city finance receives only the others. The applications reach stage 9 through the API
(tests.e2e.walk); the city organisation department's part is clicked."""
from __future__ import annotations

import pytest

from tests.e2e.walk import City, Walk, end_publicity, eventually, until

pytestmark = pytest.mark.browser

OPINION = "补助月数与劳动合同不符"


@pytest.mark.timeout(600)
def test_city_org_returns_one_application_and_confirms_the_rest(portal, platform, clock):
    base, _ = platform
    city = City(base)
    walks = [Walk(city), Walk(city)]
    for walk in walks:
        for stage in (walk.stage1_submit, walk.stage2_unit_approve, walk.stage3_report, walk.stage4_county_approve):
            stage()
    ids = [w.app_id for w in walks]
    county = city.officer("440703", "county")
    publicity = eventually(lambda: county.post("/publicity-batches", {"application_ids": ids}, expect=(200, 201)))
    clock(15)   # past the publicity period of the one batch of both
    city.relogin()
    end_publicity(city.officer("440703", "county"), publicity["id"])
    for walk in walks:
        walk.stage6_assess()
        walk.stage7_report_to_org()
        walk.stage8_county_org()
    kept, returned = walks
    batch = city.city("city_hrss").post("/city-batches", {"application_ids": ids},
                                        expect=(200, 201))
    returned_no, kept_no = returned.application["application_no"], kept.application["application_no"]

    portal.login("zzb440700")
    portal.open(f"/portal/city-batches/{batch['id']}")
    assert portal.has_row(returned_no) and portal.has_row(kept_no)
    assert portal.act("退回该申请", portal.row(returned_no), opinion=OPINION).endswith("办理成功")
    assert "市组织部已退回" in portal.row(returned_no).text and OPINION in portal.row(returned_no).text
    assert not portal.all(f"tr[data-id='{returned.app_id}'] [data-act]")       # no second return offered
    assert "待市组织部确认" in portal.text()                                    # the batch itself goes on
    assert portal.button("退回该申请", portal.row(kept_no))
    portal.screenshot("city_org_single_return")
    portal.act("确认并通知市财政局", opinion="")
    assert "已通知市财政局" in portal.text()
    portal.logout()

    # the returned application is back at the county HRSS review, the return on its timeline
    until(lambda: returned.status() == "pending_county_review", message="returned application at stage 4")
    history = returned.graduate.get(f"/applications/{returned.app_id}/timeline")["history"]
    assert any(h["event_type"] == "application.city_org_returned" and h["opinion"] == OPINION for h in history)
    # city finance gets the batch with the kept application only
    finance = city.city("city_finance")
    ready = until(lambda: (lambda b: b if b["status"] == "ready" else None)(
        finance.get(f"/disbursement-batches/{batch['id']}")), message="batch ready at city finance")
    assert (ready["expected_count"], ready["amount_fen"]) == (1, kept.application["amount_fen"])
    until(lambda: kept.status() == "city_org_confirmed", message="kept application confirmed")
    assert returned.status() == "pending_county_review"
