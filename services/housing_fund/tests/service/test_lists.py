"""The paged lists against the real database, each with the filter and jurisdiction its repository's
statement holds: receiving employers, remittances, employee changes, backfills, bank statements and
migration runs (the other lists are covered by the tests of their workflows)."""
import json
import uuid

from shared.testing.helpers import execute, scalar
from shared.testing.service import callers

from .line_b import employee, employer

rpc, error_of = callers("housing_fund")


def month_now(db):
    return scalar(db, "SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMM')")


def test_the_lists_filter_and_keep_to_the_caller_s_own_or_area(housing_fund, housing_fund_config, housing_fund_db,
                                                               issue):
    cfg, db = housing_fund_config, housing_fund_db
    city, jianghai = issue(role="housing_bureau", region="440700")[0], issue(role="housing_bureau",
                                                                             region="440704")[0]
    mine, other = employer(db, "列表甲单位"), employer(db, "列表乙单位", trade_code="75257")
    employer(db, "列表丙单位已注销", trade_code="75258", status="04")
    clerk = issue(role="employer", region="440703", unit_id=mine)[0]
    a, b = employee(db, mine, "列表张三"), employee(db, mine, "列表李四")

    # 选择转入单位: approved, 正常 or 缓缴, not the caller's own; q by name
    names = [e["name"] for e in rpc(cfg, "receiving_employers", "列表", 1, 20, token=clerk)["items"]]
    assert names == ["列表乙单位"]

    # remittances: the employer's own, the status filter, the month filter
    month = month_now(db)
    submitted = rpc(cfg, "submit_remittance", {"mode": "remit", "month": month,
                                               "lines": [{"employee_id": a}, {"employee_id": b}]}, token=clerk)
    assert [r["id"] for r in rpc(cfg, "list_remittances", {"status": "pending", "month": month}, token=clerk)[
        "items"]] == [submitted["id"]]
    assert rpc(cfg, "list_remittances", {"status": "approved"}, token=clerk)["items"] == []
    assert rpc(cfg, "list_remittances", {}, token=issue(role="employer", unit_id=other)[0])["items"] == []
    assert [r["employer_name"] for r in rpc(cfg, "list_remittances", {"q": "列表甲"}, token=city)["items"]] == [
        "列表甲单位"]
    assert rpc(cfg, "list_remittances", {}, token=jianghai)["items"] == []
    assert error_of(cfg, "list_remittances", {"status": "nope"}, token=city)[0] == 400

    # employee changes: a mobile change applies at once, the list shows it with the employee's name
    rpc(cfg, "request_employee_change", a, {"mobile": "13911112222"}, token=clerk)
    changes = rpc(cfg, "list_employee_changes", {"q": "列表张三"}, token=clerk)["items"]
    assert [(c["employee_name"], c["status"], c["review_done"]) for c in changes] == [("列表张三", "applied", True)]
    assert rpc(cfg, "list_employee_changes", {"status": "pending"}, token=city)["items"] == []

    # backfills, bank statements and migration runs straight into their tables
    execute(db, "INSERT INTO backfills (id, employer_id, region, status, rows, total_fen, attachments, "
                "submitted_by, submitted_at) VALUES (:i, :e, '440703', 'pending', CAST(:r AS jsonb), 80000, "
                "'[]'::jsonb, :by, now())", i=str(uuid.uuid4()), e=mine, by=str(uuid.uuid4()),
            r=json.dumps([{"employee_id": a, "month": "202401", "amount_fen": 80000}]))
    backfills = rpc(cfg, "list_backfills", {"status": "pending"}, token=city)["items"]
    assert [(x["employer_name"], x["rows"][0]["name"]) for x in backfills] == [("列表甲单位", "列表张三")]
    assert rpc(cfg, "list_backfills", {}, token=jianghai)["items"] == []
    statement = str(uuid.uuid4())
    execute(db, "INSERT INTO bank_statements (id, region, sha256, filename, status, line_count, credit_count, "
                "credit_fen, uploaded_by, uploaded_at) VALUES (:i, '440700', :s, '11月.csv', 'done', 0, 0, 0, :by, "
                "now())", i=statement, s="cd" * 32, by=str(uuid.uuid4()))
    assert [s["id"] for s in rpc(cfg, "list_bank_statements", {}, token=city)["items"]] == [statement]
    assert rpc(cfg, "list_bank_statements", {}, token=jianghai)["items"] == []
    execute(db, "INSERT INTO import_runs (id, kind, owner, sha256, filename, rows, summary, by_account, at) "
                "VALUES (:i, 'migration', '440700', :s, '迁移.xlsx', 3, '{}'::jsonb, :by, now())",
            i=str(uuid.uuid4()), s="ef" * 32, by=str(uuid.uuid4()))
    assert [(r["filename"], r["rows"]) for r in rpc(cfg, "list_migrations", token=city)["items"]] == [("迁移.xlsx", 3)]
    assert rpc(cfg, "list_migrations", token=jianghai)["items"] == []
