"""Fuzzing in `make test` (issue 9): schemathesis against the running stack, every operation of the
OpenAPI document as three roles and without a token, bounded examples (FUZZ_EXAMPLES, default 2; valid
and invalid requests) plus the hostile cases of issue 9 once per operation: no 5xx, no 2xx body breaking
its documented schema, every 4xx the platform's error body. Any finding fails; see tests/security/fuzz.py."""
import time
import uuid

import pytest
import requests

from deploy.stack import ROOT
from tests.e2e.walk import PASSWORD, City, open_account
from tests.security import matrix
from tests.security.fuzz import UNSCOPED_BULK, Fuzzer

OWN_UNIT = "6f1c2a10-0000-4000-8000-000000000001"


@pytest.fixture(scope="module")
def openapi(platform):
    return requests.get(platform.config.gateway_url + "/api/v1/openapi.json", timeout=30).json()


@pytest.fixture(scope="module")
def fuzz_callers(platform):
    """Fresh accounts (a fuzzer changes its own profile and password attempts; the demo accounts stay
    as the other tests expect them): an individual, a unit admin and a county HRSS of 440703."""
    admin = City(platform.config.gateway_url).city("admin")
    callers = [("anonymous", None)]
    for role, extra in (("individual", {"unit_id": OWN_UNIT}), ("unit_admin", {"unit_id": OWN_UNIT}),
                        ("county_hrss", {"region": "440703"})):
        username = f"fz{uuid.uuid4().hex[:10]}"
        open_account(platform.config.amqp_uri, admin.token,
                     {"username": username, "password": PASSWORD, "role": role, "name": "模糊测试", **extra})
        login = requests.post(platform.config.gateway_url + "/api/v1/auth/login", timeout=30,
                              json={"username": username, "password": PASSWORD})
        callers.append((role, login.json()["access_token"]))
    return callers


#: the fuzz callers' column in the authorisation matrix table (their accounts are of the same county/unit)
COLUMNS = {"individual": "individual:own", "unit_admin": "unit_admin:own", "county_hrss": "county_hrss:own"}


def hostile_caller(table: dict):
    """The caller whose hostile requests get furthest: a role the matrix table lets through (ok, or 400
    for a body the matrix sends empty), else no token for a public route, else the first role."""
    def choose(method: str, path: str) -> str:
        row = table.get(matrix.op_key(method, path), {})
        for caller, column in COLUMNS.items():
            if row.get(column) in ("ok", "400"):
                return caller
        return "anonymous" if row.get("anonymous") in ("ok", "400") else next(iter(COLUMNS))
    return choose


@pytest.mark.timeout(900)  # the stack may start inside it (run alone); a loaded machine is slow
def test_no_input_gets_a_5xx_or_an_undocumented_answer(platform, openapi, fuzz_callers, capsys):
    fuzzer = Fuzzer(platform.config.gateway_url, openapi)
    table, _ = matrix.load()
    started = time.monotonic()
    fuzzer.run(fuzz_callers, hostile_caller(table))
    elapsed = time.monotonic() - started
    artefacts = ROOT / "test-artefacts"
    artefacts.mkdir(exist_ok=True)
    (artefacts / "fuzz_findings.txt").write_text("\n".join(f.line() for f in fuzzer.findings) + "\n",
                                                 encoding="utf-8")
    operations = {label for label, _ in fuzzer.covered}
    with capsys.disabled():
        print(f"\nfuzz: {len(operations)} operations x {len(fuzz_callers)} callers "
              f"({', '.join(name for name, _ in fuzz_callers)}), {len(fuzzer.covered)} pairs covered, "
              f"{fuzzer.requests_made} requests in {elapsed:.0f} s ({fuzzer.examples} generated examples per "
              f"operation and caller + hostile cases), {fuzzer.server_errors} 5xx; statuses "
              f"{sorted(fuzzer.statuses.items())}")
    # every operation was sent as every caller (a logged-in one skips only logging itself out, and the
    # unscoped bulk approvals, which it gets only as the hostile cases of the caller the table lets through)
    expected = {(op.label, name) for op in fuzzer.operations() for name, token in fuzz_callers
                if not (token and (op.path.endswith("/auth/logout") or UNSCOPED_BULK.search(op.path)))}
    assert expected <= fuzzer.covered, f"not covered: {sorted(expected - fuzzer.covered)[:20]}"
    bulk = {op.label for op in fuzzer.operations() if UNSCOPED_BULK.search(op.path)}
    assert all(any(label == b and name != "anonymous" for label, name in fuzzer.covered) for b in bulk), \
        f"bulk approvals never sent as a logged-in caller: {sorted(bulk)}"
    failures = "\n".join(f.line() for f in fuzzer.findings[:30])
    assert not fuzzer.findings, f"{len(fuzzer.findings)} failures:\n{failures}"


def test_the_documented_error_schema_is_the_real_error_body(openapi, api):
    """Issue 9 item 12: the OpenAPI error schema is the body every error really has."""
    response = openapi["components"]["responses"]["DEFAULT_ERROR"]
    schema = response["content"]["application/json"]["schema"]
    schemas = openapi["components"]["schemas"]

    def resolve(s):
        return schemas[s["$ref"].rsplit("/", 1)[-1]] if "$ref" in s else s
    schema = resolve(schema)
    assert schema.get("required") == ["error"] and set(schema["properties"]) == {"error"}, schema
    inner = resolve(schema["properties"]["error"])
    assert {"code", "message"} <= set(inner.get("required", [])), inner
    assert set(inner["properties"]) == {"code", "message", "details"}, inner
    # and a real error body has exactly that shape
    body = api.get("/api/v1/applications").json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, body
    assert body["error"]["code"] == "auth.token_missing"          # no token at all
