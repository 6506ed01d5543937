"""housing_fund: every round of a remittance (a returned remittance is corrected and resubmitted)

Revision ID: 0005_remittance2
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005_remittance2"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
S = sa.String


def upgrade() -> None:
    op.add_column("remittances", sa.Column("round", sa.Integer(), nullable=False, server_default=sa.text("1")))
    op.create_table(
        "remittance_rounds",
        sa.Column("remittance_id", S(36), primary_key=True), sa.Column("round", sa.Integer(), primary_key=True),
        sa.Column("mode", S(10), nullable=False), sa.Column("back_pay_kind", S(10)),
        sa.Column("month_from", S(6), nullable=False), sa.Column("month_to", S(6), nullable=False),
        sa.Column("total_fen", sa.BigInteger(), nullable=False), sa.Column("employee_count", sa.Integer(), nullable=False),
        sa.Column("lines", JSONB(), nullable=False), sa.Column("submitted_by", S(36), nullable=False),
        sa.Column("submitted_at", TS, nullable=False), sa.Column("decision", S(20)), sa.Column("opinion", S(500)),
        sa.Column("decided_by", S(36)), sa.Column("decided_at", TS))
    # the remittances submitted before: their one round, as submitted and decided
    op.execute("""
        INSERT INTO remittance_rounds (remittance_id, round, mode, back_pay_kind, month_from, month_to, total_fen,
                                       employee_count, lines, submitted_by, submitted_at, decision, opinion,
                                       decided_by, decided_at)
        SELECT r.id, 1, r.mode, r.back_pay_kind, r.month_from, r.month_to, r.total_fen, r.employee_count,
               coalesce((SELECT jsonb_agg(jsonb_build_object('employee_id', l.employee_id, 'month', l.month,
                                                             'amount_fen', l.amount_fen, 'overridden', l.overridden)
                                          ORDER BY l.seq)
                         FROM remittance_lines l WHERE l.remittance_id = r.id), '[]'::jsonb),
               r.submitted_by, r.submitted_at,
               CASE WHEN r.status = 'returned' THEN 'returned' WHEN r.status IN ('approved', 'paid') THEN 'approved' END,
               r.opinion, r.decided_by, r.decided_at
        FROM remittances r""")


def downgrade() -> None:
    op.drop_table("remittance_rounds")
    op.drop_column("remittances", "round")
