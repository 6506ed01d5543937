"""Line B part 2 rules without broker or database: rounding, payment codes, memos, statements,
back-payment months, withdrawals."""
import random

import pytest

from housing_fund.domain import backfills, payment_codes, remittances, statements, withdrawals
from shared.errors import Conflict, InvalidInput


def test_rounding_is_half_up_per_line_and_the_total_sums_rounded_lines():
    assert remittances.line_fen("1234.565") == 123457
    assert remittances.line_fen("1234.564") == 123456
    assert remittances.line_fen("0.005") == 1
    assert remittances.total_fen([remittances.line_fen("0.005")] * 3) == 3  # not round(0.015) = 2
    assert remittances.line_fen(80000) == 80000
    for bad in (0, -1, "abc", 1.5, True):
        with pytest.raises(InvalidInput):
            remittances.line_fen(bad)


def test_back_payment_months():
    assert remittances.months_between("202511", "202602") == ["202511", "202512", "202601", "202602"]
    with pytest.raises(InvalidInput) as info:
        remittances.check_back_pay_months(remittances.months_between("202501", "202601"), "202612")
    assert info.value.code == "remittance.too_many_months"
    remittances.check_back_pay_months(remittances.months_between("202502", "202601"), "202612")
    person = {"id": "e", "name": "张三", "start_month": "202606"}
    remittances.check_new_employee_months(person, ["202604", "202605"], has_history=False)
    with pytest.raises(InvalidInput) as info:
        remittances.check_new_employee_months(person, ["202605", "202606"], has_history=False)
    assert info.value.code == "remittance.back_pay_after_start" and info.value.details["months"] == ["202606"]
    remittances.check_new_employee_months(person, ["202606"], has_history=True)
    pages = remittances.apply_first_page(["202601", "202602"], [{"employee_id": "a", "amount": 1}])
    assert pages == {"202601": [{"employee_id": "a", "amount": 1}], "202602": [{"employee_id": "a", "amount": 1}]}
    with pytest.raises(Conflict) as refused:
        remittances.check_employer_may_remit("05", "某单位")
    assert refused.value.code == "employer.not_active" and "封存" in str(refused.value) and "汇缴" in str(refused.value)
    remittances.check_employer_may_remit("03", "某单位")


def test_payment_codes_avoid_x_o_and_look_alikes():
    assert not set("XOI01") & set(payment_codes.ALPHABET)
    rng = random.Random(7)
    codes = {payment_codes.new_code(lambda n: rng.randrange(n)) for _ in range(2000)}
    assert all(len(c) == 4 and set(c) <= set(payment_codes.ALPHABET) for c in codes)
    assert payment_codes.memo_of("75256", "A7W5") == "75256xA7W5o"


@pytest.mark.parametrize("memo, expected", [
    ("75256xA7W5o", ("75256", "A7W5", None)),
    ("75256xA7W5o，2020年4月份雇员汇缴款", ("75256", "A7W5", None)),
    ("７５２５６ｘＡ７Ｗ５ｏ", ("75256", "A7W5", None)),
    ("  75256xa7w5o  ", ("75256", "A7W5", None)),
    ("4月汇缴 75256xA7W5o", (None, None, "code_not_at_start")),
    ("75256A7W5", (None, None, "malformed_memo")),
    ("75256xA7I5o", (None, None, "malformed_memo")),
    ("", (None, None, "malformed_memo")),
])
def test_memo_reading(memo, expected):
    r = payment_codes.read_memo(memo)
    assert (r.trade_code, r.payment_code, r.reason) == expected


def test_two_codes_in_one_memo_are_counted():
    assert payment_codes.read_memo("75256xA7W5o75256xB8C9o").codes_in_memo == 2


def test_statement_parsing_names_row_and_column():
    good = "交易日期,金额,付款账号,付款户名,摘要,银行流水号\n2026-12-01,\"3,034.57\",62220001,某单位,75256xA7W5o,S1\n"
    [line] = statements.parse(good.encode(), "a.csv")
    assert line.amount_fen == 303457 and line.serial == "S1" and line.row == 2
    with pytest.raises(InvalidInput) as info:
        statements.parse("交易日期,金额,付款账号,付款户名,摘要\n2026-12-01,1,2,3,4\n".encode(), "a.csv")
    assert info.value.code == "statement.missing_column" and info.value.details["columns"] == ["银行流水号"]
    with pytest.raises(InvalidInput) as info:
        statements.parse((good + "2026-12-01,十元,1,2,3,S2\n").encode(), "a.csv")
    assert info.value.code == "statement.amount_invalid" and info.value.details == {
        "row": 3, "column": "金额", "field": "amount"}
    with pytest.raises(InvalidInput) as info:
        statements.parse((good + "2026-12-01,1,1,2,3,S1\n").encode(), "a.csv")
    assert info.value.code == "statement.serial_duplicate"


def test_withdrawal_and_backfill_rules():
    ok = withdrawals.check_request({"reason_code": "01", "amount_fen": 100, "payee_name": "张三", "payee_bank": "建行",
                                    "payee_account": "6222 0000 1111"})
    assert ok["payee_account"] == "622200001111"
    with pytest.raises(InvalidInput):
        withdrawals.check_request({**ok, "reason_code": "10"})
    with pytest.raises(Conflict):
        withdrawals.check_balance(99, 100)
    withdrawals.check_balance(100, 100)
    rows = backfills.check_rows([{"employee_id": "e", "month": "202501", "amount_fen": 80000}], "202612")
    assert rows == [{"employee_id": "e", "month": "202501", "amount_fen": 80000, "periods": 1}]
    with pytest.raises(InvalidInput):
        backfills.check_rows([{"employee_id": "e", "month": "202612", "amount_fen": 1}], "202612")
