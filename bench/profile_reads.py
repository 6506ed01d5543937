"""Where one read's time goes (prints, never asserts): the platform started as ``bench.reads`` starts it,
N applications bulk-loaded, then for each read of the benchmark, one client alone:

- the gateway in this process (``create_app()`` with the stack's environment, Flask's test client, the
  real RPC pool to the running services) under cProfile: wall ms per request and the gateway's own
  functions by total time (time spent waiting for RPC replies shows under the proxy's wait);
- subsidy_review's query in this process (``PlatformApi.run`` on the stack's database, the caller's
  token: verification, revocation, the use case, no AMQP) under cProfile: ms per call and where.

    .venv/bin/python -m bench.profile_reads --applications 10000 --requests 50
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pipeline import pct, platform  # noqa: E402
from bench.reads import COUNTIES, DEMO_UNITS, login  # noqa: E402
from deploy.stack import environ  # noqa: E402


def top(profile: cProfile.Profile, lines: int, sort: str) -> str:
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(sort).print_stats(lines)
    return "\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip())


def profiled(run, requests: int) -> tuple[list[float], cProfile.Profile]:
    for _ in range(5):
        run()
    profile, wall = cProfile.Profile(), []
    for _ in range(requests):
        start = time.perf_counter()
        profile.enable()
        run()
        profile.disable()
        wall.append((time.perf_counter() - start) * 1000)
    return wall, profile


def service_api(stack, token: str):
    """subsidy_review's PlatformApi in this process, on the stack's database, as the token's caller."""
    from shared.auth.tokens import TokenVerifier
    from shared.clock import clock_from_env
    from shared.db.engine import database_url, make_engine
    from shared.service import Platform, PlatformApi
    provider = Platform.__new__(Platform)
    provider.engine = make_engine(database_url("subsidy_review"), pool_size=5)
    provider.clock, provider.service_name, provider._started = clock_from_env(), "subsidy_review", {}
    provider.verifier = TokenVerifier(str(stack.config.var_dir / "keys" / "jwks.json"), clock=provider.clock)
    provider.relay = types.SimpleNamespace(wake=lambda: None)

    def call(method: str, *args):
        from subsidy_review.entrypoints.service import SubsidyReviewService
        ctx = types.SimpleNamespace(call_id="p", data={"authorization": f"Bearer {token}"},
                                    entrypoint=types.SimpleNamespace(method_name=method))
        api = PlatformApi(provider, ctx)
        service = SubsidyReviewService()
        service.platform = api
        return getattr(service, method)(*args)
    return call


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", "-n", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--lines", type=int, default=25)
    parser.add_argument("--only", default="", help="comma-separated labels' first words to keep")
    args = parser.parse_args(argv)
    with platform("prf") as stack:
        from bench.loader import load
        loaded = load(applications=args.applications, counties=COUNTIES, units_per_county=40, city="440700",
                      extra_units=DEMO_UNITS)
        base = stack.config.gateway_url
        tokens = {u: login(base, u) for u in ("rsj440703", "rsj440700", "dw_demo")}
        long_id = loaded["long_application_id"]
        reads = [  # label, user, URL, subsidy_review's method and arguments (None: not profiled there)
            ("todos county", "rsj440703", "/api/v1/todos", None),
            ("todos unit", "dw_demo", "/api/v1/todos", None),
            ("list city", "rsj440700", "/api/v1/applications?page=1&page_size=20",
             ("list_applications", {}, 1, 20)),
            ("statistics city", "rsj440700", "/api/v1/application-statistics", ("statistics", {})),
            ("timeline", "rsj440703", f"/api/v1/applications/{long_id}/timeline", ("timeline", long_id)),
        ]
        wanted = [w for w in args.only.split(",") if w]
        with environ(stack.config.env()):
            os.environ.setdefault("JWT_JWKS_FILE", str(stack.config.var_dir / "keys" / "jwks.json"))
            from gateway.app import create_app
            client = create_app().test_client()
            for label, user, url, method in reads:
                if wanted and label.split()[0] not in wanted:
                    continue
                headers = {"Authorization": f"Bearer {tokens[user]}"}

                def get(url=url, headers=headers):
                    response = client.get(url, headers=headers)
                    assert response.status_code == 200, response.get_data(as_text=True)[:300]
                wall, profile = profiled(get, args.requests)
                print(f"\n== gateway in process, {label}: {url}  p50 {pct(wall, 50):.1f} ms p99 {pct(wall, 99):.1f} "
                      f"ms (one client, under cProfile)\n{top(profile, args.lines, 'tottime')}")
                if method:
                    call = service_api(stack, tokens[user])
                    wall, profile = profiled(lambda method=method, call=call: call(*method), args.requests)
                    print(f"\n== subsidy_review in process, {label}: {method[0]}  p50 {pct(wall, 50):.1f} ms "
                          f"p99 {pct(wall, 99):.1f} ms (no AMQP, under cProfile)")
                    print(top(profile, args.lines, "tottime"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
