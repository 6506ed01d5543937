"""Seed the demo city's policy (standards per degree, maximum months): data, not constants."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.auth.principal import Principal
from shared.clock import clock_from_env
from shared.db.engine import make_engine
from shared.service import Tx
from subsidy_review import use_cases
from subsidy_review.adapters.orm import policies


def seed(url: str, demo: dict) -> None:
    policy = demo.get("policy")
    if not policy:
        return
    engine = make_engine(url, pool_size=1, application_name="subsidy_review-seed")
    try:
        with Session(engine) as session, session.begin():
            if session.execute(select(policies.c.city).where(policies.c.city == policy["city"])).first():
                return
            tx = Tx(session=session, principal=Principal.system("subsidy_review"), service="subsidy_review",
                    clock=clock_from_env())
            use_cases.set_policy(tx, policy["city"], dict(policy["standards_fen"]), int(policy["max_months"]),
                                 str(policy["effective_from"]))
    finally:
        engine.dispose()
