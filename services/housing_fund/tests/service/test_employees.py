"""职工开户, 职工批量导入 and 职工管理: rows checked with their numbers, nothing half-imported, the
same file once, duplicates refused, another employer's employee not found."""
import json

import pytest
from nameko.exceptions import RemoteError

from shared.testing.helpers import rpc_client, scalar, wait_for


@pytest.fixture
def slow_rpc(housing_fund, housing_fund_config):
    """An RPC with a long timeout: a 5,000-row import takes longer than the default 15 s on a busy machine."""
    def _rpc(method, *args, token=None):
        with rpc_client(housing_fund_config["AMQP_URI"], "housing_fund", token, None, timeout=180) as svc:
            return getattr(svc, method)(*args)
    return _rpc


def refused(rpc, *args, token):
    with pytest.raises(RemoteError) as info:
        rpc(*args, token=token)
    return json.loads(info.value.value)


def test_a_bad_id_on_row_5000_imports_nothing_then_the_fixed_file_imports_once(rpc, slow_rpc, employer, sheets,
                                                                               housing_fund_db):
    _, clerk = employer()
    rows = [sheets.employee_row(i) for i in range(1, 5000)]
    bad = rows + [sheets.employee_row(5000, id_number="440703199001011234")]
    body = refused(slow_rpc, "import_employees", "职工.xlsx", sheets.employees(bad), token=clerk)
    assert body["code"] == "import.rows_invalid" and body["details"]["rows"] == 5000
    assert body["details"]["errors"] == [{"row": 5001, "field": "id_number", "code": "id_number.check_digit",
                                          "message": "身份证号码校验位不正确", "sheet": "职工信息"}]
    assert "第5001行" in body["message"]
    assert scalar(housing_fund_db, "SELECT count(*) FROM employees") == 0

    good = sheets.employees(rows + [sheets.employee_row(5000)])
    started = slow_rpc("import_employees", "职工.xlsx", good, [], token=clerk)
    assert (started["rows"], started["repeated"], started["job"]["total"]) == (5000, False, 10)  # 500 rows a chunk
    assert started["job"]["id"] == started["job_id"]
    job = finished(rpc, started["job_id"], clerk)
    assert (job["succeeded"], job["failed"]) == (10, 0)
    assert job["items"][0]["outcome"]["message"] == "第2–501行：已导入500人"
    assert scalar(housing_fund_db, "SELECT count(*) FROM employees") == 5000
    assert scalar(housing_fund_db, "SELECT sum(amount_fen) FROM ledger") == 5000 * 960000
    assert scalar(housing_fund_db, "SELECT count(DISTINCT event_id) FROM platform_outbox "
                                   "WHERE event_type = 'employee.imported'") == 1
    # each imported employee's employee.opened: identity opens their login from it
    assert scalar(housing_fund_db, "SELECT count(DISTINCT event_id) FROM platform_outbox "
                                   "WHERE event_type = 'employee.opened'") == 5000
    again = slow_rpc("import_employees", "职工.xlsx", good, token=clerk)
    assert again["repeated"] and again["import_id"] == started["import_id"] and again["imported"] == 5000
    assert again["job"]["id"] == started["job_id"]
    assert scalar(housing_fund_db, "SELECT count(*) FROM employees") == 5000
    page = rpc("list_employees", {"q": "职工4999"}, 1, 20, token=clerk)
    assert [e["name"] for e in page["items"]] == ["职工4999"] and page["items"][0]["balance_fen"] == 960000


def finished(rpc, job_id, token, timeout=120):
    """The job once done (the job runner of the service under test works it off)."""
    return wait_for(lambda: (lambda j: j if j["status"] == "done" else None)(rpc("get_job", job_id, token=token)),
                    timeout=timeout, interval=0.3, message="the import job to finish")


def test_an_import_job_works_in_chunks_and_is_its_owners_only(rpc, employer, sheets, housing_fund_db, monkeypatch,
                                                              issue, error_of):
    from housing_fund.use_cases import imports
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    _, clerk = employer()
    started = rpc("import_employees", "x.xlsx", sheets.employees([sheets.employee_row(i) for i in range(1, 6)]),
                  token=clerk)
    assert started["job"]["total"] == 3
    job = finished(rpc, started["job_id"], clerk)
    assert [i["outcome"]["message"] for i in job["items"]] == [
        "第2–3行：已导入2人", "第4–5行：已导入2人", "第6–6行：已导入1人"]
    assert scalar(housing_fund_db, "SELECT count(*) FROM employees WHERE source = 'imported'") == 5
    other = issue(role="employer", region="440703", unit_id=started["import_id"], name="别人")[0]
    assert error_of("get_job", started["job_id"], token=other) == (404, "job.not_found")


def test_duplicates_in_the_file_and_on_the_roster_are_named_by_row(rpc, employer, sheets, housing_fund_db):
    _, clerk = employer()
    rpc("open_employee", {"name": "老职工", "id_number": sheets.make_id(7), "mobile": "13800000007", "level": "01",
                          "start_month": "202401"}, token=clerk)
    rows = [sheets.employee_row(1), sheets.employee_row(2), sheets.employee_row(1, name="重复"),
            sheets.employee_row(7), sheets.employee_row(8, monthly="800.005"),
            sheets.employee_row(9, start="2024-01"), sheets.employee_row(10, id_number=44070319900101123)]
    body = refused(rpc, "import_employees", "x.xlsx", sheets.employees(rows), token=clerk)
    assert [(e["row"], e["code"]) for e in body["details"]["errors"]] == [
        (4, "employee.duplicate"), (5, "employee.duplicate"), (6, "money.precision"), (7, "month.format"),
        (8, "import.not_text")]
    assert "第2行重复" in body["details"]["errors"][0]["message"]
    assert scalar(housing_fund_db, "SELECT count(*) FROM employees") == 1
    assert refused(rpc, "import_employees", "x.xlsx", sheets.employees([]), token=clerk)["code"] == "import.empty"


def test_open_detail_and_another_employers_employee(rpc, employer, sheets, error_of, bureau, upload):
    _, clerk = employer()
    _, other = employer("440704")
    opened = rpc("open_employee", {"name": "张三", "id_number": sheets.make_id(1), "mobile": "13800000002",
                                   "level": "03", "start_month": "202501", "accumulated_periods": 2,
                                   "accumulated_fen": 200000,
                                   "attachments": [upload(clerk, "employee_material", "劳动合同.pdf")]},
                    token=clerk)
    assert opened["monthly_fen"] == 100000 and opened["balance_fen"] == 200000 and opened["status_label"] == "正常"
    assert opened["changes"][0]["attachments"][0]["filename"] == "劳动合同.pdf"
    assert error_of("open_employee", {"name": "张三", "id_number": sheets.make_id(1), "mobile": "13800000002",
                                      "level": "03", "start_month": "202501"}, token=other) == (
        409, "employee.duplicate")
    for method, args in (("get_employee", (opened["id"],)), ("reset_employee_password", (opened["id"],))):
        assert error_of(method, *args, token=other) == (404, "employee.not_found")
    assert rpc("list_employees", {}, 1, 20, token=other)["total"] == 0
    assert error_of("get_employee", opened["id"], token=bureau("440704")) == (404, "employee.not_found")
    assert rpc("get_employee", opened["id"], token=bureau("440703"))["name"] == "张三"
    assert rpc("reset_employee_password", opened["id"], token=clerk) == {"employee_id": opened["id"], "reset": True}
    assert error_of("open_employee", {"name": "李四", "id_number": sheets.make_id(2), "mobile": "13800000003",
                                      "level": "09", "start_month": "202501"}, token=clerk) == (
        400, "employee.level_unknown")


def test_the_login_identity_opens_is_recorded_on_the_employee(rpc, employer, sheets, housing_fund_db, vhost):
    import uuid

    from shared.events import Envelope, source_of
    from shared.testing import rabbit
    _, clerk = employer()
    opened = rpc("open_employee", {"name": "张三", "id_number": sheets.make_id(3), "mobile": "13800000002",
                                   "level": "01", "start_month": "202501"}, token=clerk)
    assert opened["has_account"] is False
    account_id = str(uuid.uuid4())

    def created(role, unit_id):
        return Envelope(type="account.created", source=source_of("identity"), subject=account_id, region="440703",
                        actor={"role": "system", "account_id": None},
                        data={"account_id": account_id, "username": sheets.make_id(3), "role": role,
                              "region": "440703", "unit_id": unit_id, "name": "张三"}).to_dict()
    rabbit.publish(vhost, "identity.events", "account.created", created("employer", opened["id"]))  # not a login
    rabbit.publish(vhost, "identity.events", "account.created", created("employee", opened["id"]))
    wait_for(lambda: scalar(housing_fund_db, "SELECT count(*) FROM platform_inbox") == 2, message="both consumed")
    assert scalar(housing_fund_db, "SELECT account_id FROM employees WHERE id=:i", i=opened["id"]) == account_id
    assert rpc("get_employee", opened["id"], token=clerk)["has_account"] is True
