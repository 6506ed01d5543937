from shared.db.alembic_env import run
from unit_registry.adapters.orm import metadata

run("unit_registry", metadata)
