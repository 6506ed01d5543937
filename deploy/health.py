"""``python -m deploy.health <service> [--timeout S]``: exit 0 when ``service`` answers its health RPC
(running, consuming its RPC queue, database reachable) within the timeout, else 1 with the reason.
Container health checks use it (docker-compose.yml) with the gateway's broker user, the one role that
may make RPC calls, and Kubernetes readiness probes (deploy/k8s) with ``HEALTH_AMQP_URI`` (such a user's
URI; ``AMQP_URI`` when unset); ``python -m deploy.health gateway`` asks the gateway's ``/healthz`` instead."""
from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request


def check(service: str, timeout: float) -> dict:
    if service == "gateway":
        url = os.environ.get("GATEWAY_HEALTH_URL", "http://127.0.0.1:8000/healthz")
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return json.loads(response.read())
    from nameko.standalone.rpc import ClusterRpcProxy

    uri = os.environ.get("HEALTH_AMQP_URI") or os.environ["AMQP_URI"]
    with ClusterRpcProxy({"AMQP_URI": uri}, timeout=timeout) as cluster:
        return getattr(cluster, service).health()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="deploy.health", description=__doc__.splitlines()[0])
    parser.add_argument("service")
    parser.add_argument("--timeout", type=float, default=5.0)
    args = parser.parse_args(argv)
    try:
        answer = check(args.service, args.timeout)
    except Exception as exc:  # noqa: BLE001 - any failure is "unhealthy", said in one line
        print(f"{args.service}: unhealthy: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(answer, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
