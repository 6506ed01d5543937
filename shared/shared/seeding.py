"""Seeding and maintenance scripts: a unit of work acting as the service itself, and the common
``<service>-seed --demo deploy/demo/city.yaml`` command line."""
from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from shared.auth.principal import Principal
from shared.clock import clock_from_env
from shared.db.engine import database_url, make_engine
from shared.service import Tx

DEFAULT_DEMO = Path(__file__).resolve().parents[2] / "deploy" / "demo" / "city.yaml"


@contextmanager
def system_tx(url: str, service: str) -> Iterator[Tx]:
    """One transaction on ``service``'s database as the service itself (no user), committed on exit.
    Events written with ``tx.emit`` go out through the outbox once the service runs."""
    engine = make_engine(url, pool_size=1, application_name=f"{service}-seed")
    try:
        with Session(engine) as session, session.begin():
            yield Tx(session=session, principal=Principal.system(service), service=service, clock=clock_from_env())
    finally:
        engine.dispose()


def load_demo(path: Path = DEFAULT_DEMO) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return data


def seed_cli(service: str, seed: Callable[[str, dict[str, Any]], Any], argv: list[str] | None = None) -> int:
    """``<service>-seed [--demo FILE]``: run ``seed(url, demo)`` on the service's database."""
    parser = argparse.ArgumentParser(prog=f"{service.replace('_', '-')}-seed",
                                     description=f"create {service}'s demo data where missing (idempotent)")
    parser.add_argument("--demo", type=Path, default=DEFAULT_DEMO)
    args = parser.parse_args(argv)
    result = seed(database_url(service), load_demo(args.demo))
    print(f"{service}: {result}")
    return 0
