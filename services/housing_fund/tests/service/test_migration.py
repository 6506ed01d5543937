"""迁移导入 by the bureau: employers with rosters and accumulated periods/amounts from one .xlsx; the
same file twice changes nothing; a file with any error imports nothing; logins come from
``employer.migrated``; then the employer checks its roster at first login (职工信息初始化)."""
import json

import pytest
from nameko.exceptions import RemoteError

from shared.testing.helpers import rows, scalar


def outbox(db, type_):
    return [json.loads(r["body"])["data"] for r in rows(
        db, "SELECT body FROM platform_outbox WHERE event_type=:t AND exchange='housing_fund.events' ORDER BY seq",
        t=type_)]


def counts(db):
    return {t: scalar(db, f"SELECT count(*) FROM {t}") for t in ("employers", "employees", "ledger", "import_runs")}


def test_migrate_twice_then_initialise(rpc, error_of, bureau, issue, sheets, housing_fund_db):
    a, b = sheets.make_uscc("440703"), sheets.make_uscc("440704")
    content = sheets.migration(
        [sheets.employer_row(a, "蓬江迁移单位", trade_code="75256"), sheets.employer_row(b, "江海迁移单位", "440704")],
        [[a, *sheets.employee_row(1)], [a, *sheets.employee_row(2, level="03", monthly="1000", periods=None,
                                                                 amount=None)],
         [b, *sheets.employee_row(3)]])
    done = rpc("migrate", "迁移.xlsx", content, token=bureau())
    assert done["employers_created"] == 2 and done["employees_imported"] == 3 and not done["repeated"]
    trade = {e["name"]: e["trade_code"] for e in done["employers"]}
    assert trade["蓬江迁移单位"] == "75256" and len(trade["江海迁移单位"]) == 5
    migrated = outbox(housing_fund_db, "employer.migrated")
    assert sorted(e["org_code"] for e in migrated) == sorted([a[8:17], b[8:17]])
    assert all(e["mobile"] == "13900000001" and e["trade_code"] for e in migrated)
    before = counts(housing_fund_db)
    assert before == {"employers": 2, "employees": 3, "ledger": 2, "import_runs": 1}
    assert scalar(housing_fund_db, "SELECT sum(amount_fen) FROM ledger") == 2 * 960000

    again = rpc("migrate", "迁移.xlsx", content, token=bureau())
    assert again["repeated"] and again["import_id"] == done["import_id"]
    assert counts(housing_fund_db) == before and len(outbox(housing_fund_db, "employer.migrated")) == 2
    # the same data in another file (one more employee): the known ones are kept, only the new one added
    more = sheets.migration([sheets.employer_row(a, "蓬江迁移单位", trade_code="75256")],
                            [[a, *sheets.employee_row(1)], [a, *sheets.employee_row(4)]])
    third = rpc("migrate", "补充.xlsx", more, token=bureau())
    assert (third["employers_created"], third["employers_kept"], third["employees_imported"],
            third["employees_kept"]) == (0, 1, 1, 1)

    # first login of the migrated employer: check, export-worthy data, submit once
    employer_id = next(e["employer_id"] for e in migrated if e["org_code"] == a[8:17])
    clerk = issue(role="employer", region="440703", unit_id=employer_id, name="李经办")[0]
    assert [t["key"] for t in rpc("todos", token=clerk)] == ["transfers.incoming", "employers.initialise"]
    page = rpc("initialisation", {}, 1, 20, token=clerk)
    assert page["employer"]["trade_code"] == "75256" and page["employees"]["total"] == 3
    assert [lv["code"] for lv in page["levels"]][:3] == ["01", "02", "03"]
    first = next(e for e in page["employees"]["items"] if e["name"] == "职工1")
    assert first["balance_fen"] == 960000 and first["periods"] == 12
    checked = rpc("check_employee", first["id"], {"mobile": "13700000001", "level": "02", "monthly_fen": 90000,
                                                  "accumulated_periods": 13, "accumulated_fen": 1040000}, token=clerk)
    assert checked["mobile"] == "13700000001" and checked["level"] == "02" and checked["balance_fen"] == 1040000
    assert error_of("check_employee", first["id"], {"mobile": "13700000001", "level": "02", "monthly_fen": 90001},
                    token=clerk) == (400, "employee.amount_range")
    submitted = rpc("submit_initialisation", token=clerk)
    assert submitted["initialised"] and submitted["employees"] == 3
    assert error_of("submit_initialisation", token=clerk) == (409, "employer.already_initialised")
    assert [t["key"] for t in rpc("todos", token=clerk)] == ["transfers.incoming"]
    detail = rpc("get_employee", first["id"], token=clerk)
    assert [c["kind"] for c in detail["changes"]] == ["open", "initialise"]
    assert [h["amount_fen"] for h in detail["ledger"]] == [960000, 80000]


def test_a_file_with_any_error_imports_nothing(rpc, bureau, sheets, housing_fund_db, error_of):
    a = sheets.make_uscc("440703")
    bad = sheets.migration([sheets.employer_row(a, "单位甲"), sheets.employer_row("91440703MA5X12349K", "单位乙")],
                           [[a, *sheets.employee_row(1)], [a, *sheets.employee_row(2, id_number="440703199001011234")],
                            [a, *sheets.employee_row(3, level="99")], [a, *sheets.employee_row(1)],
                            ["91440703000000000X", *sheets.employee_row(5)]])
    with pytest.raises(RemoteError) as info:
        rpc("migrate", "坏.xlsx", bad, token=bureau())
    body = json.loads(info.value.value)
    assert body["code"] == "import.rows_invalid" and body["details"]["error_count"] == 5
    assert [(e["sheet"], e["row"], e["code"]) for e in body["details"]["errors"]] == [
        ("单位", 3, "uscc.check_digit"), ("职工", 3, "id_number.check_digit"), ("职工", 4, "employee.level_unknown"),
        ("职工", 5, "employee.duplicate"), ("职工", 6, "employer.not_in_file")]
    assert counts(housing_fund_db) == {"employers": 0, "employees": 0, "ledger": 0, "import_runs": 0}
    assert outbox(housing_fund_db, "employer.migrated") == []
    # a county bureau may migrate only employers of its county
    other = sheets.migration([sheets.employer_row(sheets.make_uscc("440703"), "蓬江单位")], [])
    assert error_of("migrate", "x.xlsx", other, token=bureau("440704")) == (400, "import.rows_invalid")
    assert error_of("migrate", "x.xlsx", sheets.stored(b"%PDF-1.4 not a workbook"), token=bureau()) == (
        400, "import.not_xlsx")
    assert error_of("migrate", "x.xlsx", "cd" * 32, token=bureau()) == (404, "attachment.not_found")
