"""Stages 8-10 on a fake unit of work: a report opens a case, the county organisation department
confirms or returns it, the city HRSS aggregates a batch, the city organisation department decides."""
from __future__ import annotations

import uuid

import pytest

from org_confirmation import use_cases
from org_confirmation.domain.cases import Arrival
from shared.errors import IllegalTransition, InvalidInput, NotFound
from shared.events import Envelope

PENGJIANG, JIANGHAI = "440703", "440704"
UNIT = "6f1c2a10-0000-4000-8000-000000000001"
HRSS = {"role": "county_hrss", "account_id": "rsj440703", "name": "县人社局"}


def report(county: str = PENGJIANG, amount_fen: int = 960000, *, round_: int = 1,
           application_id: str | None = None) -> Envelope:
    application_id = application_id or str(uuid.uuid4())
    snapshot = {"application_no": f"BZ{county}{application_id[:6]}", "applicant_name": "张三",
                "id_type": "resident_id", "id_number": "440703199001011234", "unit_id": UNIT, "unit_name": "示范单位",
                "county": county, "city": "440700", "degree": "bachelor", "start_date": "2026-07-01", "months": 12,
                "standard_fen": amount_fen // 12, "amount_fen": amount_fen,
                "bank_account": {"holder": "张三", "bank": "工行", "number": "6222001100"}}
    return Envelope(type="application.reported_to_county_org", source="/services/publicity_assessment",
                    subject=application_id, region=county, actor=HRSS, data={
                        "application_id": application_id, "application_no": f"BZ{county}{application_id[:6]}",
                        "county": county, "city": "440700", "unit_id": UNIT, "status": "pending_county_org",
                        "round": round_, "snapshot": snapshot})


def opened(world, county: str = PENGJIANG, amount_fen: int = 960000) -> str:
    event = report(county, amount_fen)
    assert use_cases.receive_report(world.tx("system"), event) is Arrival.OPEN
    return event.data["application_id"]


def test_a_report_opens_a_case_once_and_a_return_reopens_it_for_the_next_round(world):
    event = report()
    case_id = event.data["application_id"]
    tx = world.tx("system")
    assert use_cases.receive_report(tx, event) is Arrival.OPEN and tx.audit_actions() == ["case.open"]
    assert use_cases.receive_report(world.tx("system"), event) is Arrival.IGNORE
    use_cases.county_return(world.tx("county_org"), case_id, "材料不符")
    again = report(round_=2, application_id=case_id)
    assert use_cases.receive_report(world.tx("system"), again) is Arrival.REOPEN
    case = world.cases.find(case_id)
    assert (case["status"], case["round"], case["opinion"]) == ("pending_county_org", 2, None)


def test_county_org_confirms_the_ticked_cases(world):
    ids = [opened(world), opened(world)]
    tx = world.tx("county_org")
    result = use_cases.county_confirm(tx, ids, " 同意 ")
    assert result["count"] == 2 and {i["status"] for i in result["items"]} == {"county_org_confirmed"}
    assert tx.event_types() == ["application.county_org_confirmed"] * 2
    assert tx.emitted[0].data["opinion"] == "同意" and tx.audit_actions() == ["case.county_confirm"] * 2
    with pytest.raises(IllegalTransition) as info:  # confirmed already
        use_cases.county_confirm(world.tx("county_org"), ids[:1])
    assert info.value.code == "application.illegal_transition"


def test_county_decisions_check_input_and_jurisdiction(world):
    mine = opened(world)
    for bad in [[], ["not-an-id"], "x"]:
        with pytest.raises(InvalidInput):
            use_cases.county_confirm(world.tx("county_org"), bad)
    for bad in [None, " ", 7, "意" * 501]:
        with pytest.raises(InvalidInput):
            use_cases.county_return(world.tx("county_org"), mine, bad)
    tx = world.tx("other_county_org")
    with pytest.raises(NotFound):
        use_cases.county_confirm(tx, [mine])
    with pytest.raises(NotFound):
        use_cases.get_case(tx, mine)
    assert world.cases.find(mine)["status"] == "pending_county_org" and tx.emitted == []


def test_a_county_return_goes_back_to_the_county_hrss(world):
    mine = opened(world)
    tx = world.tx("county_org")
    result = use_cases.county_return(tx, mine, "学历证明不清")
    assert result["status"] == "county_org_returned" and result["application_status"] == "pending_county_review"
    assert tx.emitted[0].data["status"] == "pending_county_review"


def _aggregated(world) -> dict:
    ids = [opened(world, PENGJIANG, 960000), opened(world, JIANGHAI, 600000), opened(world, PENGJIANG, 480000)]
    use_cases.county_confirm(world.tx("county_org"), [ids[0], ids[2]])
    world.cases.patch(ids[1], {"status": "county_org_confirmed"})  # Jianghai's clerk confirmed it
    return use_cases.aggregate(world.tx("city_hrss"), ids)


def test_the_city_hrss_aggregates_a_batch_with_totals_per_county(world):
    batch = _aggregated(world)
    assert batch["batch_no"] == "HZ440700-20261125-01" and (batch["count"], batch["amount_fen"]) == (3, 2040000)
    assert [(c["county"], c["count"]) for c in batch["counties"]] == [(PENGJIANG, 2), (JIANGHAI, 1)]
    assert {c["status"] for c in batch["cases"]} == {"city_aggregated"}
    assert {c["city_batch_no"] for c in batch["cases"]} == {"HZ440700-20261125-01"}


def test_aggregating_a_case_not_yet_confirmed_is_409(world):
    with pytest.raises(IllegalTransition):
        use_cases.aggregate(world.tx("city_hrss"), [opened(world)])
    assert world.batches.rows == {}


def test_city_org_confirms_the_batch_to_city_finance(world):
    batch = _aggregated(world)
    tx = world.tx("city_org")
    result = use_cases.city_confirm(tx, batch["id"])
    assert result["status"] == "confirmed" and {c["status"] for c in result["cases"]} == {"city_org_confirmed"}
    assert tx.event_types() == ["application.city_org_confirmed"] * 3 + ["city_batch.confirmed"]
    assert all(e.data["snapshot"]["bank_account"] for e in tx.emitted[:3])
    with pytest.raises(IllegalTransition) as info:
        use_cases.city_return(world.tx("city_org"), batch["id"], "重新核对")
    assert info.value.code == "city_batch.illegal_transition"


def test_city_org_returns_a_batch_with_an_opinion(world):
    batch = _aggregated(world)
    with pytest.raises(InvalidInput):
        use_cases.city_return(world.tx("city_org"), batch["id"], "")
    with pytest.raises(NotFound):
        use_cases.city_return(world.tx("other_city_org"), batch["id"], "不是我的")
    result = use_cases.city_return(world.tx("city_org"), batch["id"], "金额有误")
    assert (result["status"], result["opinion"]) == ("returned", "金额有误")
    assert {c["application_status"] for c in result["cases"]} == {"pending_county_review"}


def test_each_clerk_counts_what_waits_for_them(world):
    def counts(who):
        return {t["key"]: t["count"] for t in use_cases.todos(world.tx(who))}
    opened(world, PENGJIANG)
    opened(world, JIANGHAI)
    assert counts("county_org") == {"org.county_pending": 1} and counts("other_county_org") == {"org.county_pending": 1}
    assert counts("city_hrss") == {"org.to_aggregate": 0} and counts("city_org") == {"org.batches_pending": 0}
    _aggregated(world)
    assert counts("county_org") == {"org.county_pending": 1}  # the first Pengjiang case still waits
    assert counts("city_org") == {"org.batches_pending": 1} and counts("other_city_org") == {"org.batches_pending": 0}
    assert counts("system") == {}
