from event_feed.adapters.orm import metadata
from shared.db.alembic_env import run

run("event_feed", metadata)
