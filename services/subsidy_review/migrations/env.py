from shared.db.alembic_env import run
from subsidy_review.adapters.orm import metadata

run("subsidy_review", metadata)
