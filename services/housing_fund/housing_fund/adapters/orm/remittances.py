"""汇缴申请 / 缴费通知: remittances, their lines, rounds, holds, 指定汇缴 overrides, the monthly
reminders and the bureaus' receiving accounts."""
from sqlalchemy import BigInteger, Boolean, Column, DateTime, Index, Integer, String, Table, text

from housing_fund.adapters.orm.base import metadata
from shared.db.tables import Json

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
