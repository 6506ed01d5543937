"""The authorisation matrix: every operation of the OpenAPI document x every caller (each role of
``shared/shared/auth/roles.py`` logged in with a demo account of the record's own county or unit, and
of the other one, the record's owner, and no token), against real records of county 440703.

The expected table is ``tests/security/authz_matrix.csv`` (one row per operation, one column per
caller). A cell is what the caller got:
    401, 403, 404   refused (no/invalid token, wrong role, not found or outside jurisdiction)
    400             input refused before the caller's rights were shown (the body is deliberately empty)
    ok              got through: 2xx, or 409 (the record exists for this caller, its state forbids it)
    5xx             a server error (tried three times): never expected, always a failure
    n/a             no demo login for this role
``tests/e2e/test_authz_matrix.py`` runs it and fails on any cell more permissive than the table
(refused < 400 < ok); a tighter cell passes and is reported. Each run writes what it saw to
``test-artefacts/authz_matrix.actual.csv``; after reviewing it,

    python -m tests.security.matrix update        # prints the cell-by-cell diff, then rewrites the table

(refused when ``CI`` is set: the table is changed by a person, in a commit, never by the test run).
"""
from __future__ import annotations

import csv
import io
import os
import re
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests
import yaml

from shared.auth.roles import Role
from tests.support.http import session as http_session

ROOT = Path(__file__).resolve().parents[2]
TABLE = Path(__file__).with_name("authz_matrix.csv")
ACTUAL = ROOT / "test-artefacts" / "authz_matrix.actual.csv"
DEMO = yaml.safe_load((ROOT / "deploy" / "demo" / "city.yaml").read_text(encoding="utf-8"))
OWN_COUNTY, OTHER_COUNTY = "440703", "440704"
OWN_UNIT, OTHER_UNIT = "6f1c2a10-0000-4000-8000-000000000001", "6f1c2a10-0000-4000-8000-000000000002"
METHODS = ("get", "post", "put", "patch", "delete")
#: concurrent requests of the matrix run (the gateway serves 2 workers x 8 threads)
WORKERS = int(os.environ.get("MATRIX_WORKERS", "12"))
RANK = {"401": 0, "403": 0, "404": 0, "405": 0, "400": 1, "ok": 2, "5xx": 3, "n/a": -1}

#: Flask routes that are not API operations and so not in the OpenAPI document (with the reason)
UNDOCUMENTED_ROUTES = {
    "/api/v1/openapi.json": "the document itself",
    "/api/v1/asyncapi.json": "the event catalogue (its own document)",
    "/api/docs": "Swagger UI", "/api/docs/assets/{filename}": "Swagger UI assets",
}
#: operations that end the caller's session: run last, after every other operation
SESSION_ENDING = re.compile(r"/auth/logout$")
#: operations sent an empty body instead of a valid one: a valid body would change data the other tests
#: rely on (the city's policy and calendar, demo accounts' passwords, new applications of demo people)
EMPTY_BODY = {"POST /api/v1/auth/login", "POST /api/v1/auth/refresh", "POST /api/v1/me/password",
              "PUT /api/v1/me", "POST /api/v1/accounts", "POST /api/v1/individuals",
              "POST /api/v1/individuals/mine/resubmit", "POST /api/v1/applications",
              "PUT /api/v1/policies/{city}", "PUT /api/v1/publicity-policies/{city}",
              "PUT /api/v1/calendar-days/{day}", "PUT /api/v1/stage-limits/{city}",
              # a real 申报期 would close submissions to every other test of the stack
              "POST /api/v1/policies/{city}/windows",
              # the demo levels and employer statuses that the line B browser tests rely on
              "PUT /api/v1/housing-levels", "POST /api/v1/employers/{employer_id}/status"}


# --- callers ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Caller:
    name: str                 # column of the table
    username: str | None      # None: no token; "" : no demo login for this role
    password: str = ""


def callers(owner: tuple[str, str] | None = None, logins: dict[str, tuple[str, str]] | None = None) -> list[Caller]:
    """No token, then per role the demo login of the records' county/unit ("own") and of the other one
    ("other"); a city-level role has one login. ``owner`` = (username, password) of the records' owner;
    ``logins`` = column -> (username, password) for a column whose records' owner is not a demo login
    (line B: ``employer:own`` is the fresh employer whose records the matrix reads)."""
    out = [Caller("anonymous", None)]
    by_role: dict[str, list[dict]] = {}
    for account in DEMO["accounts"]:
        by_role.setdefault(account["role"], []).append(account)
    for role in Role:
        accounts = by_role.get(role.value, [])
        own = [a for a in accounts if a.get("region") == OWN_COUNTY or a.get("unit_id") == OWN_UNIT]
        other = [a for a in accounts if a.get("region") == OTHER_COUNTY or a.get("unit_id") == OTHER_UNIT]
        rest = [a for a in accounts if a not in own and a not in other]
        if own or other:
            out += [Caller(f"{role.value}:own", own[0]["username"] if own else "", DEMO["password"]),
                    Caller(f"{role.value}:other", other[0]["username"] if other else "", DEMO["password"])]
        else:
            out.append(Caller(role.value, rest[0]["username"] if rest else "", DEMO["password"]))
    if owner:
        out.append(Caller("individual:owner", owner[0], owner[1]))
    for name, (username, password) in (logins or {}).items():
        out = [Caller(name, username, password) if c.name == name else c for c in out]
    return out


# --- operations -------------------------------------------------------------------------------------
def operations(openapi: dict) -> list[tuple[str, str]]:
    """(METHOD, path) of every operation, in document order."""
    return [(method.upper(), path) for path, item in openapi["paths"].items() for method in item
            if method in METHODS]


def op_key(method: str, path: str) -> str:
    return f"{method} {path}"


def flask_api_routes(app) -> set[tuple[str, str]]:
    """(METHOD, OpenAPI-style path) of every /api route of the Flask app."""
    out = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        if path in UNDOCUMENTED_ROUTES:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            out.add((method, path))
    return out


def fill_path(path: str, records: dict) -> tuple[str, list[str]]:
    """The path with real ids; a parameter nobody made a record for gets a random uuid (and is named)."""
    missing = []
    segments = [s for s in path.split("/") if s]

    def value(match):
        name = match.group(1)
        index = segments.index(match.group(0))
        collection = segments[index - 1] if index else ""
        for key in (f"{collection}/{name}", name):
            if key in records:
                return str(records[key])
        missing.append(name)
        return str(uuid.uuid4())
    return re.sub(r"\{([^}]+)\}", value, path), missing


def _resolve(openapi: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _value(openapi: dict, name: str, schema: dict, records: dict):
    schema = _resolve(openapi, schema)
    if "enum" in schema:
        return schema["enum"][0]
    if name == "degree":
        return "bachelor"
    if "password" in name:
        return "Matrix2026-pw"
    kind = schema.get("type")
    if kind == "array" or name.endswith("_ids"):
        return [str(records.get(name[:-1], records.get("application_id", uuid.uuid4())))]
    if name.endswith("_id"):
        return str(records.get(name, uuid.uuid4()))
    if kind == "object" or "properties" in schema:
        return body_for(openapi, schema, records)
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1) if name != "months" else 12
    if kind == "boolean":
        return False
    if name.endswith(("_on", "_date", "_from")):
        return "2026-07-01"
    if "phone" in name or "mobile" in name:
        return "13912345678"
    return "授权矩阵测试意见"


def body_for(openapi: dict, schema: dict, records: dict) -> dict:
    """A minimal valid body: the required properties, ids taken from the records (so the request reaches
    the rights and jurisdiction checks instead of stopping at input validation). Lists of ids are always
    given, optional or not: a bulk operation without them would act on everything of the caller's
    unit or county (the other tests' records too)."""
    schema = _resolve(openapi, schema)
    return {name: _value(openapi, name, prop, records) for name, prop in schema.get("properties", {}).items()
            if name in schema.get("required", []) or name.endswith("_ids")}


def request_body(openapi: dict, method: str, path: str, records: dict) -> dict | None:
    operation = openapi["paths"][path][method.lower()]
    content = (operation.get("requestBody") or {}).get("content", {})
    if "application/json" not in content:
        return {} if method in ("POST", "PUT", "PATCH") else None
    if op_key(method, path) in EMPTY_BODY:
        return {}
    return body_for(openapi, content["application/json"].get("schema", {}), records)


# --- running ----------------------------------------------------------------------------------------
def classify(status: int) -> str:
    if status >= 500:
        return "5xx"
    if status in (401, 403, 404, 405):
        return str(status)
    if status in (400, 422):
        return "400"
    return "ok"


@dataclass
class Runner:
    base: str
    records: dict
    openapi: dict
    tokens: dict = field(default_factory=dict)
    missing: dict = field(default_factory=dict)

    def login(self, caller: Caller) -> str | None:
        response = requests.post(f"{self.base}/api/v1/auth/login", timeout=120,
                                 json={"username": caller.username, "password": caller.password})
        response.raise_for_status()
        return response.json()["access_token"]

    def token(self, caller: Caller) -> str | None:
        if caller.username is None:
            return None
        if caller.name not in self.tokens:
            self.tokens[caller.name] = self.login(caller)
        return self.tokens[caller.name]

    def call(self, method: str, path: str, caller: Caller, session: requests.Session) -> str:
        if caller.username == "":
            return "n/a"
        url, missing = fill_path(path, self.records)
        if missing:
            self.missing[op_key(method, path)] = missing
        token = self.token(caller)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = request_body(self.openapi, method, path, self.records)
        kwargs = {"json": body} if body is not None else {}
        for attempt in range(3):      # a 5xx or a timeout on a loaded machine is retried, then reported
            try:
                response = session.request(method, self.base + url, headers=headers, timeout=60, **kwargs)
            except requests.RequestException:
                status = 599
            else:
                status = response.status_code
            if status < 500:
                break
            time.sleep(1 + attempt)
        return classify(status)

    def run(self, ops: list[tuple[str, str]], who: list[Caller], workers: int = WORKERS) -> dict[str, dict[str, str]]:
        """Every operation x caller, on a thread pool against the (multi-threaded gunicorn) gateway, the
        session-ending operations last. The records are decided ones (an application walked to "paid",
        line B requests approved): whoever may act on them gets 409 (their state), so the answers do not
        depend on the order the requests happen to run in."""
        for caller in who:    # one after another: identity checks one argon2 hash at a time anyway
            if caller.username:
                self.token(caller)
        table: dict[str, dict[str, str]] = {op_key(m, p): {} for m, p in ops}
        first = [(m, p) for m, p in ops if not SESSION_ENDING.search(p)]
        last = [(m, p) for m, p in ops if SESSION_ENDING.search(p)]
        local = threading.local()

        def cell(job):
            (method, path), caller = job
            if not hasattr(local, "session"):
                local.session = http_session()
            return op_key(method, path), caller.name, self.call(method, path, caller, local.session)
        for batch in (first, last):
            with ThreadPoolExecutor(workers) as pool:
                for op, caller, outcome in pool.map(cell, [(op, c) for op in batch for c in who]):
                    table[op][caller] = outcome
        return table


# --- the table --------------------------------------------------------------------------------------
def dump(table: dict[str, dict[str, str]], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["operation", *columns])
    for op in table:
        writer.writerow([op, *(table[op].get(c, "") for c in columns)])
    return out.getvalue()


def load(path: Path = TABLE) -> tuple[dict[str, dict[str, str]], list[str]]:
    if not path.exists():
        return {}, []
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    columns = rows[0][1:]
    return {row[0]: dict(zip(columns, row[1:], strict=False)) for row in rows[1:] if row}, columns


def compare(expected: dict, actual: dict) -> tuple[list[str], list[str], list[str]]:
    """(looser: cells more permissive than expected, tighter: less permissive, missing: operations or
    callers absent from the table)."""
    looser, tighter, missing = [], [], []
    for op, row in actual.items():
        if op not in expected:
            missing.append(f"operation {op} is not in {TABLE.name}")
            continue
        for caller, got in row.items():
            want = expected[op].get(caller)
            if want is None:
                missing.append(f"{op} x {caller}: no expected cell")
            elif RANK.get(got, 2) > RANK.get(want, 2):
                looser.append(f"{op} x {caller}: expected {want}, got {got}")
            elif got != want:
                tighter.append(f"{op} x {caller}: expected {want}, got {got}")
    return looser, tighter, missing


def diff(expected: dict, actual: dict) -> list[str]:
    lines = []
    for op in sorted(set(expected) | set(actual)):
        if op not in actual:
            lines.append(f"- {op} (operation gone)")
        elif op not in expected:
            lines.append(f"+ {op}: " + ", ".join(f"{c}={v}" for c, v in actual[op].items()))
        else:
            for caller in actual[op]:
                if expected[op].get(caller) != actual[op][caller]:
                    lines.append(f"~ {op} x {caller}: {expected[op].get(caller)} -> {actual[op][caller]}")
    return lines


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] not in (["update"], ["diff"]):
        print(__doc__)
        return 2
    source = Path(argv[1]) if len(argv) > 1 else ACTUAL
    if not source.exists():
        print(f"{source} not found: run `make test-security` (or the e2e tier) first")
        return 2
    actual, columns = load(source)
    expected, _ = load(TABLE)
    lines = diff(expected, actual)
    print("\n".join(lines) if lines else "no difference")
    if argv[0] == "update":
        if os.environ.get("CI"):
            print("refusing to rewrite the expected table in CI: review the diff and commit it yourself")
            return 1
        TABLE.write_text(dump(actual, columns), encoding="utf-8")
        print(f"{TABLE} rewritten ({len(lines)} changed lines above): review and commit it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
