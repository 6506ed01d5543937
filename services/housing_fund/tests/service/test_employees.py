"""Line B employees against real RabbitMQ and PostgreSQL: 职工管理 (list, search, 详细资料, 变更记录,
reset password), 职工开户, 职工批量导入, 职工信息变更, 批量封存/启封, 员工转入/转出 with the ledger,
the employee's own view; and the bad input of issue 10 (each a clear error that changes nothing)."""
import base64
import io
import json
from datetime import UTC, datetime

import pytest
from nameko.exceptions import RemoteError
from openpyxl import load_workbook

from housing_fund.domain.imports import HEADERS
from tests.support.helpers import scalar

THIS_MONTH = datetime.now(UTC).strftime("%Y%m")


def count(db, table, where="true", **params):
    return scalar(db, f"SELECT count(*) FROM {table} WHERE {where}", **params)


def outbox(db, event_type):
    """Events of ``event_type`` written (each once, whatever the exchanges it is routed to)."""
    return scalar(db, "SELECT count(DISTINCT event_id) FROM platform_outbox WHERE event_type LIKE :t", t=event_type)


def test_open_list_search_detail_history_and_reset(rpc, error_of, employer, lb, housing_fund_db, bureau, issue):
    employer_id, clerk = employer()
    data = lb.employee_data(name="王小明", level="02", monthly_fen=None)
    opened = rpc("open_employee", data, token=clerk)
    assert opened["status"] == "01" and opened["status_label"] == "正常" and opened["monthly_fen"] == 90000
    assert opened["level_name"] == "副科" and opened["balance_fen"] == 960000 and opened["periods"] == 12
    other = rpc("open_employee", lb.employee_data(name="李小红"), token=clerk)
    assert outbox(housing_fund_db, "employee.opened") == 2

    page = rpc("list_employees", {"q": "小明"}, 1, 20, token=clerk)
    assert [e["name"] for e in page["items"]] == ["王小明"] and page["total"] == 1
    by_id = rpc("list_employees", {"q": data["id_number"][-8:]}, token=clerk)
    assert [e["id"] for e in by_id["items"]] == [opened["id"]]
    assert rpc("list_employees", {}, 2, 1, token=clerk)["items"][0]["id"] in (opened["id"], other["id"])
    assert error_of("list_employees", {"status": "正常"}, token=clerk) == (400, "filter.status_unknown")

    history = rpc("employee_history", opened["id"], token=clerk)
    assert [c["kind_label"] for c in history["changes"]] == ["开户"]
    assert history["ledger"][0]["business_label"] == "开户" and history["ledger"][0]["balance_fen"] == 960000

    reset = rpc("reset_employee_password", opened["id"], token=clerk)
    assert reset["username"] == data["id_number"] and "后6位" in reset["message"]
    assert outbox(housing_fund_db, "employee.password_reset") == 1

    # another employer's clerk and another county's bureau see nothing (404), the city bureau sees it
    _, stranger = employer()
    assert error_of("get_employee", opened["id"], token=stranger) == (404, "employee.not_found")
    assert error_of("reset_employee_password", opened["id"], token=stranger) == (404, "employee.not_found")
    assert error_of("employee_history", opened["id"], token=bureau("440704")) == (404, "employee.not_found")
    assert rpc("list_employees", {}, token=bureau("440704"))["total"] == 0
    assert rpc("get_employee", opened["id"], token=bureau("440700"))["name"] == "王小明"
    assert rpc("list_employees", {"employer_id": employer_id}, token=bureau("440703"))["total"] == 2
    assert outbox(housing_fund_db, "employee.password_reset") == 1


def test_opening_refuses_bad_input_and_changes_nothing(rpc, error_of, employer, lb, housing_fund_db):
    _, clerk = employer()
    data = lb.employee_data()
    rpc("open_employee", data, token=clerk)
    _, other_clerk = employer()
    assert error_of("open_employee", lb.employee_data(id_number=data["id_number"]), token=other_clerk) == (
        409, "employee.duplicate")
    bad = data["id_number"][:17] + ("0" if data["id_number"][17] != "0" else "1")
    assert error_of("open_employee", lb.employee_data(id_number=bad), token=clerk)[0] == 400
    assert error_of("open_employee", lb.employee_data(level="99"), token=clerk) == (400, "employee.level_unknown")
    assert error_of("open_employee", lb.employee_data(monthly_fen=80001), token=clerk) == (400, "employee.amount_range")
    assert error_of("open_employee", lb.employee_data(monthly_fen=800.5), token=clerk) == (
        400, "employee.amount_format")
    assert error_of("open_employee", lb.employee_data(attachments=[]), token=clerk) == (400, "attachment.required")
    assert error_of("open_employee", lb.employee_data(attachments=["not-an-id"]), token=clerk) == (
        400, "attachment.invalid")
    assert count(housing_fund_db, "employees") == 1 and outbox(housing_fund_db, "employee.opened") == 1
    _, sealed_clerk = employer(status="05", db=housing_fund_db)
    assert error_of("open_employee", lb.employee_data(), token=sealed_clerk) == (409, "employer.not_active")


def test_import_template_and_a_good_file(rpc, error_of, employer, lb, store_file, housing_fund_db):
    employer_id, clerk = employer()
    template = rpc("employee_import_template", token=clerk)
    wb = load_workbook(io.BytesIO(base64.b64decode(template["content_base64"])))
    assert tuple(c.value for c in wb.active[1]) == HEADERS and "★证件号码" in HEADERS
    assert wb.active.column_dimensions["C"].number_format == "@"
    rows = [lb.row(name=f"导入{i}", periods=3, accumulated="2400.50") for i in range(3)]
    rows[1][4] = "副科"  # a level by its name
    file_id = store_file(lb.xlsx(rows))
    assert rpc("import_employees", file_id, "职工.xlsx", [], True, token=clerk) == {"rows": 3, "valid": True,
                                                                                   "imported": 0}
    assert count(housing_fund_db, "employees") == 0
    done = rpc("import_employees", file_id, "职工.xlsx", token=clerk)
    assert done["imported"] == 3 and done["monthly_total_fen"] == 80000 * 2 + 90000
    assert count(housing_fund_db, "employees", "employer_id = :e AND source = 'imported'", e=employer_id) == 3
    assert scalar(housing_fund_db, "SELECT sum(amount_fen) FROM ledger") == 3 * 240050
    assert outbox(housing_fund_db, "employee.opened") == 3 and outbox(housing_fund_db, "employee.imported") == 1
    assert error_of("import_employees", file_id, "职工.xlsx", token=clerk) == (409, "import.already_imported")
    assert rpc("list_employee_imports", token=clerk)["total"] == 1


def test_a_bad_id_on_row_5000_imports_nothing(rpc, error_of, employer, lb, store_file, housing_fund_db):
    _, clerk = employer()
    rows = [lb.row(name=f"职工{i}") for i in range(4999)]
    good = rows[10][2]
    rows.append(lb.row(name="错号", number=good[:17] + ("0" if good[17] != "0" else "1")))
    file_id = store_file(lb.xlsx(rows))

    with pytest.raises(RemoteError) as info:
        rpc("import_employees", file_id, "职工.xlsx", token=clerk)
    body = json.loads(info.value.value)
    assert body["code"] == "import.rows_invalid" and body["details"]["rows"] == 5000
    assert [(e["row"], e["column"]) for e in body["details"]["errors"]] == [(5001, "证件号码")]  # header is row 1
    assert "第5001行" not in body["message"] and "1行有错误" in body["message"]
    assert count(housing_fund_db, "employees") == 0 and outbox(housing_fund_db, "employee.%") == 0


def test_import_reports_every_kind_of_row_error(rpc, error_of, employer, lb, store_file, housing_fund_db):
    _, clerk = employer()
    existing = lb.employee_data()
    rpc("open_employee", existing, token=clerk)
    dup = lb.id_number()
    rows = [lb.row(number=dup), lb.row(number=dup), lb.row(number=existing["id_number"]), lb.row(level="99"),
            lb.row(amount="900.00"), lb.row(month="2026-01"), lb.row(name=None),
            ["数字号码", "居民身份证", 440703199001010000, "13900139000", "01", "", "202601", "", "", ""]]
    file_id = store_file(lb.xlsx(rows))

    with pytest.raises(RemoteError) as info:
        rpc("import_employees", file_id, "职工.xlsx", token=clerk)
    errors = {e["row"]: e["code"] for e in json.loads(info.value.value)["details"]["errors"]}
    assert errors == {3: "import.duplicate_in_file", 4: "employee.duplicate", 5: "employee.level_unknown",
                      6: "employee.amount_range", 7: "month.format", 8: "import.required", 9: "import.id_not_text"}
    assert count(housing_fund_db, "employees") == 1
    wrong = store_file(lb.xlsx([lb.row()], headers=("姓名", "身份证")))
    assert error_of("import_employees", wrong, token=clerk) == (400, "import.template_mismatch")
    not_xlsx = store_file(b"%PDF-1.4 not a workbook", "x.pdf")
    assert error_of("import_employees", not_xlsx, token=clerk) == (400, "import.not_xlsx")
    assert error_of("import_employees", "cd" * 32, token=clerk) == (404, "attachment.not_found")


def test_changes_apply_at_once_or_after_the_bureau(rpc, error_of, employer, lb, bureau, housing_fund_db):
    _, clerk = employer()
    e = rpc("open_employee", lb.employee_data(name="赵六"), token=clerk)
    now = rpc("request_employee_change", e["id"], {"changes": {"mobile": "13700137000"}}, token=clerk)
    assert now["change"]["status"] == "applied" and now["employee"]["mobile"] == "13700137000"
    assert error_of("request_employee_change", e["id"], {"changes": {"level": "03"}}, token=clerk) == (
        400, "attachment.required")
    asked = rpc("request_employee_change", e["id"], {"changes": {"level": "03"}, "reason": "晋升",
                                                     "attachments": [lb.SHA]}, token=clerk)
    change = asked["change"]
    assert change["status"] == "pending" and asked["employee"]["level"] == "01"
    assert change["after"] == {"level": "03", "monthly_fen": 100000}
    assert error_of("request_employee_change", e["id"], {"changes": {"name": "赵七"}, "attachments": [lb.SHA]},
                    token=clerk) == (409, "employee_change.pending_exists")
    assert error_of("approve_employee_change", change["id"], token=bureau("440704")) == (
        404, "employee_change.not_found")
    assert rpc("list_employee_changes", {"status": "pending"}, token=bureau())["total"] == 1
    done = rpc("approve_employee_change", change["id"], "同意", token=bureau("440703"))
    assert done["status"] == "approved"
    assert rpc("get_employee", e["id"], token=clerk)["monthly_fen"] == 100000
    assert error_of("approve_employee_change", change["id"], token=bureau()) == (
        409, "employee_change.illegal_transition")
    again = rpc("request_employee_change", e["id"], {"changes": {"name": "赵七"}, "attachments": [lb.SHA]},
                token=clerk)["change"]
    returned = rpc("return_employee_change", again["id"], "材料不全", token=bureau())
    assert returned["status"] == "returned" and rpc("get_employee", e["id"], token=clerk)["name"] == "赵六"
    assert [c["kind"] for c in rpc("employee_history", e["id"], token=clerk)["changes"]].count("change") == 3
    assert error_of("request_employee_change", e["id"], {"changes": {"mobile": "13700137000"}}, token=clerk) == (
        400, "employee_change.nothing_changed")
    _, stranger = employer()
    assert error_of("request_employee_change", e["id"], {"changes": {"mobile": "13600136000"}},
                    token=stranger) == (404, "employee.not_found")


def test_seal_and_unseal_in_batches(rpc, error_of, employer, lb, housing_fund_db):
    _, clerk = employer()
    a = rpc("open_employee", lb.employee_data(name="甲"), token=clerk)["id"]
    b = rpc("open_employee", lb.employee_data(name="乙"), token=clerk)["id"]
    sealed = rpc("seal_employees", [a], THIS_MONTH, "离职", token=clerk)
    assert sealed["count"] == 1 and sealed["items"][0]["status_label"] == "封存"
    # sealing someone already sealed refuses the whole batch, naming them; 乙 stays 正常
    code = error_of("seal_employees", [b, a], token=clerk)
    assert code == (409, "employee.already_sealed")
    assert rpc("get_employee", b, token=clerk)["status"] == "01"
    assert error_of("unseal_employees", [b], token=clerk) == (409, "employee.not_sealed")
    assert error_of("seal_employees", [b], "209901", token=clerk) == (400, "sealing.month_future")
    assert error_of("seal_employees", [b], "201001", token=clerk) == (400, "sealing.month_too_early")
    assert error_of("seal_employees", [], token=clerk) == (400, "ids.required")
    _, stranger = employer()
    assert error_of("seal_employees", [b], token=stranger) == (404, "employee.not_found")
    assert rpc("unseal_employees", [a], token=clerk)["items"][0]["status"] == "01"
    assert rpc("list_employees", {"status": "02"}, token=clerk)["total"] == 0
    assert [c["kind"] for c in rpc("employee_history", a, token=clerk)["changes"]][:2] == ["unseal", "seal"]
    assert outbox(housing_fund_db, "employee.sealed") == 1 and outbox(housing_fund_db, "employee.unsealed") == 1


def test_transfers_move_the_balance_and_count_nothing_twice(rpc, error_of, employer, lb, housing_fund_db, issue):
    sender_id, sender = employer()
    receiver_id, receiver = employer("440704")
    _, sealed_employer = None, employer(status="05", db=housing_fund_db)
    closed_id, _ = employer(status="04", db=housing_fund_db)
    a = rpc("open_employee", lb.employee_data(name="转一", accumulated_fen=500000, accumulated_periods=5),
            token=sender)["id"]
    b = rpc("open_employee", lb.employee_data(name="转二", accumulated_fen=300000, accumulated_periods=3),
            token=sender)["id"]
    total = scalar(housing_fund_db, "SELECT sum(amount_fen) FROM ledger")
    assert total == 800000
    assert error_of("request_transfers", [a], sealed_employer[0], token=sender) == (409, "employer.not_active")
    assert error_of("request_transfers", [a], closed_id, token=sender) == (409, "employer.not_active")
    assert error_of("request_transfers", [a], sender_id, token=sender) == (400, "transfer.same_employer")
    assert count(housing_fund_db, "transfers") == 0
    asked = rpc("request_transfers", [a, b], receiver_id, "调动", token=sender)
    assert asked["count"] == 2 and {t["status"] for t in asked["items"]} == {"pending"}
    assert error_of("request_transfers", [a], receiver_id, token=sender) == (409, "transfer.pending_exists")
    incoming = rpc("list_transfers", {"direction": "in", "status": "pending"}, token=receiver)
    assert incoming["total"] == 2 and all(t["reviewable"] for t in incoming["items"])
    t_a = next(t for t in incoming["items"] if t["employee_id"] == a)
    t_b = next(t for t in incoming["items"] if t["employee_id"] == b)
    assert rpc("get_transfer", t_a["id"], token=receiver)["pending_balance_fen"] == 500000
    assert error_of("accept_transfer", t_a["id"], token=sender) == (404, "transfer.not_found")

    accepted = rpc("accept_transfer", t_a["id"], "已核对", token=receiver)
    assert accepted["status"] == "accepted" and accepted["balance_fen"] == 500000 and accepted["periods"] == 5
    moved = rpc("get_employee", a, token=receiver)
    assert moved["employer_id"] == receiver_id and moved["balance_fen"] == 500000 and moved["region"] == "440704"
    assert error_of("get_employee", a, token=sender) == (404, "employee.not_found")
    assert error_of("accept_transfer", t_a["id"], token=receiver) == (409, "transfer.illegal_transition")
    rejected = rpc("reject_transfer", t_b["id"], "非本单位人员", token=receiver)
    assert rejected["status"] == "rejected" and rpc("get_employee", b, token=sender)["employer_id"] == sender_id

    # nothing counted twice or lost: the ledger's sum is unchanged, each employer holds its part
    assert scalar(housing_fund_db, "SELECT sum(amount_fen) FROM ledger") == total
    assert scalar(housing_fund_db, "SELECT sum(amount_fen) FROM ledger WHERE employer_id=:e", e=receiver_id) == 500000
    assert scalar(housing_fund_db, "SELECT sum(amount_fen) FROM ledger WHERE employer_id=:e", e=sender_id) == 300000
    assert scalar(housing_fund_db, "SELECT sum(periods) FROM ledger WHERE employee_id=:e", e=a) == 5
    history = rpc("employee_history", a, token=receiver)
    assert [r["business_code"] for r in history["ledger"]] == ["03", "06", "06"]
    assert {c["kind"] for c in history["changes"]} >= {"open", "transfer_out", "transfer_in"}
    assert outbox(housing_fund_db, "employee.transferred") == 1

    # the employee's own view follows them
    me = issue(role="employee", region="440704", unit_id=a, name="转一")[0]
    mine = rpc("my_housing_account", token=me)
    assert mine["employee"]["employer_name"] and mine["employee"]["balance_fen"] == 500000
    assert len(mine["ledger"]) == 3 and mine["employee"]["status_label"] == "正常"
    assert error_of("list_employees", {}, token=me) == (403, "auth.forbidden")
