"""subsidy_review: when the stay each application still waits in began, indexed per area (issue 15)

A to-do counter's 其中超时 read the timeline of every waiting application in the caller's area on each
request (8,000 paths for a county at 100,000 applications). ``applications.waiting_since`` is now kept
by the write paths (subsidy_review/adapters/waiting.py) and the counter reads an index of (area,
status, waiting_since). Existing rows are filled here by the same rule, in SQL.

Revision ID: 0014_waiting_since
Revises: 0013_bank_account_time
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_waiting_since"
down_revision = "0013_bank_account_time"
branch_labels = None
depends_on = None

AREAS = (("unit", "unit_id"), ("county", "county"), ("city", "city"))
#: the stage each non-final status waits at (shared/contracts/statuses.py as of this migration)
WAITING_STAGE = {"pending_unit_review": 2, "unit_returned": 1, "pending_report": 3, "pending_county_review": 4,
                 "county_returned": 1, "county_approved": 5, "in_publicity": 5, "publicity_passed": 6,
                 "assessment_passed": 7, "pending_county_org": 8, "county_org_confirmed": 9, "city_aggregated": 10,
                 "city_org_confirmed": 11, "funds_released": 12, "paid": 13, "payment_failed": 12,
                 "payment_returned": 12, "receipt_disputed": 13}

FILL = """
WITH w AS (
  SELECT a.id, s.stage,
    (SELECT t.stage FROM timeline t WHERE t.application_id = a.id ORDER BY t.at DESC, t.id DESC LIMIT 1) AS last_stage,
    (SELECT t.at FROM timeline t WHERE t.application_id = a.id ORDER BY t.at DESC, t.id DESC LIMIT 1) AS last_at,
    (SELECT t.at FROM timeline t WHERE t.application_id = a.id AND t.stage <> s.stage
      ORDER BY t.at DESC, t.id DESC LIMIT 1) AS other_at,
    (SELECT t.at FROM timeline t WHERE t.application_id = a.id ORDER BY t.at, t.id LIMIT 1) AS first_at
  FROM applications a JOIN (VALUES {values}) AS s(status, stage) ON s.status = a.status
)
UPDATE applications a
SET waiting_since = CASE WHEN w.last_stage = w.stage THEN coalesce(w.other_at, w.first_at) ELSE w.last_at END
FROM w WHERE w.id = a.id
"""


def upgrade() -> None:
    op.add_column("applications", sa.Column("waiting_since", sa.DateTime(timezone=True), nullable=True))
    values = ", ".join(f"('{status}', {stage})" for status, stage in WAITING_STAGE.items())
    op.execute(FILL.format(values=values))
    for area, column in AREAS:
        op.create_index(f"ix_applications_{area}_waiting", "applications", [column, "status", "waiting_since"],
                        postgresql_include=[] if area == "city" else ["city"])


def downgrade() -> None:
    for area, _column in AREAS:
        op.drop_index(f"ix_applications_{area}_waiting", table_name="applications")
    op.drop_column("applications", "waiting_since")
