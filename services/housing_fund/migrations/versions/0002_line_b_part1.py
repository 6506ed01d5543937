"""housing_fund line B part 1: registration, levels, employees, their changes, the ledger, transfers,
import runs

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)

LEDGER_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION housing_ledger_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'ledger is append-only';
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS housing_ledger_append_only ON ledger;
CREATE TRIGGER housing_ledger_append_only BEFORE UPDATE OR DELETE ON ledger
  FOR EACH ROW EXECUTE FUNCTION housing_ledger_append_only();
"""


def upgrade() -> None:
    op.add_column("employers", sa.Column("uscc", sa.String(18), nullable=True))
    op.add_column("employers", sa.Column("trade_code", sa.String(5), nullable=True))
    op.add_column("employers", sa.Column("source", sa.String(20), nullable=False, server_default=sa.text("'registered'")))
    op.add_column("employers", sa.Column("review_status", sa.String(20), nullable=False,
                                         server_default=sa.text("'approved'")))
    op.add_column("employers", sa.Column("round", sa.Integer(), nullable=False, server_default=sa.text("1")))
    op.add_column("employers", sa.Column("opinion", sa.String(500), nullable=True))
    op.add_column("employers", sa.Column("profile", JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")))
    op.add_column("employers", sa.Column("contact_mobile", sa.String(11), nullable=True))
    op.add_column("employers", sa.Column("attachments", JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")))
    op.add_column("employers", sa.Column("approved_at", TS, nullable=True))
    op.add_column("employers", sa.Column("initialised_at", TS, nullable=True))
    op.create_unique_constraint("uq_employers_uscc", "employers", ["uscc"])
    op.create_unique_constraint("uq_employers_trade_code", "employers", ["trade_code"])
    op.create_index("ix_employers_contact_mobile", "employers", ["contact_mobile"])
    op.create_index("ix_employers_review_status", "employers", ["review_status"])

    op.create_table(
        "employer_rounds",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("employer_id", sa.String(36), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("data", JSONB(), nullable=False),
        sa.Column("attachments", JSONB(), nullable=False),
        sa.Column("submitted_at", TS, nullable=False),
        sa.Column("decision", sa.String(20), nullable=True),
        sa.Column("opinion", sa.String(500), nullable=True),
        sa.Column("decided_by", sa.String(36), nullable=True),
        sa.Column("decided_by_name", sa.String(50), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_employer_rounds"),
    )
    op.create_index("ix_employer_rounds_employer_id", "employer_rounds", ["employer_id"])

    op.create_table(
        "employer_changes",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("employer_id", sa.String(36), nullable=False),
        sa.Column("region", sa.String(6), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("before", JSONB(), nullable=False),
        sa.Column("after", JSONB(), nullable=False),
        sa.Column("attachments", JSONB(), nullable=False),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("submitted_by", sa.String(36), nullable=False),
        sa.Column("submitted_at", TS, nullable=False),
        sa.Column("opinion", sa.String(500), nullable=True),
        sa.Column("decided_by", sa.String(36), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_employer_changes"),
    )
    op.create_index("ix_employer_changes_employer_id", "employer_changes", ["employer_id"])
    op.create_index("ix_employer_changes_region_status", "employer_changes", ["region", "status"])

    op.create_table(
        "levels",
        sa.Column("bureau", sa.String(6), nullable=False),
        sa.Column("code", sa.String(10), nullable=False),
        sa.Column("name", sa.String(30), nullable=False),
        sa.Column("monthly_fen", sa.BigInteger(), nullable=False),
        sa.Column("sort", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.text("true")),
        sa.Column("updated_at", TS, nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("bureau", "code", name="pk_levels"),
    )

    op.create_table(
        "employees",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("employer_id", sa.String(36), nullable=False),
        sa.Column("region", sa.String(6), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("id_type", sa.String(30), nullable=False),
        sa.Column("id_number", sa.String(30), nullable=False),
        sa.Column("mobile", sa.String(11), nullable=True),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("monthly_fen", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(2), nullable=False, server_default=sa.text("'01'")),
        sa.Column("start_month", sa.String(6), nullable=True),
        sa.Column("post", sa.String(50), nullable=True),
        sa.Column("account_id", sa.String(36), nullable=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("checked_at", TS, nullable=True),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_employees"),
        sa.UniqueConstraint("id_number", name="uq_employees_id_number"),
    )
    op.create_index("ix_employees_employer_status", "employees", ["employer_id", "status"])
    op.create_index("ix_employees_name", "employees", ["name"])

    op.create_table(
        "employee_changes",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("employee_id", sa.String(36), nullable=False),
        sa.Column("employer_id", sa.String(36), nullable=False),
        sa.Column("region", sa.String(6), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("business_code", sa.String(2), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("before", JSONB(), nullable=False),
        sa.Column("after", JSONB(), nullable=False),
        sa.Column("attachments", JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("effective_month", sa.String(6), nullable=True),
        sa.Column("by_account", sa.String(36), nullable=False),
        sa.Column("by_name", sa.String(50), nullable=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("opinion", sa.String(500), nullable=True),
        sa.Column("decided_by", sa.String(36), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_employee_changes"),
    )
    op.create_index("ix_employee_changes_employee_id", "employee_changes", ["employee_id"])
    op.create_index("ix_employee_changes_region_status", "employee_changes", ["region", "status"])

    op.create_table(
        "ledger",
        sa.Column("seq", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("employee_id", sa.String(36), nullable=False),
        sa.Column("employer_id", sa.String(36), nullable=False),
        sa.Column("business_code", sa.String(2), nullable=False),
        sa.Column("month", sa.String(6), nullable=True),
        sa.Column("periods", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("ref_type", sa.String(30), nullable=True),
        sa.Column("ref_id", sa.String(36), nullable=True),
        sa.Column("note", sa.String(200), nullable=True),
        sa.Column("at", TS, nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_ledger"),
    )
    op.create_index("ix_ledger_employee_id", "ledger", ["employee_id"])
    op.create_index("ix_ledger_employer_id", "ledger", ["employer_id"])
    op.execute(LEDGER_APPEND_ONLY)

    op.create_table(
        "transfers",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("employee_id", sa.String(36), nullable=False),
        sa.Column("from_employer_id", sa.String(36), nullable=False),
        sa.Column("to_employer_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("attachments", JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("requested_by", sa.String(36), nullable=False),
        sa.Column("requested_at", TS, nullable=False),
        sa.Column("opinion", sa.String(500), nullable=True),
        sa.Column("decided_by", sa.String(36), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("balance_fen", sa.BigInteger(), nullable=True),
        sa.Column("periods", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_transfers"),
    )
    op.create_index("ix_transfers_employee_id", "transfers", ["employee_id"])
    op.create_index("ix_transfers_from_employer_id", "transfers", ["from_employer_id"])
    op.create_index("ix_transfers_to_employer_id", "transfers", ["to_employer_id"])
    op.create_index("uq_transfers_pending_employee", "transfers", ["employee_id"], unique=True,
                    postgresql_where=sa.text("status = 'pending'"))

    op.create_table(
        "import_runs",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("owner", sa.String(36), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(200), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("summary", JSONB(), nullable=False),
        sa.Column("attachments", JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("by_account", sa.String(36), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_import_runs"),
    )
    op.create_index("uq_import_runs_kind_owner_sha", "import_runs", ["kind", "owner", "sha256"], unique=True)


def downgrade() -> None:
    for table in ("import_runs", "transfers", "ledger", "employee_changes", "employees", "levels",
                  "employer_changes", "employer_rounds"):
        op.drop_table(table)
    op.execute("DROP FUNCTION IF EXISTS housing_ledger_append_only()")
    op.drop_index("ix_employers_review_status", table_name="employers")
    op.drop_index("ix_employers_contact_mobile", table_name="employers")
    op.drop_constraint("uq_employers_trade_code", "employers")
    op.drop_constraint("uq_employers_uscc", "employers")
    for column in ("initialised_at", "approved_at", "attachments", "contact_mobile", "profile", "opinion", "round",
                   "review_status", "source", "trade_code", "uscc"):
        op.drop_column("employers", column)
