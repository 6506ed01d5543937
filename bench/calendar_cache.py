"""The holiday schedule a page render needs (gateway.holidays): what a list of applications or the home
page's counters paid for publicity_assessment's ``working_calendar`` (the four-year span) on each render
before the gateway kept it, and what it pays now.

Prints (never asserts). Starts identity and publicity_assessment as `make run` does, on their own vhost
and databases; the gateway runs in this process over the real RPC pool:

    .venv/bin/python -m bench.calendar_cache --renders 200
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bench.login import pct  # noqa: E402
from deploy.stack import Stack, StackConfig, free_port, services  # noqa: E402
from shared.clock import SystemClock  # noqa: E402
from shared.db import admin  # noqa: E402
from shared.db.engine import database_url  # noqa: E402
from shared.testing import rabbit  # noqa: E402


def timed(renders: int, once) -> list[float]:
    out = []
    for _ in range(renders):
        start = time.perf_counter()
        once()
        out.append((time.perf_counter() - start) * 1000)
    return out


def measure(config: StackConfig, renders: int) -> tuple[list[float], list[float]]:
    from gateway import holidays
    from gateway.app import create_app
    from gateway.config import Settings
    from gateway.context import begin_request

    demo = yaml.safe_load(config.demo_file.read_text(encoding="utf-8"))
    app = create_app(Settings(amqp_uri=config.amqp_uri, jwks_file=str(config.var_dir / "keys" / "jwks.json"),
                              secret_key=config.gateway_secret(), secure_cookies=False))
    login = app.test_client().post("/api/v1/auth/login", json={"username": "admin", "password": demo["password"]})
    assert login.status_code == 200, login.get_data(as_text=True)
    year = SystemClock().today_local().year
    span = (f"{year - 2}-01-01", f"{year + 1}-12-31")     # the span every list and counter asks
    cache = app.extensions["calendar_cache"]
    with app.test_request_context("/portal/applications",
                                  headers={"Authorization": "Bearer " + login.json["access_token"]}):
        begin_request()
        for _ in range(20):          # warm the pool's proxies and the service's connections
            cache.clear()
            holidays.working_calendar(*span)

        def before():               # every render asked the service
            cache.clear()
            holidays.working_calendar(*span)
        asked = timed(renders, before)
        holidays.working_calendar(*span)
        kept = timed(renders, lambda: holidays.working_calendar(*span))
    return asked, kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=200)
    args = parser.parse_args(argv)
    vhost = rabbit.create_vhost("benchcal")
    prefix = f"benchcal_{uuid.uuid4().hex[:6]}_"
    os.environ["DATABASE_PREFIX"] = prefix
    config = StackConfig(amqp_uri=rabbit.uri(vhost), db_prefix=prefix, var_dir=ROOT / "var" / f"bench-{prefix}",
                         gateway_port=free_port(), echo=False, broker_users=False)
    stack = Stack(config)
    try:
        print(f"starting identity and publicity_assessment (vhost {vhost}, databases {prefix}*) ...", flush=True)
        stack.prepare()
        stack.start(["identity", "publicity_assessment"], timeout=120)
        os.environ["PLATFORM_VAR_DIR"] = str(config.var_dir)
        asked, kept = measure(config, args.renders)
    finally:
        stack.stop()
        rabbit.delete_vhost(vhost)
        for service in services():
            admin.drop_database(service, database_url(service))
    print(f"\n== the holiday schedule of one page render ({args.renders} renders each, {os.cpu_count()} CPUs)")
    print(f"   asked every render (before)  p50 {pct(asked, 50):7.2f} ms   p90 {pct(asked, 90):7.2f} ms   "
          f"mean {sum(asked) / len(asked):7.2f} ms")
    print(f"   kept by the gateway (now)    p50 {pct(kept, 50):7.3f} ms   p90 {pct(kept, 90):7.3f} ms   "
          f"mean {sum(kept) / len(kept):7.3f} ms")
    print(f"   saved per render             p50 {pct(asked, 50) - pct(kept, 50):7.2f} ms "
          f"(one RPC to publicity_assessment; the first render after the ttl or an edit still pays it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
