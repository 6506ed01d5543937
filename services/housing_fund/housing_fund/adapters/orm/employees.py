"""Employees (职工) with their change history, transfers between employers, and import runs."""
from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, String, Table, text

from housing_fund.adapters.orm.base import metadata
from shared.db.tables import Json

# Employees (职工): one personal account per person (证件号码 unique); it follows the person from
# employer to employer (transfers), with its ledger.
employees = Table(
    "employees", metadata,
    Column("id", String(36), primary_key=True),
    Column("employer_id", String(36), nullable=False),
    Column("region", String(6), nullable=False),
    Column("name", String(50), nullable=False),
    Column("id_type", String(30), nullable=False),
    Column("id_number", String(30), nullable=False, unique=True),
    Column("mobile", String(11), nullable=True),
    Column("level", String(10), nullable=False),
    Column("monthly_fen", BigInteger, nullable=False),
    Column("status", String(2), nullable=False, server_default=text("'01'")),
    Column("start_month", String(6), nullable=True),  # 汇缴开始月份 (yyyyMM)
    Column("post", String(50), nullable=True),
    Column("account_id", String(36), nullable=True),  # the employee's personal login (identity)
    Column("source", String(20), nullable=False),  # opened | imported | migrated | transferred
    Column("checked_at", DateTime(timezone=True), nullable=True),  # confirmed in 职工信息初始化
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_employees_employer_status", employees.c.employer_id, employees.c.status)
Index("ix_employees_name", employees.c.name)

# 变更记录 of an employee: every business done to them (开户, 信息变更, 封存, 启封, 转移), with the
# fields before and after; a change that needs the bureau waits here as pending.
employee_changes = Table(
    "employee_changes", metadata,
    Column("id", String(36), primary_key=True),
    Column("employee_id", String(36), nullable=False, index=True),
    Column("employer_id", String(36), nullable=False),
    Column("region", String(6), nullable=False),
    Column("kind", String(20), nullable=False),  # open | change | seal | unseal | transfer | initialise | import
    Column("business_code", String(2), nullable=True),
    Column("status", String(20), nullable=False),  # applied | pending | approved | returned
    Column("before", Json, nullable=False),
    Column("after", Json, nullable=False),
    Column("attachments", Json, nullable=False, server_default=text("'[]'::jsonb")),
    Column("reason", String(500), nullable=True),
    Column("effective_month", String(6), nullable=True),
    Column("by_account", String(36), nullable=False),
    Column("by_name", String(50), nullable=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("opinion", String(500), nullable=True),
    Column("decided_by", String(36), nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
)
Index("ix_employee_changes_region_status", employee_changes.c.region, employee_changes.c.status)

transfers = Table(
    "transfers", metadata,
    Column("id", String(36), primary_key=True),
    Column("employee_id", String(36), nullable=False, index=True),
    Column("from_employer_id", String(36), nullable=False, index=True),
    Column("to_employer_id", String(36), nullable=False, index=True),
    Column("status", String(20), nullable=False),  # pending | accepted | rejected
    Column("reason", String(500), nullable=True),
    Column("attachments", Json, nullable=False, server_default=text("'[]'::jsonb")),
    Column("requested_by", String(36), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("opinion", String(500), nullable=True),
    Column("decided_by", String(36), nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("balance_fen", BigInteger, nullable=True),  # moved at acceptance
    Column("periods", Integer, nullable=True),
)
# one open transfer per employee
Index("uq_transfers_pending_employee", transfers.c.employee_id, unique=True,
      postgresql_where=text("status = 'pending'"))

# Import runs: an employer's 职工批量导入 and the bureau's 迁移导入, keyed by the file's hash so the
# same file twice changes nothing.
import_runs = Table(
    "import_runs", metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(20), nullable=False),  # employees | migration
    Column("owner", String(36), nullable=False),  # the employer id, or the bureau's region
    Column("sha256", String(64), nullable=False),
    Column("filename", String(200), nullable=True),
    Column("rows", Integer, nullable=False),
    Column("summary", Json, nullable=False),
    Column("attachments", Json, nullable=False, server_default=text("'[]'::jsonb")),
    Column("by_account", String(36), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("uq_import_runs_kind_owner_sha", import_runs.c.kind, import_runs.c.owner, import_runs.c.sha256, unique=True)
