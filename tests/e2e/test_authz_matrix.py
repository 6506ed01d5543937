"""The authorisation matrix (issue 9): every operation of the OpenAPI document x every role (own and
other county/unit) x the record's owner x no token, against real records, compared with the table
kept in tests/security/authz_matrix.csv (see tests/security/matrix.py for the cells and `update`)."""
import time
import uuid
from datetime import UTC, datetime

import pytest
import requests

from gateway.app import create_app
from tests.e2e.conftest import Api
from tests.e2e.test_housing import EMPLOYEE_HEADER, PDF, employee, first_login, uscc, xlsx
from tests.e2e.walk import PASSWORD, City, Walk, end_publicity, eventually, open_account, until
from tests.security import matrix

EMPLOYER_PASSWORD = "Employer2026x"   # what tests.e2e.test_housing.first_login sets


def _ok(response, *statuses):
    assert response.status_code in (statuses or (200, 201)), f"{response.request.method} {response.url}: " \
                                                             f"{response.status_code} {response.text[:300]}"
    return response.json()


def line_b_records(base: str, platform) -> tuple[dict, tuple[str, str]]:
    """Line B records of a fresh employer of county 440703 (the bureau zjj440703's, not zjj440704's),
    each decided by the bureau where it has a decision (so whoever may act again gets 409): the employer,
    employees, an employer change, an employee change, a remittance (its payment notice), a back-fill,
    a withdrawal, an attachment, and a transfer to a second fresh employer (left pending). Returns the
    ids and the login of the employer (the matrix's ``employer:own``; the demo employers keep their data
    for the other tests)."""
    api = Api(base)
    bureau = api.login("zjj440703")
    own, receiver = uscc("440703"), uscc("440703")
    mobile = f"135{uuid.uuid4().int % 10**8:08d}"
    base = 1000 * (2 + uuid.uuid4().int % 15) + 10 * (uuid.uuid4().int % 90)   # ID numbers no other test uses
    head = ["统一社会信用代码*", "单位名称*", "所属县区代码*", "单位地址*", "法定代表人*", "联系人*", "联系人手机*",
            "开户银行*", "银行户名*", "银行账号*"]
    book = xlsx({"单位": [head, [own, "授权矩阵本单位", "440703", "江门市蓬江区矩阵路1号", "赵矩阵", "钱经办", mobile,
                                 "建设银行江门分行", "授权矩阵本单位", "6217000000009001"],
                          [receiver, "授权矩阵转入单位", "440703", "江门市蓬江区矩阵路2号", "孙矩阵", "李经办",
                           f"135{uuid.uuid4().int % 10**8:08d}", "建设银行江门分行", "授权矩阵转入单位",
                           "6217000000009002"]],
                 "职工": [["单位统一社会信用代码*", *EMPLOYEE_HEADER],
                          *([own, *employee(base + i)] for i in (1, 2, 3)), [receiver, *employee(base + 4)]]})
    _ok(bureau.post("/api/v1/employer-migrations", files={"file": ("迁移.xlsx", book)}))
    clerk = first_login(api, own[8:17], mobile, platform)
    employer_id = _ok(clerk.get("/api/v1/employers/mine"))["id"]
    to_employer = next(e["id"] for e in _ok(clerk.get("/api/v1/employers/receiving", params={
        "q": receiver[8:17], "page_size": 100}))["items"] if e["org_code"] == receiver[8:17])
    staff = sorted(_ok(clerk.get("/api/v1/employees"))["items"], key=lambda e: e["name"])
    first, second, third = (e["id"] for e in staff)

    def upload(kind):
        return _ok(clerk.post("/api/v1/attachments", data={"kind": kind},
                              files={"file": ("证明.pdf", PDF, "application/pdf")}))["id"]
    material = upload("employee_material")
    employer_change = _ok(clerk.post("/api/v1/employer-changes", json={
        "data": {"address": "江门市蓬江区矩阵路9号"}, "attachments": [upload("employer_change")], "reason": "搬迁"}))
    _ok(bureau.post(f"/api/v1/employer-changes/{employer_change['id']}/approve", json={"opinion": "同意"}))
    employee_change = _ok(clerk.post(f"/api/v1/employees/{first}/changes", json={"data": {"mobile": "13600009999"}}))
    if employee_change["status"] == "pending":      # a mobile number changes at once ("applied")
        _ok(bureau.post(f"/api/v1/employee-changes/{employee_change['id']}/approve", json={"opinion": "同意"}))
    month = datetime.now(UTC).strftime("%Y%m")
    remittance = _ok(clerk.post("/api/v1/remittances", json={"mode": "remit", "month": month,
                                                               "lines": [{"employee_id": first}]}))
    _ok(bureau.post(f"/api/v1/remittances/{remittance['id']}/approve", json={"opinion": "同意"}))
    backfill = _ok(clerk.post("/api/v1/backfills", json={
        "rows": [{"employee_id": first, "month": "202301", "amount_fen": 80000}],
        "attachments": [{"id": upload("payment_proof"), "filename": "证明.pdf"}],
        "reason": "系统上线前缴款"}))
    _ok(bureau.post(f"/api/v1/backfills/{backfill['id']}/approve", json={"opinion": "核实无误"}))
    withdrawal = _ok(clerk.post("/api/v1/withdrawals", json={
        "employee_id": second, "reason_code": "07", "amount_fen": 10000, "payee_name": f"职工{base + 2}",
        "payee_bank": "建设银行", "payee_account": "6222000011112222",
        "attachments": [{"id": upload("withdrawal_proof"), "filename": "证明.pdf"}]}))
    _ok(bureau.post(f"/api/v1/withdrawals/{withdrawal['id']}/approve", json={"opinion": "同意"}))
    transfer = _ok(clerk.post("/api/v1/transfers", json={"employee_ids": [third], "to_employer_id": to_employer}))
    return {
        "employer_id": employer_id, "employee_id": first,
        "employer-changes/change_id": employer_change["id"], "employee-changes/change_id": employee_change["id"],
        "remittance_id": remittance["id"], "backfill_id": backfill["id"], "withdrawal_id": withdrawal["id"],
        "transfers/transfer_id": transfer["transfer_ids"][0], "to_employer_id": to_employer, "attachment_id": material,
    }, (own[8:17], EMPLOYER_PASSWORD)


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
    end_publicity(walk.officer("county"), walk.publicity_batch["id"])
    for stage in (walk.stage6_assess, walk.stage7_report_to_org, walk.stage8_county_org, walk.stage9_aggregate,
                  walk.stage10_city_org, walk.stage11_release, walk.stage12_pay):
        stage()
    walk.payment = until(walk._my_payment, message="payment visible to the graduate")
    clawback = walk.officer("county_finance").post(f"/disbursement-items/{walk.app_id}/clawback",
                                                   {"reason": "授权矩阵测试追回"}, expect=(201,))
    spare = open_account(platform.config.amqp_uri, city.city("admin").token, {
        "username": f"m{uuid.uuid4().hex[:10]}", "password": PASSWORD, "role": "individual", "name": "矩阵测试",
        "unit_id": matrix.OWN_UNIT})
    line_b, employer = line_b_records(base, platform)
    return {
        "employer": employer,
        "ids": {
            **line_b,
            "account_id": spare["id"], "unit_id": matrix.OWN_UNIT,
            "individual_id": walk.graduate.get("/individuals/mine")["id"],
            "application_id": walk.app_id, "publicity-batches/batch_id": walk.publicity_batch["id"],
            "city-batches/batch_id": walk.city_batch["id"], "disbursement-batches/batch_id": walk.city_batch["id"],
            "transfer_id": walk.transfer["id"], "payment_id": walk.payment["id"], "objection_id": objection_id,
            "clawback_id": clawback["id"],
            "city": "440700", "day": "2026-10-01", "year": 2099,
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
    who = matrix.callers(records["owner"], {"employer:own": records["employer"]})
    runner = matrix.Runner(platform.config.gateway_url, records["ids"], openapi)
    started = time.monotonic()
    actual = runner.run(matrix.operations(openapi), who)
    cells = sum(len(row) for row in actual.values())
    ordered = {matrix.op_key(m, p): actual[matrix.op_key(m, p)] for m, p in matrix.operations(openapi)}
    matrix.ACTUAL.parent.mkdir(exist_ok=True)
    matrix.ACTUAL.write_text(matrix.dump(ordered, [c.name for c in who]), encoding="utf-8")
    expected, _ = matrix.load()
    looser, tighter, missing = matrix.compare(expected, ordered)
    with capsys.disabled():
        print(f"\nauthorisation matrix: {len(actual)} operations x {len(who)} callers = {cells} cells in "
              f"{time.monotonic() - started:.0f} s ({matrix.WORKERS} concurrent requests); "
              f"{len(looser)} looser, {len(tighter)} tighter than the table")
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
