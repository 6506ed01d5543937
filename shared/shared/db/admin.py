"""``platform-db``: create a service's database when missing and migrate it to the newest schema.

    platform-db ensure services/identity services/subsidy_review ...   # create + migrate
    platform-db create <service> | migrate <service dir> | drop <service>
    platform-db drop-templates                                          # the tests' migrated templates

Tests make many throwaway databases: ``clone_migrated`` copies a template database that ``migrated_template``
migrated once (``CREATE DATABASE ... TEMPLATE``, a fraction of a second) instead of running every
migration again. A template's name carries a digest of the migrations and of ``shared.db``, so a changed
migration gets a new template; ``PLATFORM_DB_TEMPLATES=1`` makes ``ensure`` clone too (the test stacks).

The database name and server come from ``shared.db.engine`` (``<SERVICE>_DATABASE_URL`` or
``DATABASE_URL`` + ``DATABASE_PREFIX``), the same rules the services use at run time.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, exc, text
from sqlalchemy.engine import Connection, Engine, make_url

from shared.db.engine import database_url

if TYPE_CHECKING:
    from alembic.config import Config


def _maintenance_engine(url: str) -> Engine:
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


def alembic_config(service_dir: Path, url: str | None = None) -> Config:
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


TEMPLATE_PREFIX = "tpl_"
SHARED_DB = Path(__file__).resolve().parent


def _schema_digest(service_dir: Path) -> str:
    """What decides a migrated schema: the service's migrations and the shared migration helpers."""
    service_dir = Path(service_dir).resolve()
    digest = hashlib.sha256()
    files = sorted((service_dir / "migrations").rglob("*.py")) + sorted(SHARED_DB.glob("*.py"))
    for path in files:
        if "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(path.parents[1])).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def template_name(service_dir: Path) -> str:
    return f"{TEMPLATE_PREFIX}{service_name(service_dir)}_{_schema_digest(service_dir)}"


def _exists(conn: Connection, name: str | None) -> bool:
    return conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is not None


def migrated_template(service_dir: Path, url: str) -> str:
    """The name of a database on ``url``'s server migrated to the service's newest schema and never
    connected to afterwards; made (under a temporary name, renamed when complete) when missing.
    Concurrent test runs may race: the loser of the rename drops its copy and uses the winner's."""
    name = template_name(service_dir)
    engine = _maintenance_engine(url)
    try:
        with engine.connect() as conn:
            if _exists(conn, name):
                return name
        scratch = f"{name}_{uuid.uuid4().hex[:8]}"
        scratch_url = make_url(url).set(database=scratch).render_as_string(hide_password=False)
        create_database(scratch, scratch_url)
        try:
            migrate(service_dir, scratch_url)
            with engine.connect() as conn:
                if not _exists(conn, name):
                    conn.execute(text(f'ALTER DATABASE "{scratch}" RENAME TO "{name}"'))
        except exc.ProgrammingError:  # another run renamed its copy first
            pass
        finally:
            drop_database("", scratch_url)  # gone already when renamed
        return name
    finally:
        engine.dispose()


def clone_migrated(service_dir: Path, url: str) -> None:
    """Create the database of ``url`` (absent) as a copy of the service's migrated template."""
    template = migrated_template(service_dir, url)
    engine = _maintenance_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{make_url(url).database}" TEMPLATE "{template}"'))
    finally:
        engine.dispose()


def drop_templates(url: str | None = None) -> list[str]:
    """Drop every template database ``migrated_template`` made (they are kept between runs)."""
    url = url or database_url("postgres")
    engine = _maintenance_engine(url)
    try:
        with engine.connect() as conn:
            names = [r[0] for r in conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                                                {"p": TEMPLATE_PREFIX + "%"})]
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        return names
    finally:
        engine.dispose()


def ensure(service_dir: Path, url: str | None = None) -> None:
    name = service_name(service_dir)
    url = url or database_url(name)
    if os.environ.get("PLATFORM_DB_TEMPLATES") == "1":  # test stacks: copy the migrated template
        engine = _maintenance_engine(url)
        try:
            with engine.connect() as conn:
                missing = not _exists(conn, make_url(url).database)
        finally:
            engine.dispose()
        if missing:
            clone_migrated(service_dir, url)
            print(f"{name}: database {make_url(url).database} copied from {template_name(service_dir)}")
            return
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
    sub.add_parser("drop-templates")
    args = parser.parse_args(argv)
    if args.cmd == "ensure":
        for directory in args.service_dirs:
            ensure(directory)
    elif args.cmd == "create":
        create_database(args.service)
    elif args.cmd == "drop":
        drop_database(args.service)
    elif args.cmd == "drop-templates":
        print("\n".join(drop_templates()) or "no template databases")
    else:
        migrate(args.service_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
