"""The columns of line B's spreadsheets (职工批量导入 and the bureau's 迁移导入) and the check of one
row. Every row is checked and every error reported with its row number; a file with any error
imports nothing."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from shared import money
from shared.errors import InvalidInput

MAX_REPORTED_ERRORS = 200


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool = False
    text: bool = False  # a text cell in the template (ID numbers, yyyyMM, codes)


EMPLOYEE_COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", True), Column("id_type", "证件类型", text=True), Column("id_number", "证件号码", True, True),
    Column("mobile", "手机号码", True, True), Column("level", "级别", True, True),
    Column("monthly_yuan", "每月缴费金额（元）"), Column("start_month", "汇缴开始月份", True, True),
    Column("accumulated_periods", "累计缴纳期数"), Column("accumulated_yuan", "累计缴纳金额（元）"),
    Column("post", "职务"),
)
MIGRATION_EMPLOYER_COLUMNS: tuple[Column, ...] = (
    Column("uscc", "统一社会信用代码", True, True), Column("name", "单位名称", True),
    Column("region", "所属县区代码", True, True), Column("address", "单位地址", True),
    Column("legal_person", "法定代表人", True), Column("contact_name", "联系人", True),
    Column("contact_mobile", "联系人手机", True, True), Column("bank_name", "开户银行", True),
    Column("bank_account_name", "银行户名", True), Column("bank_account_no", "银行账号", True, True),
    Column("trade_code", "单位交易代码", text=True), Column("status", "单位状态", text=True),
)
MIGRATION_EMPLOYEE_COLUMNS: tuple[Column, ...] = (Column("employer_uscc", "单位统一社会信用代码", True, True),
                                                  *EMPLOYEE_COLUMNS)
ID_TYPE_NAMES = {"居民身份证": "resident_id", "身份证": "resident_id", "港澳台居民居住证": "hmt_residence",
                 "外国人永久居留身份证": "foreigner_permanent", "护照": "passport"}
EMPLOYEE_EXAMPLE = ["张三", "居民身份证", "440703199803151233", "13800000002", "01", "800.00", "202501", "12",
                    "9600.00", "科员"]


def text_of(value: Any, field: str, label: str) -> str | None:
    """A text cell: numbers typed into an ID or month column lose digits (科学计数法), so they are refused."""
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, float):
        raise InvalidInput.field(field, "import.not_text", f"{label}应设置为文本格式（请使用模板）")
    return str(value).strip()


def yuan_cell(value: Any, field: str, label: str) -> int | None:
    """An amount in yuan from a cell (text or number) as fen; more than 2 decimals is refused."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidInput.field(field, "money.format", f"{label}格式不正确")
    if isinstance(value, float):
        try:
            value = Decimal(repr(value))
        except InvalidOperation:
            raise InvalidInput.field(field, "money.format", f"{label}格式不正确") from None
    return money.yuan_to_fen(value if not isinstance(value, str) else value.replace("，", ","), field=field)


def count_cell(value: Any, field: str, label: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput.field(field, "import.count_format", f"{label}应为不小于0的整数")
    return value


def employee_record(cells: dict) -> dict:
    """The cells of an employee row as the data ``check_new_employee`` takes (level and amount are
    checked against the table there)."""
    id_type_text = text_of(cells.get("id_type"), "id_type", "证件类型")
    id_type = ID_TYPE_NAMES.get(id_type_text, id_type_text) if id_type_text else "resident_id"
    return {"name": cells.get("name") if isinstance(cells.get("name"), str) else None,
            "id_type": id_type, "id_number": text_of(cells.get("id_number"), "id_number", "证件号码"),
            "mobile": text_of(cells.get("mobile"), "mobile", "手机号码"),
            "level": text_of(cells.get("level"), "level", "级别"),
            "monthly_fen": yuan_cell(cells.get("monthly_yuan"), "monthly_fen", "每月缴费金额"),
            "start_month": text_of(cells.get("start_month"), "start_month", "汇缴开始月份"),
            "accumulated_periods": count_cell(cells.get("accumulated_periods"), "accumulated_periods", "累计缴纳期数"),
            "accumulated_fen": yuan_cell(cells.get("accumulated_yuan"), "accumulated_fen", "累计缴纳金额"),
            "post": cells.get("post") if isinstance(cells.get("post"), str) else None}


def row_error(row: int, exc: InvalidInput, sheet: str | None = None) -> dict:
    fields = exc.details.get("fields") or {}
    field = next(iter(fields), None)
    out = {"row": row, "field": field, "code": exc.code, "message": exc.message}
    if sheet:
        out["sheet"] = sheet
    return out


def refuse(errors: list[dict], total_errors: int, rows: int) -> InvalidInput:
    """The answer to a file with errors: nothing imported, the errors by row (the first 200)."""
    first = errors[0]
    return InvalidInput(f"导入文件共{rows}行，其中{total_errors}行有错误（如第{first['row']}行：{first['message']}），"
                        "未导入任何数据，请修改后重新上传", code="import.rows_invalid",
                        details={"errors": errors[:MAX_REPORTED_ERRORS], "error_count": total_errors, "rows": rows})

