"""Fuzzing the gateway with schemathesis (issue 9): every operation of the OpenAPI document, bounded
examples, as a few callers.

A failure is
- ``5xx``: any answer >= 500 (or no answer at all);
- ``schema``: a 2xx answer whose body breaks the response schema documented for it;
- ``error-body``: a 4xx answer whose body is not the platform's error body
  ``{"error": {"code": "<english code>", "message": "<中文>", "details": {...}}}``.
Every failure fails the test: there is no list of tolerated defects.

What is sent (see :meth:`Fuzzer.run`):
- per operation and caller (no token and each logged-in role), ``FUZZ_EXAMPLES`` generated cases
  (schemathesis, valid and invalid ones; default 2);
- per operation once, as the caller the authorisation matrix table lets through (so the input reaches
  the view and the service, not only the role check): the hostile cases issue 9 found 500s with — every
  integer query parameter at 2**63-1, a NUL byte in every text query parameter, a JSON body whose
  strings are a NUL byte or a lone surrogate, a 1,000-level nested JSON body.
The (operation, caller) jobs run on a thread pool (``FUZZ_WORKERS``, default 8) against the gunicorn
gateway; ``FUZZ_EXAMPLES`` trades time for depth (2: about a minute on the 2-core CI machine).
"""
from __future__ import annotations

import json
import os
import re
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import hypothesis
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import response_schema_conformance

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
WORKERS = int(os.environ.get("FUZZ_WORKERS", "8"))
PROGRESS = int(os.environ.get("FUZZ_PROGRESS", "0"))      # print a progress line every N requests
#: operations a logged-in fuzzer skips: they end its own session (fuzzed without a token only)
SESSION_ENDING = re.compile(r"/auth/logout$")
#: bulk operations act on everything pending in the caller's unit when no ids are given (other tests'
#: records too): a logged-in fuzzer sends them only the hostile cases, which always carry ids
UNSCOPED_BULK = re.compile(r"/bulk-approve$")


def _text(case) -> str:
    parts = [case.path_parameters, case.query, case.headers, case.cookies]
    body = getattr(case, "body", None)
    if body is not None and not isinstance(body, (bytes, bytearray)):
        parts.append(body)
    return json.dumps(parts, ensure_ascii=False, default=str)


def _url(response) -> str:
    request = getattr(response, "request", None)
    return getattr(request, "url", None) or getattr(response, "url", "") or ""


def _content_type(response) -> str:
    value = response.headers.get("content-type") or response.headers.get("Content-Type") or ""
    return ",".join(value) if isinstance(value, list) else value


@dataclass
class Finding:
    kind: str
    caller: str
    operation: str
    status: int
    detail: str
    request: str

    def line(self) -> str:
        text = (f"[{self.kind}] {self.caller:<12} {self.operation} -> {self.status}: {self.detail[:200]}"
                f"\n      request {self.request[:300]}")
        return text.encode("utf-8", "backslashreplace").decode("utf-8")      # lone surrogates printable


@dataclass
class Fuzzer:
    base: str
    openapi: dict
    examples: int = EXAMPLES
    findings: list[Finding] = field(default_factory=list)
    requests_made: int = 0
    statuses: dict = field(default_factory=dict)
    covered: set = field(default_factory=set)        # (operation, caller) pairs that got requests
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _local: threading.local = field(default_factory=threading.local)

    def __post_init__(self) -> None:
        self.schema = schemathesis.openapi.from_dict(self.openapi)
        self._strategies: dict = {}

    def operations(self) -> list:
        return [result.ok() for result in self.schema.get_all_operations()]

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def _session(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    def _count(self, caller: str, operation, status: int) -> None:
        with self._lock:
            self.requests_made += 1
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.covered.add((operation.label, caller))
            if PROGRESS and self.requests_made % PROGRESS == 0:
                print(f"fuzz: {self.requests_made} requests, {len(self.covered)} (operation, caller) pairs, "
                      f"{len(self.findings)} findings", file=sys.stderr, flush=True)

    def _record(self, kind, caller, operation, case, response, detail) -> None:
        finding = Finding(kind, caller, operation.label, response.status_code, detail,
                          f"{case.method} {_url(response)} body={_text(case)[:300]}")
        with self._lock:
            self.findings.append(finding)

    def check(self, caller: str, operation, case, response) -> None:
        status = response.status_code
        self._count(caller, operation, status)
        if status >= 500:
            self._record("5xx", caller, operation, case, response, response.text[:300])
            return
        if 200 <= status < 300:
            try:
                case.validate_response(response, checks=[response_schema_conformance])
            except Exception as exc:  # noqa: BLE001 - schemathesis raises a failure group
                self._record("schema", caller, operation, case, response, str(exc).splitlines()[0] if str(exc) else
                             type(exc).__name__)
            return
        if status >= 400 and not _is_error_body(response):
            self._record("error-body", caller, operation, case, response, response.text[:200])

    def _retrying(self, send):
        """``send(session)``; a connection the server had already closed (a keep-alive connection past
        gunicorn's keep-alive, taken from the pool just as it went) is retried once on a new one; a
        server that really drops requests fails the second time too."""
        try:
            return send(self._session())
        except requests.ConnectionError:
            self._local.session = requests.Session()
            return send(self._local.session)

    def _send(self, caller: str, operation, case, headers: dict) -> None:
        case.headers = {**(case.headers or {}), **headers}
        try:
            response = self._retrying(lambda session: case.call(base_url=self.base, session=session, timeout=60))
        except (requests.RequestException, ValueError) as exc:
            broken = _Broken(str(exc))
            self._count(caller, operation, broken.status_code)
            self._record("5xx", caller, operation, case, broken, f"no answer: {exc}")
            return
        self.check(caller, operation, case, response)

    def strategy(self, operation):
        """Valid requests (they reach the services) and invalid ones (they must be refused cleanly);
        built once per operation, shared by the callers."""
        with self._lock:
            if operation.label not in self._strategies:
                strategies = [operation.as_strategy(GenerationMode.POSITIVE)]
                try:
                    strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))
                except Exception:  # noqa: BLE001 - nothing to negate in this operation
                    pass
                self._strategies[operation.label] = st.one_of(strategies)
            return self._strategies[operation.label]

    def generated(self, caller: str, token: str | None, operation) -> None:
        """``examples`` generated cases of one operation as one caller (no shrinking: collect, don't stop)."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if token and UNSCOPED_BULK.search(operation.path):
            return        # only the hostile cases, which always carry ids

        @hypothesis.settings(max_examples=self.examples, deadline=None, database=None, derandomize=True,
                             phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @hypothesis.given(case=self.strategy(operation))
        def run(case):
            self._send(caller, operation, case, headers)
        run()

    def hostile(self, caller: str, token: str | None, operation) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        for case in self.hostile_cases(operation):
            self._send(caller, operation, case, headers)
        self.deep_json(caller, operation, headers)

    def run(self, callers: list[tuple[str, str | None]], hostile_caller: Callable[[str, str], str],
            workers: int = WORKERS) -> None:
        """Every operation x every caller (``examples`` generated cases each), and every operation once
        more with the hostile cases as ``hostile_caller(METHOD, path)`` (a caller name), on a thread pool.
        A logged-in caller never sends an operation that ends its own session."""
        tokens = dict(callers)
        jobs = []
        for operation in self.operations():
            for caller, token in callers:
                if token and SESSION_ENDING.search(operation.path):
                    continue
                jobs.append((self.generated, caller, token, operation))
            chosen = hostile_caller(operation.method.upper(), operation.path)
            if tokens.get(chosen) and SESSION_ENDING.search(operation.path):
                chosen = "anonymous"
            jobs.append((self.hostile, chosen, tokens.get(chosen), operation))

        def do(job):
            fn, caller, token, operation = job
            try:
                fn(caller, token, operation)
            except Exception as exc:  # noqa: BLE001 - a generator or client error is a finding too
                finding = Finding("error", caller, operation.label, 0, f"{type(exc).__name__}: {exc}"[:300],
                                  operation.label)
                with self._lock:
                    self.findings.append(finding)
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(do, jobs))

    def hostile_cases(self, operation) -> list:
        """Deterministic cases for the inputs issue 9 found 500s with, which a few random examples seldom
        hit: every integer query parameter at 2**63-1, every string one a NUL byte, a JSON body whose
        strings are a NUL byte or a lone surrogate."""
        from tests.security.matrix import body_for

        raw = operation.definition.raw if hasattr(operation.definition, "raw") else {}
        params = [p for p in (raw.get("parameters") or [])]
        path = {p["name"]: _path_value(p["name"]) for p in params if p.get("in") == "path"}
        for name in re.findall(r"{([^}]+)}", operation.path):
            path.setdefault(name, _path_value(name))
        query = [p for p in params if p.get("in") == "query"]
        cases = []
        for p in query:          # one at a time: a page_size refused first would hide a page that breaks
            if (p.get("schema") or {}).get("type") == "integer":
                cases.append(operation.Case(path_parameters=path, query={p["name"]: 2**63 - 1}))
        texts = {p["name"]: "a\x00b" for p in query if (p.get("schema") or {}).get("type") == "string"}
        if texts:
            cases.append(operation.Case(path_parameters=path, query=texts))
        content = ((raw.get("requestBody") or {}).get("content") or {}).get("application/json")
        if content is not None:
            body = body_for(self.openapi, content.get("schema", {}), {})
            for bad in ("a\x00b", "\ud800"):
                cases.append(operation.Case(path_parameters=path, body=_replace_strings(body, bad),
                                            media_type="application/json"))
        return cases

    def deep_json(self, caller: str, operation, headers) -> None:
        """A 1,000-level nested JSON body (sent as text: Python's own encoder would refuse it)."""
        raw = operation.definition.raw
        if "application/json" not in ((raw.get("requestBody") or {}).get("content") or {}):
            return
        path = re.sub(r"{([^}]+)}", lambda m: _path_value(m.group(1)), operation.path)
        try:
            response = self._retrying(lambda session: session.request(
                operation.method.upper(), self.base + path, data='{"a":' * 1000 + "{}" + "}" * 1000,
                headers={**headers, "Content-Type": "application/json"}, timeout=60))
        except requests.RequestException as exc:
            response = _Broken(f"no answer: {exc}")
        self._count(caller, operation, response.status_code)
        if response.status_code >= 500 or (response.status_code >= 400 and not _is_error_body(response)):
            kind = "5xx" if response.status_code >= 500 else "error-body"
            finding = Finding(kind, caller, operation.label, response.status_code, response.text[:200],
                              f"{operation.method.upper()} {path} body=<1,000-level nested JSON>")
            with self._lock:
                self.findings.append(finding)


def _is_error_body(response) -> bool:
    try:
        error = response.json()["error"]
        return isinstance(error["code"], str) and isinstance(error["message"], str)
    except (ValueError, KeyError, TypeError):
        return False


def _path_value(name: str) -> str:
    return {"city": "440700", "day": "2026-10-01"}.get(name, "6f1c2a10-0000-4000-8000-00000000ffff")


def _replace_strings(value, text: str):
    if isinstance(value, dict):
        return {k: _replace_strings(v, text) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_strings(v, text) for v in value]
    return text if isinstance(value, str) else value


class _Broken:
    status_code = 599
    request = None
    headers: dict = {}

    def __init__(self, text: str) -> None:
        self.text = text
