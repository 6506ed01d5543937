from finance_disbursement.adapters.orm import metadata
from shared.db.alembic_env import run

run("finance_disbursement", metadata)
