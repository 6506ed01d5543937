from identity.adapters.orm import metadata
from shared.db.alembic_env import run

run("identity", metadata)
