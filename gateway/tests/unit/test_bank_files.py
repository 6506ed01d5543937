"""The bank's files of county finance: the payment file written write-only, the result file read back."""
from __future__ import annotations

import io

import openpyxl
import pytest

from gateway.api import bank_files
from shared.errors import InvalidInput

ANSWER = {"transfer_no": "BF440703-20261201-01", "lines": [
    {"line_key": "SQ440703-1-1-1", "application_no": "SQ440703-1", "applicant_name": "=HYPERLINK(1)",
     "bank_holder": "张三", "bank_name": "工行", "bank_number": "6222020000000000011", "amount_fen": 960_001}]}


def answered(content: bytes, result: str, amount=None) -> bytes:
    """The payment file as the bank sends it back: 支付结果 filled (and the amount as the bank wrote it)."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index("支付结果") + 1, result)
    if amount is not None:
        sheet.cell(2, header.index("金额（元）") + 1, amount)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_payment_file_keeps_digits_and_decimals_as_text_and_reads_back():
    content = bank_files.payment_file(ANSWER)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.title == "代发明细"
    row = {h.value: c.value for h, c in zip(sheet[1], sheet[2], strict=True)}
    assert (row["账号"], row["金额（元）"], row["姓名"]) == ("6222020000000000011", "9600.01", "'=HYPERLINK(1)")
    sha, [line] = bank_files.read_result(answered(content, "成功"))
    assert len(sha) == 64
    assert (line["row"], line["line_key"], line["bank_number"], line["amount"], line["result"]) == (
        2, "SQ440703-1-1-1", "6222020000000000011", "9600.01", "成功")
    _, [number] = bank_files.read_result(answered(content, "成功", amount=9600.01))  # a number cell
    assert number["amount"] == "9600.01"


@pytest.mark.parametrize("content, code", [(b"", "bank_result.file_required"),
                                           (b"not a workbook", "bank_result.not_xlsx"),
                                           (b"x" * (bank_files.MAX_BYTES + 1), "bank_result.too_large")])
def test_a_file_that_is_no_result_file_is_refused_whole(content, code):
    with pytest.raises(InvalidInput) as info:
        bank_files.read_result(content)
    assert info.value.code == code


def test_missing_columns_are_named():
    book = openpyxl.Workbook()
    book.active.append(["支付流水号", "金额（元）"])
    book.active.append(["k", "1.00"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(InvalidInput) as info:
        bank_files.read_result(buffer.getvalue())
    assert info.value.code == "bank_result.columns_missing" and info.value.details["columns"] == ["账号", "支付结果"]
