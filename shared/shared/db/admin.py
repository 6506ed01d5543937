"""``platform-db``: create a service's database when missing and migrate it to the newest schema.

    platform-db ensure services/identity services/subsidy_review ...   # create + migrate
    platform-db create <service> | migrate <service dir> | drop <service>

The database name and server come from ``shared.db.engine`` (``<SERVICE>_DATABASE_URL`` or
``DATABASE_URL`` + ``DATABASE_PREFIX``), the same rules the services use at run time.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from shared.db.engine import database_url


def _maintenance_engine(url: str):
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def create_database(service: str, url: str | None = None) -> bool:
    """Create the service's database if it does not exist; True when it was created."""
    url = url or database_url(service)
    name = make_url(url).database
    engine = _maintenance_engine(url)
    try:
        with engine.connect() as conn:
            if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
                return False
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            return True
    finally:
        engine.dispose()


def drop_database(service: str, url: str | None = None) -> None:
    url = url or database_url(service)
    name = make_url(url).database
    engine = _maintenance_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


def alembic_config(service_dir: Path, url: str | None = None):
    from alembic.config import Config

    service_dir = Path(service_dir).resolve()
    cfg = Config(str(service_dir / "alembic.ini"))
    cfg.set_main_option("script_location", str(service_dir / "migrations"))
    if url:
        cfg.attributes["database_url"] = url
    return cfg


def migrate(service_dir: Path, url: str | None = None, revision: str = "heads") -> None:
    """``alembic upgrade heads`` for the service in ``service_dir`` ("heads": migrations added on
    parallel branches with the same parent both apply, e.g. platform_v2 beside a service's own 0002)."""
    from alembic import command

    command.upgrade(alembic_config(service_dir, url), revision)


def service_name(service_dir: Path) -> str:
    return Path(service_dir).resolve().name


def ensure(service_dir: Path, url: str | None = None) -> None:
    name = service_name(service_dir)
    url = url or database_url(name)
    created = create_database(name, url)
    migrate(service_dir, url)
    print(f"{name}: database {make_url(url).database} {'created and ' if created else ''}migrated")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="platform-db", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("ensure").add_argument("service_dirs", nargs="+", type=Path)
    sub.add_parser("create").add_argument("service")
    sub.add_parser("drop").add_argument("service")
    sub.add_parser("migrate").add_argument("service_dir", type=Path)
    args = parser.parse_args(argv)
    if args.cmd == "ensure":
        for directory in args.service_dirs:
            ensure(directory)
    elif args.cmd == "create":
        create_database(args.service)
    elif args.cmd == "drop":
        drop_database(args.service)
    else:
        migrate(args.service_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
