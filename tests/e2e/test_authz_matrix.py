"""The authorisation matrix (issue 9): every operation of the OpenAPI document x every role (own and
other county/unit) x the record's owner x no token, against real records, compared with the table
kept in tests/security/authz_matrix.csv (see tests/security/matrix.py for the cells and `update`)."""
import uuid

import pytest
import requests

from gateway.app import create_app
from tests.e2e.walk import PASSWORD, City, Walk, eventually, open_account, until
from tests.security import matrix


@pytest.fixture(scope="module")
def openapi(platform):
    response = requests.get(platform.config.gateway_url + "/api/v1/openapi.json", timeout=30)
    assert response.status_code == 200
    return response.json()


@pytest.fixture(scope="module")
def records(platform):
    """One application of county 440703 walked to "paid" (every record kind on its way: individual,
    publicity batch, objection, city batch, county transfer, payment) and a spare account."""
    from deploy.stack import advance_clock

    base = platform.config.gateway_url
    city = City(base)
    walk = Walk(city, "440703")
    walk.stage1_submit()
    walk.stage2_unit_approve()
    walk.stage3_report()
    walk.stage4_county_approve()
    county = walk.officer("county")
    walk.publicity_batch = eventually(lambda: county.post("/publicity-batches", {"application_ids": [walk.app_id]},
                                                          expect=(200, 201)))
    objection = requests.post(base + "/api/v1/objections", timeout=30, json={
        "application_id": walk.app_id, "reason": "公示对象情况不实，请核查", "contact_name": "王五",
        "contact_phone": "13912345678"})
    assert objection.status_code == 201, objection.text
    objection_id = objection.json()["id"]
    county.post(f"/objections/{objection_id}/dismiss", {"opinion": "经核查情况属实"})
    advance_clock(platform.config.clock_file, 15)
    city.relogin()
    walk.officer("county").post(f"/publicity-batches/{walk.publicity_batch['id']}/end")
    for stage in (walk.stage6_assess, walk.stage7_report_to_org, walk.stage8_county_org, walk.stage9_aggregate,
                  walk.stage10_city_org, walk.stage11_release, walk.stage12_pay):
        stage()
    walk.payment = until(walk._my_payment, message="payment visible to the graduate")
    spare = open_account(platform.config.amqp_uri, city.city("admin").token, {
        "username": f"m{uuid.uuid4().hex[:10]}", "password": PASSWORD, "role": "individual", "name": "矩阵测试",
        "unit_id": matrix.OWN_UNIT})
    return {
        "ids": {
            "account_id": spare["id"], "unit_id": matrix.OWN_UNIT,
            "individual_id": walk.graduate.get("/individuals/mine")["id"],
            "application_id": walk.app_id, "publicity-batches/batch_id": walk.publicity_batch["id"],
            "city-batches/batch_id": walk.city_batch["id"], "disbursement-batches/batch_id": walk.city_batch["id"],
            "transfer_id": walk.transfer["id"], "payment_id": walk.payment["id"], "objection_id": objection_id,
            "city": "440700", "day": "2026-10-01",
        },
        "owner": (walk.graduate.username, PASSWORD),
    }


def test_every_api_route_of_the_gateway_is_in_the_openapi_document(openapi):
    documented = {(m, p) for m, p in matrix.operations(openapi)}
    undocumented = sorted(matrix.flask_api_routes(create_app()) - documented)
    assert not undocumented, f"routes missing from /api/v1/openapi.json: {undocumented}"


def test_every_operation_is_in_the_expected_table(openapi):
    expected, columns = matrix.load()
    missing = [matrix.op_key(m, p) for m, p in matrix.operations(openapi) if matrix.op_key(m, p) not in expected]
    assert not missing, (f"operations missing from {matrix.TABLE.name} (run the matrix, review test-artefacts/"
                         f"authz_matrix.actual.csv, `python -m tests.security.matrix update`): {missing}")
    assert set(columns) >= {c.name for c in matrix.callers(("owner", ""))}, "a role or caller is missing"


@pytest.mark.timeout(900)  # ~1,400 requests; minutes on a loaded 2-core machine
def test_no_caller_gets_more_than_the_table_allows(platform, openapi, records, capsys):
    who = matrix.callers(records["owner"])
    runner = matrix.Runner(platform.config.gateway_url, records["ids"], openapi)
    actual = runner.run(matrix.operations(openapi), who)
    ordered = {matrix.op_key(m, p): actual[matrix.op_key(m, p)] for m, p in matrix.operations(openapi)}
    matrix.ACTUAL.parent.mkdir(exist_ok=True)
    matrix.ACTUAL.write_text(matrix.dump(ordered, [c.name for c in who]), encoding="utf-8")
    expected, _ = matrix.load()
    looser, tighter, missing = matrix.compare(expected, ordered)
    with capsys.disabled():
        if tighter:
            print(f"\nauthorisation matrix: {len(tighter)} cells tighter than the table (refresh it with "
                  "`python -m tests.security.matrix update` after review):\n  " + "\n  ".join(tighter))
        if runner.missing:
            print(f"\nauthorisation matrix: no record for {runner.missing} (a random id was used: add one to "
                  "the records fixture)")
    assert not looser, "unexpected allow:\n" + "\n".join(looser)
    assert not missing, "\n".join(missing)
    # beyond the table: whatever it says, no caller without a token gets through a secured operation
    public = {matrix.op_key(m, p) for m, p in matrix.operations(openapi)
              if openapi["paths"][p][m.lower()].get("security") == []}
    leaks = [op for op, row in ordered.items() if op not in public and row["anonymous"] == "ok"]
    assert not leaks, f"secured operations answered without a token: {leaks}"
