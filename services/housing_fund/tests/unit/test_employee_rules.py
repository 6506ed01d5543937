"""Employee codes, levels and amounts, months and the ledger's symmetry."""
from datetime import date

import pytest

from housing_fund.domain.employees import check_employee, check_month, next_status
from housing_fund.domain.levels import DEFAULT_LEVELS, check_level, check_monthly_amount
from housing_fund.domain.transfers import ledger_entries
from shared.contracts.housing_fund import BUSINESS_CODES, EMPLOYEE_STATUSES
from shared.errors import IllegalTransition, InvalidInput

TABLE = {code: {"code": code, "name": name, "monthly_fen": fen} for code, name, fen in DEFAULT_LEVELS}


def test_codes_of_domain_md():
    assert EMPLOYEE_STATUSES["01"] == "正常" and EMPLOYEE_STATUSES["02"] == "封存" and "99" in EMPLOYEE_STATUSES
    assert BUSINESS_CODES["06"] == "内部转移" and "09" not in BUSINESS_CODES


def test_levels_decide_the_amount_and_cap_it():
    level = check_level("03", TABLE)
    assert check_monthly_amount(None, level) == 100000 and check_monthly_amount(50000, level) == 50000
    for bad in (0, 100001, "800", 1.5, True):
        with pytest.raises(InvalidInput):
            check_monthly_amount(bad, level)
    with pytest.raises(InvalidInput) as info:
        check_level("09", TABLE)
    assert info.value.code == "employee.level_unknown" and "科级以下" in info.value.message


def test_months_are_yyyymm_text():
    assert check_month("202601", "m") == "202601"
    for bad in ("2026-01", "202613", 202601.0, "20261"):
        with pytest.raises(InvalidInput):
            check_month(bad, "m")
    assert check_month("", "m", required=False) is None


def test_employee_data_checks_the_id_check_digit():
    ok = check_employee({"name": " 张三 ", "id_number": "440703199803151233", "mobile": "13800000002",
                         "start_month": "202501"}, today=date(2026, 1, 1))
    assert ok["name"] == "张三" and ok["accumulated_fen"] == 0
    with pytest.raises(InvalidInput) as info:
        check_employee({"name": "张三", "id_number": "440703199803151234", "mobile": "13800000002",
                        "start_month": "202501"})
    assert info.value.code == "id_number.check_digit"


def test_sealing_twice_is_refused_with_the_name():
    employee = {"id": "e1", "name": "张三", "status": "01"}
    assert next_status(employee, "seal") == "02"
    with pytest.raises(IllegalTransition) as info:
        next_status({**employee, "status": "02"}, "seal")
    assert "张三" in info.value.message and info.value.code == "employee.illegal_transition"


def test_a_transfer_moves_equal_and_opposite_amounts():
    out, into = ledger_entries(123456, 12)
    assert out == (-12, -123456) and into == (12, 123456)
