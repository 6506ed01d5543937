from org_confirmation.adapters.orm import metadata
from shared.db.alembic_env import run

run("org_confirmation", metadata)
