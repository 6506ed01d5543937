"""Fuzzing in `make test` (issue 9): schemathesis against the running stack, every operation of the
OpenAPI document with bounded examples (FUZZ_EXAMPLES, valid and invalid requests), as three roles
and without a token: no 5xx, no 2xx body breaking its documented schema, every 4xx the platform's
error body. Known defects of issue 9 (being fixed elsewhere) make it an expected failure that names
them; see tests/security/fuzz.py."""
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from deploy.stack import ROOT
from tests.e2e.walk import PASSWORD, City, open_account
from tests.security.fuzz import Fuzzer

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


@pytest.mark.timeout(900)
def test_no_input_gets_a_5xx_or_an_undocumented_answer(platform, openapi, fuzz_callers, capsys):
    fuzzer = Fuzzer(platform.config.gateway_url, openapi)
    started = time.monotonic()
    with ThreadPoolExecutor(len(fuzz_callers)) as pool:
        list(pool.map(lambda caller: fuzzer.fuzz(*caller), fuzz_callers))
    unknown, known = fuzzer.report()
    artefacts = ROOT / "test-artefacts"
    artefacts.mkdir(exist_ok=True)
    (artefacts / "fuzz_findings.txt").write_text(
        "\n".join(f"{f.defect or 'UNKNOWN'}\n  {f.line()}" for f in fuzzer.findings) + "\n", encoding="utf-8")
    with capsys.disabled():
        print(f"\nfuzz: {fuzzer.requests_made} requests in {time.monotonic() - started:.0f} s, "
              f"{fuzzer.examples} examples per operation and caller; statuses {sorted(fuzzer.statuses.items())}")
        for defect, findings in known.items():
            print(f"  known defect ({len(findings)}x): {defect}\n    e.g. {findings[0].line()}")
    assert fuzzer.requests_made > 0
    assert not unknown, f"{len(unknown)} failures:\n" + "\n".join(f.line() for f in unknown[:30])
    if known:
        pytest.xfail("known defects still present: " + "; ".join(sorted(known)))


@pytest.mark.xfail(reason="issue 9 item 12: the OpenAPI error schema ({code, status, message, errors}) matches "
                          "no real error body ({error: {code, message, details}})", strict=False)
def test_the_documented_error_schema_is_the_real_error_body(openapi):
    response = openapi["components"]["responses"]["DEFAULT_ERROR"]
    schema = response["content"]["application/json"]["schema"]
    if "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    assert "error" in schema.get("properties", {}), schema
    assert schema.get("required") and "error" in schema["required"]
