"""The body of every service's ``migrations/env.py``: one alembic tree per service, targeting the
service's own metadata plus the platform tables, against the service's own database."""
from __future__ import annotations

from alembic import context
from sqlalchemy import MetaData

from shared.db import tables
from shared.db.engine import database_url, make_engine


def run(service: str, metadata: MetaData) -> None:
    config = context.config
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url") or database_url(service)
    target = [metadata, tables.metadata]
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target, literal_binds=True,
                          version_table=f"alembic_version_{service}")
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url, pool_size=1, application_name=f"{service}-migrate")
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target, compare_type=True,
                          version_table=f"alembic_version_{service}")
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
