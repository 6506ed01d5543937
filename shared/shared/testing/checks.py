"""Checks every service's tests make the same way."""
from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine


def migration_drift(database_url: str, *models: MetaData, compare_type: bool = True) -> list[Any]:
    """What differs between a database migrated by the service's alembic revisions and its ORM
    ``models`` (tables, columns, indexes and, with ``compare_type``, column types); alembic's own
    version table aside. ``[]`` when the migrations create exactly the tables of the models."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": compare_type})
            diff = compare_metadata(context, list(models))  # type: ignore[arg-type]  # alembic takes a list too
    finally:
        engine.dispose()
    return [d for d in diff if not (d[0] == "remove_table" and d[1].name.startswith("alembic_version"))]
