"""Health, readiness, the event catalogue (AsyncAPI) and the token keys (JWKS)."""
import json
import os
from pathlib import Path

from flask import Blueprint, current_app, jsonify

from shared import contracts
from shared.messaging.amqp import connect

bp = Blueprint("meta", __name__)

SERVICES = ["identity", "unit_registry", "subsidy_review", "publicity_assessment", "org_confirmation",
            "finance_disbursement", "housing_fund", "event_feed"]


@bp.get("/healthz")
def healthz():
    """Alive: the process answers."""
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    """Ready: the broker answers and each service answers its health RPC (database reachable)."""
    checks, ready = {}, True
    restarts = {"gateway": int(os.environ.get("PLATFORM_RESTARTS", "0"))}
    try:
        conn = connect(current_app.config["AMQP_URI"], timeout=3)
        conn.release()
        checks["broker"] = "ok"
    except Exception as exc:  # noqa: BLE001 - report, don't crash
        checks["broker"], ready = f"unavailable: {type(exc).__name__}", False
    pool = current_app.extensions["rpc_pool"]
    for service in current_app.config["READY_SERVICES"]:
        try:
            answer = pool.call(service, "health", context={})
            checks[service] = "ok"
            restarts[service] = int((answer or {}).get("restarts", 0))
        except Exception as exc:  # noqa: BLE001
            checks[service], ready = f"unavailable: {getattr(exc, 'code', type(exc).__name__)}", False
    body = {"status": "ready" if ready else "not_ready", "checks": checks, "restarts": restarts}
    return jsonify(body), 200 if ready else 503


@bp.get("/metrics")
def metrics():
    """Prometheus metrics of the gateway (operators only: gateway/gateway/metrics.py)."""
    from gateway import metrics as gateway_metrics
    return gateway_metrics.exposition()


@bp.get("/api/v1/asyncapi.json")
def asyncapi():
    """The event catalogue for integrators."""
    return jsonify(contracts.asyncapi())


@bp.get("/.well-known/jwks.json")
def jwks():
    return jsonify(json.loads(Path(current_app.config["JWT_JWKS_FILE"]).read_text()))
