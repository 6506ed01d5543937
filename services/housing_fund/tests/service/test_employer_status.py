"""The bureau's side of an employer (级别维护, 单位状态): a level table from an effective month, audited;
缓缴/封存/销户 and back, and the rules that depend on the status (no remittance, no new employee, no
transfer in for a sealed or closed employer; 销户 only with nobody left on the roster)."""
import json

from shared.testing.helpers import execute, rows, scalar

LEVELS = [{"code": f"0{i}", "name": name, "monthly_fen": fen} for i, (name, fen) in enumerate(
    [("科级以下", 85000), ("副科", 95000), ("正科", 105000), ("副处", 115000), ("正处", 125000), ("副司", 145000),
     ("正司", 165000)], start=1)]


def test_a_level_table_applies_from_its_month(rpc, error_of, employer, hire, bureau, housing_fund_db):
    _, clerk = employer()
    city = bureau()
    month = rpc("get_levels", None, token=city)["current_month"]
    later = f"{int(month[:4]) + 1}{month[4:]}"
    future = rpc("set_levels", later, LEVELS, "明年调标", token=city)
    assert future["items"][0]["monthly_fen"] == 80000                      # this month: still the seeded table
    assert [e["effective_month"] for e in future["editions"]] == [later]
    assert hire(clerk, 1)["monthly_fen"] == 80000
    now = rpc("set_levels", month, LEVELS, "本月调标", token=city)
    assert now["items"][0] == {"code": "01", "name": "科级以下", "monthly_fen": 85000, "bureau": "440700"}
    assert hire(clerk, 2)["monthly_fen"] == 85000                           # 职工开户 takes the new standard
    assert scalar(housing_fund_db, "SELECT count(*) FROM platform_audit_log WHERE action='levels.set'") == 2
    # a level still held by an employee cannot be dropped; bad months and rows are refused; clerks may not
    assert error_of("set_levels", month, LEVELS[1:], None, token=city) == (409, "levels.code_in_use")
    past = f"{int(month[:4]) - 1}{month[4:]}"
    assert error_of("set_levels", past, LEVELS, None, token=city) == (400, "levels.month_past")
    assert error_of("set_levels", month, LEVELS + [LEVELS[0]], None, token=city) == (400, "levels.code_duplicate")
    assert error_of("set_levels", month, [{"code": "08", "name": "x", "monthly_fen": 0}], None,
                    token=city) == (400, "levels.amount_range")
    assert error_of("set_levels", month, LEVELS, None, token=clerk)[0] == 403
    # a county bureau's own table overrides its city's for that county only
    rpc("set_levels", month, [{**r, "monthly_fen": r["monthly_fen"] + 100} for r in LEVELS], None,
        token=bureau("440703"))
    assert rpc("get_levels", "440703", token=clerk)["items"][0]["monthly_fen"] == 85100
    assert rpc("get_levels", "440704", token=city)["items"][0]["monthly_fen"] == 85000


def test_status_set_by_the_bureau_and_what_it_allows(rpc, error_of, employer, hire, bureau, housing_fund_db, sheets):
    mine, clerk = employer()
    other, other_clerk = employer("440704")
    person = hire(clerk, 1)
    mover = hire(other_clerk, 2)
    county = bureau("440703")
    assert error_of("set_employer_status", mine["id"], "seal", "停业", token=bureau("440704")) == (
        404, "employer.not_found")
    assert error_of("set_employer_status", mine["id"], "explode", "x", token=county) == (
        400, "employer_status.action_unknown")
    assert error_of("set_employer_status", mine["id"], "seal", " ", token=county) == (
        400, "employer_status.reason_required")
    assert error_of("set_employer_status", mine["id"], "resume", "x", token=county) == (
        409, "employer_status.illegal_transition")
    sealed = rpc("set_employer_status", mine["id"], "seal", "单位停业", token=county)
    assert (sealed["status"], sealed["status_label"]) == ("05", "封存")
    # sealed: no employee opened, no remittance, no transfer in
    data = {"name": "新人", "id_number": sheets.make_id(9), "mobile": "13800000009", "level": "01",
            "start_month": "202401"}
    assert error_of("open_employee", data, token=clerk) == (409, "employer.not_active")
    assert error_of("submit_remittance", {"mode": "remit"}, token=clerk) == (409, "employer.not_active")
    assert error_of("transfer_out", [mover["id"]], mine["id"], token=other_clerk) == (409, "employer.not_active")
    assert error_of("set_employer_status", mine["id"], "close", "注销", token=county) == (
        409, "employer_status.employees_remain")
    rpc("set_employer_status", mine["id"], "resume", "恢复经营", token=county)
    rpc("set_employer_status", mine["id"], "defer", "经营困难", token=county)
    assert rpc("open_employee", data, token=clerk)["status"] == "01"      # 缓缴 may still open employees
    history = [c["after"] for c in rpc("get_employer", mine["id"], token=county)["changes"]]
    assert [h["status"] for h in history if "status" in h] == ["03", "01", "05"]   # newest first
    changed = rows(housing_fund_db, "SELECT body FROM platform_outbox WHERE event_type='employer.changed' "
                                    "AND exchange='housing_fund.events' ORDER BY seq")
    assert [json.loads(r["body"])["data"]["status"] for r in changed] == ["05", "01", "03"]
    # 销户 once the roster is empty: final
    execute(housing_fund_db, "UPDATE employees SET status='04' WHERE employer_id=:e", e=mine["id"])
    closed = rpc("set_employer_status", mine["id"], "close", "单位注销", token=county)
    assert closed["status"] == "04"
    assert error_of("set_employer_status", mine["id"], "resume", "x", token=county) == (
        409, "employer_status.illegal_transition")
    assert rpc("get_employee", person["id"], token=county)["employer_id"] == mine["id"]
