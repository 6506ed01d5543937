"""Test data of line B part 2: employers and employees straight into the foundation's tables, tokens."""
from __future__ import annotations

import itertools
import uuid

from shared.attachments import AttachmentStore
from shared.testing.helpers import execute

_org = itertools.count(1)


def employer(db: str, name: str = "示范单位", *, trade_code: str | None = "75256", status: str = "01",
             region: str = "440703") -> str:
    employer_id = str(uuid.uuid4())
    n = next(_org)
    execute(db, "INSERT INTO employers (id, name, org_code, region, status, created_at, updated_at, trade_code, "
                "review_status, contact_mobile) "
                "VALUES (:i, :n, :o, :r, :s, now(), now(), :t, 'approved', '13800000000')",
            i=employer_id, n=name, o=f"T{uuid.uuid4().hex[:6].upper()}{n % 100:02d}", r=region, s=status, t=trade_code)
    return employer_id


def employee(db: str, employer_id: str, name: str, *, monthly_fen: int = 80000, start_month: str | None = "202601",
             status: str = "01", region: str = "440703") -> str:
    employee_id = str(uuid.uuid4())
    execute(db, "INSERT INTO employees (id, employer_id, region, name, id_type, id_number, level, monthly_fen, "
                "status, start_month, source, opened_at, updated_at) "
                "VALUES (:i, :e, :r, :n, 'resident_id', :num, '01', :m, :s, :sm, 'opened', now(), now())",
            i=employee_id, e=employer_id, r=region, n=name, num=uuid.uuid4().hex[:18].upper(), m=monthly_fen, s=status,
            sm=start_month)
    return employee_id


def credit(db: str, employee_id: str, employer_id: str, fen: int, month: str = "202501", code: str = "01") -> None:
    execute(db, "INSERT INTO ledger (employee_id, employer_id, business_code, month, periods, amount_fen, at) "
                "VALUES (:e, :r, :c, :m, 1, :f, now())", e=employee_id, r=employer_id, c=code, m=month, f=fen)


def store_file(var_dir, content: bytes) -> str:
    return AttachmentStore(f"{var_dir}/attachments").put_data_file(content)


def csv_of(lines: list[tuple]) -> bytes:
    head = "交易日期,金额,付款账号,付款户名,摘要,银行流水号\n"
    return (head + "".join(",".join(str(v) for v in line) + "\n" for line in lines)).encode()
