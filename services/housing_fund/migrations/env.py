from housing_fund.adapters.orm import metadata
from shared.db.alembic_env import run

run("housing_fund", metadata)
