"""Seed the demo city's policy (standards per degree, maximum months): data, not constants."""
from __future__ import annotations

import sys

from sqlalchemy import select

from shared.seeding import seed_cli, system_tx
from subsidy_review import use_cases
from subsidy_review.adapters.orm import policies, stage_limits


def seed(url: str, demo: dict) -> bool:
    """Set the demo city's policy and stage time limits unless they exist; True when the policy was created."""
    policy = demo.get("policy")
    if not policy:
        return False
    with system_tx(url, "subsidy_review") as tx:
        if not tx.session.execute(select(stage_limits.c.city).where(stage_limits.c.city == policy["city"])).first() \
                and policy.get("stage_limits"):
            use_cases.set_stage_limits(tx, policy["city"], [{"stage": int(k), "working_days": int(v)}
                                                            for k, v in policy["stage_limits"].items()],
                                       str(policy["effective_from"]))
        if tx.session.execute(select(policies.c.city).where(policies.c.city == policy["city"])).first():
            return False
        use_cases.set_policy(tx, policy["city"], dict(policy["standards_fen"]), int(policy["max_months"]),
                             str(policy["effective_from"]))
    return True


def main(argv: list[str] | None = None) -> int:
    return seed_cli("subsidy_review", seed, argv)


if __name__ == "__main__":
    sys.exit(main())
