from publicity_assessment.adapters.orm import metadata
from shared.db.alembic_env import run

run("publicity_assessment", metadata)
