"""housing_fund's tables: employers and their registration rounds and change requests, the bureaus'
level tables, employees with their change history, the append-only per-employee ledger, transfers,
and the import runs (employer batch imports, the bureau's migrations). Part 2 (remittances, payment
notices, bank lines, withdrawals) books into the same ledger by business code."""
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    func,
    text,
)

from shared import attachment_records
from shared.db.tables import NAMING, Json

metadata = MetaData(naming_convention=NAMING)

# Employers (汇缴单位): "units" of line B, kept apart from line A's units in unit_registry.
employers = Table(
    "employers", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("org_code", String(9), nullable=False, unique=True),  # 组织机构代码: the employer's login on line B
    Column("region", String(6), nullable=False, index=True),
    Column("status", String(2), nullable=False, server_default=text("'02'")),  # see domain.employers
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("uscc", String(18), nullable=True, unique=True),
    Column("trade_code", String(5), nullable=True, unique=True),  # 单位交易代码, assigned at approval
    Column("source", String(20), nullable=False, server_default=text("'registered'")),  # registered | migrated
    Column("review_status", String(20), nullable=False, server_default=text("'approved'")),  # pending|approved|returned
    Column("round", Integer, nullable=False, server_default=text("1")),
    Column("opinion", String(500), nullable=True),
    Column("profile", Json, nullable=False, server_default=text("'{}'::jsonb")),  # address, legal person, bank...
    Column("contact_mobile", String(11), nullable=True, index=True),
    Column("attachments", Json, nullable=False, server_default=text("'[]'::jsonb")),
    Column("approved_at", DateTime(timezone=True), nullable=True),
    Column("initialised_at", DateTime(timezone=True), nullable=True),  # 职工信息初始化 submitted
)
Index("ix_employers_review_status", employers.c.review_status)

# Every round of a registration as submitted and decided (resubmission keeps every round).
employer_rounds = Table(
    "employer_rounds", metadata,
    Column("id", String(36), primary_key=True),
    Column("employer_id", String(36), nullable=False, index=True),
    Column("round", Integer, nullable=False),
    Column("data", Json, nullable=False),
    Column("attachments", Json, nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("decision", String(20), nullable=True),  # approved | returned
    Column("opinion", String(500), nullable=True),
    Column("decided_by", String(36), nullable=True),
    Column("decided_by_name", String(50), nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
)

# 单位信息变更: a request with attachments; effective once the bureau approves (the change history).
employer_changes = Table(
    "employer_changes", metadata,
    Column("id", String(36), primary_key=True),
    Column("employer_id", String(36), nullable=False, index=True),
    Column("region", String(6), nullable=False),
    Column("status", String(20), nullable=False),  # pending | approved | returned
    Column("before", Json, nullable=False),
    Column("after", Json, nullable=False),
    Column("attachments", Json, nullable=False),
    Column("reason", String(500), nullable=True),
    Column("submitted_by", String(36), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("opinion", String(500), nullable=True),
    Column("decided_by", String(36), nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
)
Index("ix_employer_changes_region_status", employer_changes.c.region, employer_changes.c.status)

# Levels (级别) and their monthly amounts, per bureau (a city's or a county's housing bureau).
levels = Table(
    "levels", metadata,
    Column("bureau", String(6), primary_key=True),
    Column("code", String(10), primary_key=True),
    Column("name", String(30), nullable=False),
    Column("monthly_fen", BigInteger, nullable=False),
    Column("sort", Integer, nullable=False, server_default=text("0")),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# A bureau's edited level table from a month on (the newest whose month has come applies; before any,
# ``levels`` above): the whole table each time, with who set it and why (级别维护).
level_tables = Table(
    "level_tables", metadata,
    Column("bureau", String(6), primary_key=True),
    Column("effective_month", String(6), primary_key=True),
    Column("entries", Json, nullable=False),  # [{code, name, monthly_fen}]
    Column("reason", String(500), nullable=True),
    Column("by_account", String(36), nullable=False),
    Column("by_name", String(50), nullable=True),
    Column("at", DateTime(timezone=True), nullable=False),
)

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

# The ledger (个人明细账), append-only (migration 0002's trigger refuses UPDATE and DELETE): the balance of an
# employee is the sum of their rows, of an employer the sum of the rows booked at it.
ledger = Table(
    "ledger", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=True),
    Column("employee_id", String(36), nullable=False, index=True),
    Column("employer_id", String(36), nullable=False, index=True),
    Column("business_code", String(2), nullable=False),
    Column("month", String(6), nullable=True),
    Column("periods", Integer, nullable=False, server_default=text("0")),
    Column("amount_fen", BigInteger, nullable=False),
    Column("ref_type", String(30), nullable=True),
    Column("ref_id", String(36), nullable=True),
    Column("note", String(200), nullable=True),
    Column("at", DateTime(timezone=True), nullable=False),
)

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

# Records of line B's attachments (the bytes are the gateway's store): linked to an employer, a change
# request, an employee, an employee change or a transfer, and readable like it.
attachments = attachment_records.table(metadata)

# --- part 2: remittances, payment notices, bank statements, back-fill, withdrawals (migration 0004) ---
UNFINISHED = text("status IN ('pending', 'approved')")

# 汇缴申请 (mode remit) or 补缴 (mode back_pay, monthly or lump sum); once approved it is the payment
# notice (缴费通知): payment code, memo, trade code and the bureau's receiving account as of approval.
remittances = Table(
    "remittances", metadata,
    Column("id", String(36), primary_key=True),
    Column("employer_id", String(36), nullable=False, index=True),
    Column("region", String(6), nullable=False),
    Column("mode", String(10), nullable=False),            # remit | back_pay
    Column("back_pay_kind", String(10), nullable=True),    # monthly | lump_sum
    Column("month_from", String(6), nullable=False),
    Column("month_to", String(6), nullable=False),
    Column("status", String(20), nullable=False),          # pending | approved | returned | paid
    Column("total_fen", BigInteger, nullable=False),
    Column("employee_count", Integer, nullable=False),
    Column("line_count", Integer, nullable=False),
    Column("submitted_by", String(36), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("opinion", String(500), nullable=True),
    Column("decided_by", String(36), nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("payment_code", String(4), nullable=True),
    Column("trade_code", String(5), nullable=True),
    Column("memo", String(11), nullable=True),
    Column("receiving_account", Json, nullable=True),
    Column("paid_at", DateTime(timezone=True), nullable=True),
    Column("paid_line_id", String(36), nullable=True),
    Column("round", Integer, nullable=False, server_default=text("1")),   # 第N次提交 (resubmitted after a return)
)
# one unfinished remittance per employer; a payment code unique among outstanding notices
Index("uq_remittances_unfinished_employer", remittances.c.employer_id, unique=True, postgresql_where=UNFINISHED)
Index("uq_remittances_outstanding_code", remittances.c.payment_code, unique=True,
      postgresql_where=text("status = 'approved'"))
Index("ix_remittances_region_status", remittances.c.region, remittances.c.status)

remittance_lines = Table(
    "remittance_lines", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=True),
    Column("remittance_id", String(36), nullable=False, index=True),
    Column("employee_id", String(36), nullable=False, index=True),
    Column("month", String(6), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("overridden", Boolean, nullable=False, server_default=text("false")),
)

# every round of a remittance as submitted (its lines) and decided (the opinion history)
remittance_rounds = Table(
    "remittance_rounds", metadata,
    Column("remittance_id", String(36), primary_key=True),
    Column("round", Integer, primary_key=True),
    Column("mode", String(10), nullable=False),
    Column("back_pay_kind", String(10), nullable=True),
    Column("month_from", String(6), nullable=False),
    Column("month_to", String(6), nullable=False),
    Column("total_fen", BigInteger, nullable=False),
    Column("employee_count", Integer, nullable=False),
    Column("lines", Json, nullable=False),
    Column("submitted_by", String(36), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("decision", String(20), nullable=True),          # approved | returned
    Column("opinion", String(500), nullable=True),
    Column("decided_by", String(36), nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
)

# an employee is held by at most one unfinished remittance (released when it is paid or returned)
remittance_holds = Table(
    "remittance_holds", metadata,
    Column("employee_id", String(36), primary_key=True),
    Column("remittance_id", String(36), nullable=False, index=True),
)

# 指定汇缴: an employer's amount for an employee, copied forward to every later month
remit_overrides = Table(
    "remit_overrides", metadata,
    Column("employer_id", String(36), primary_key=True),
    Column("employee_id", String(36), primary_key=True),
    Column("amount_fen", BigInteger, nullable=False),
    Column("from_month", String(6), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# the monthly reminder to employers that have not remitted: one row per employer and month
remittance_reminders = Table(
    "remittance_reminders", metadata,
    Column("employer_id", String(36), primary_key=True),
    Column("month", String(6), primary_key=True),
    Column("region", String(6), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True), nullable=True),
)

# the bureau's receiving account (户名, 账号, 开户行), policy data per bureau (county or city)
receiving_accounts = Table(
    "receiving_accounts", metadata,
    Column("bureau", String(6), primary_key=True),
    Column("account_name", String(100), nullable=False),
    Column("account_no", String(40), nullable=False),
    Column("bank_name", String(100), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

bank_statements = Table(
    "bank_statements", metadata,
    Column("id", String(36), primary_key=True),
    Column("region", String(6), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("filename", String(200), nullable=True),
    Column("status", String(20), nullable=False),          # processing | done
    Column("line_count", Integer, nullable=False),
    Column("credit_count", Integer, nullable=False),
    Column("credit_fen", BigInteger, nullable=False),
    Column("job_id", String(36), nullable=True),
    Column("uploaded_by", String(36), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
)
Index("uq_bank_statements_region_sha", bank_statements.c.region, bank_statements.c.sha256, unique=True)

# one row per bank serial ever seen: the same line in a second upload is recognised, never booked twice
bank_lines = Table(
    "bank_lines", metadata,
    Column("id", String(36), primary_key=True),
    Column("serial", String(64), nullable=False, unique=True),
    Column("statement_id", String(36), nullable=False, index=True),
    Column("region", String(6), nullable=False),
    Column("row", Integer, nullable=False),
    Column("date", String(10), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("payer_account", String(40), nullable=True),
    Column("payer_name", String(100), nullable=True),
    Column("memo", String(200), nullable=True),
    Column("outcome", String(10), nullable=False),         # matched | returned | debit
    Column("reason", String(30), nullable=True),
    Column("remittance_id", String(36), nullable=True, index=True),
    Column("employer_id", String(36), nullable=True, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("ix_bank_lines_region_outcome", bank_lines.c.region, bank_lines.c.outcome)

# 缴款历史补录: past payments of chosen employees, entered by the employer, reviewed by the bureau
backfills = Table(
    "backfills", metadata,
    Column("id", String(36), primary_key=True),
    Column("employer_id", String(36), nullable=False, index=True),
    Column("region", String(6), nullable=False),
    Column("status", String(20), nullable=False),          # pending | approved | returned
    Column("rows", Json, nullable=False),
    Column("total_fen", BigInteger, nullable=False),
    Column("attachments", Json, nullable=False),
    Column("reason", String(500), nullable=True),
    Column("submitted_by", String(36), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("opinion", String(500), nullable=True),
    Column("decided_by", String(36), nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
)
Index("ix_backfills_region_status", backfills.c.region, backfills.c.status)

# 支取申请
withdrawals = Table(
    "withdrawals", metadata,
    Column("id", String(36), primary_key=True),
    Column("employee_id", String(36), nullable=False, index=True),
    Column("employer_id", String(36), nullable=False, index=True),
    Column("region", String(6), nullable=False),
    Column("reason_code", String(2), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("payee_name", String(100), nullable=False),
    Column("payee_bank", String(100), nullable=False),
    Column("payee_account", String(30), nullable=False),
    Column("note", String(500), nullable=True),
    Column("attachments", Json, nullable=False),
    Column("status", String(20), nullable=False),          # pending | approved | rejected | paid
    Column("submitted_by", String(36), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("opinion", String(500), nullable=True),
    Column("decided_by", String(36), nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("paid_at", DateTime(timezone=True), nullable=True),
)
Index("ix_withdrawals_region_status", withdrawals.c.region, withdrawals.c.status)
