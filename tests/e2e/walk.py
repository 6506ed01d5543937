"""Driving one application through the 13 stages over HTTP, each actor with its own token.

Used by the end-to-end tests and by bench/pipeline.py. Hand-offs between services are events, so a
step that depends on another service's copy retries until that copy has arrived (`eventually`).
"""
from __future__ import annotations

import itertools
import secrets
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import requests

from shared import validators
from tests.support.http import session as http_session

PASSWORD = "Demo2026"
DEMO_UNIT_440703 = "6f1c2a10-0000-4000-8000-000000000001"
DEMO_UNIT_440704 = "6f1c2a10-0000-4000-8000-000000000002"
OFFICERS = {
    "440703": {"unit": "dw_demo", "county": "rsj440703", "county_org": "zzb440703", "county_finance": "czj440703"},
    "440704": {"unit": "dw_jianghai", "county": "rsj440704", "county_org": "zzb440704",
               "county_finance": "czj440704"},
}
CITY = {"city_hrss": "rsj440700", "city_org": "zzb440700", "city_finance": "czj440700", "admin": "admin"}
#: the demo city's unit per county (deploy/demo/city.yaml)
DEMO_UNITS = {"440703": DEMO_UNIT_440703, "440704": DEMO_UNIT_440704}


class ApiError(AssertionError):
    def __init__(self, response: requests.Response) -> None:
        self.status = response.status_code
        try:
            self.error = response.json().get("error", {})
        except ValueError:
            self.error = {"code": "not_json", "message": response.text[:200]}
        super().__init__(f"{response.request.method} {response.url} -> {self.status} {self.error}")


class Client:
    """One logged-in actor. ``tokens``: the answer of a registration, which opens the new account's
    session as the portal does (no password login right after registering); a password login otherwise."""

    def __init__(self, base: str, username: str, password: str = PASSWORD, session: requests.Session | None = None,
                 tokens: dict | None = None):
        self.base, self.username, self.password = base, username, password
        self.http = session or http_session()
        if tokens is None:
            self.login()
        else:
            self.token, self.account = tokens["access_token"], tokens["account"]

    def login(self) -> None:
        response = self.http.post(f"{self.base}/api/v1/auth/login",
                                  json={"username": self.username, "password": self.password}, timeout=30)
        if response.status_code != 200:
            raise ApiError(response)
        body = response.json()
        self.token, self.account = body["access_token"], body["account"]

    def request(self, method: str, path: str, *, expect: int | tuple = (200, 201, 202), **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        response = self.http.request(method, f"{self.base}/api/v1{path}", headers=headers, timeout=60, **kwargs)
        expected = (expect,) if isinstance(expect, int) else expect
        if response.status_code not in expected:
            raise ApiError(response)
        return response.json() if response.content else None

    def get(self, path: str, **kw):
        return self.request("GET", path, **kw)

    def post(self, path: str, json: dict | None = None, **kw):
        return self.request("POST", path, json=json or {}, **kw)


def end_publicity(county: Client, batch_id: str) -> dict:
    """After its last day a publicity ends by the clock (publicity_assessment's timer, within a minute)
    and a clerk may also end it by hand: whichever comes first, the batch ends once."""
    try:
        return county.post(f"/publicity-batches/{batch_id}/end")
    except ApiError as exc:
        if exc.error.get("code") != "publicity_batch.illegal_transition":
            raise
    batch = county.get(f"/publicity-batches/{batch_id}")
    assert batch["status"] == "ended", batch
    return batch


def eventually(action, timeout: float = 30.0, interval: float = 0.1, retry_on=(404, 409)):
    """Run ``action`` until it stops failing with a status in ``retry_on`` (an event still on its way)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return action()
        except ApiError as exc:
            if exc.status not in retry_on or time.monotonic() > deadline:
                raise
        time.sleep(interval)


def until(predicate, timeout: float = 30.0, interval: float = 0.1, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(interval)


#: birth dates 1990-2003 (14 years x 12 months x 28 days) x 1,000 sequence numbers: the 身份证号 a county
#: can have here
_ID_SPACE = 14 * 12 * 28 * 1000
#: this process's 身份证号: one counter from a random start, as the mobiles (1,000 independent random draws
#: from 4.7 million repeated one about one run in ten: a fault run's registration refused as already registered)
_ID_NUMBERS = itertools.count(secrets.randbelow(_ID_SPACE))


def new_id_number(county: str) -> str:
    """A valid 身份证号 born 1990-2003 in ``county`` that no earlier call of this process returned."""
    n = next(_ID_NUMBERS) % _ID_SPACE
    body = f"{county}{1990 + n % 14}{1 + n // 14 % 12:02d}{1 + n // 168 % 28:02d}{n // 4704 % 1000:03d}"
    return body + validators.id_check_char(body)


#: this process's mobile numbers: one counter from a random start, so no two calls of a test run share a
#: number (identity allows one SMS code a minute and ten a day per mobile; independent random draws may
#: repeat one)
_MOBILES = itertools.count(secrets.randbelow(10**8))


def new_mobile(prefix: str = "139") -> str:
    """A mobile number no earlier call of this process returned."""
    return prefix + f"{next(_MOBILES) % 10**8:08d}"


def retry_after(exc: ApiError) -> int | None:
    """The seconds a 429 asks the caller to wait (``details.retry_after``), None for any other refusal."""
    wait = (exc.error.get("details") or {}).get("retry_after") if exc.status == 429 else None
    return int(wait) if isinstance(wait, int | float) and wait > 0 else None


def sms_code(base: str, mobile: str, purpose: str = "register", *, patience: float = 130.0,
             log: Counter | None = None) -> str:
    """Ask identity for a code and read it from the development SMS inbox (``SMS_SENDER=dev``). A 429
    whose ``retry_after`` ends within ``patience`` seconds is waited out and the code asked again, as a
    person does after the countdown (counted in ``log``); the daily limit, or a longer wait, raises."""
    deadline = time.monotonic() + patience
    while True:
        sent = requests.post(f"{base}/api/v1/auth/sms-codes", json={"mobile": mobile, "purpose": purpose},
                             timeout=30)
        if sent.status_code == 200:
            break
        refused = ApiError(sent)
        wait = retry_after(refused)
        if wait is None or (refused.error.get("details") or {}).get("daily_limit") \
                or time.monotonic() + wait > deadline:
            raise refused
        if log is not None:
            log[f"SMS code asked again after 429 {refused.error.get('code')} (waited {wait} s)"] += 1
        time.sleep(wait + 0.5)
    inbox = requests.get(f"{base}/api/v1/dev/sms-inbox", params={"mobile": mobile}, timeout=30)
    if inbox.status_code != 200:
        raise ApiError(inbox)
    return next(m["code"] for m in inbox.json()["items"] if m.get("code"))


def terms_version(base: str, kind: str = "individual") -> str:
    """The 用户须知 in force, which a registration accepts (【同意】)."""
    response = requests.get(f"{base}/api/v1/public/terms/{kind}", timeout=30)
    if response.status_code != 200:
        raise ApiError(response)
    return response.json()["version"]


def register_graduate(base: str, username: str, unit_id: str, registration: dict, name: str = "测试毕业生",
                      log: Counter | None = None) -> dict:
    """个人注册 from the login page: account (mobile proven by an SMS code) + registration, no login."""
    mobile = registration.get("mobile") or new_mobile()
    response = requests.post(f"{base}/api/v1/registrations/individual", timeout=60, json={
        "account": {"username": username, "password": PASSWORD, "name": name, "mobile": mobile,
                    "sms_code": sms_code(base, mobile, log=log)},
        "unit_id": unit_id,
        "registration": {"terms_version": terms_version(base), **registration, "mobile": mobile}})
    if response.status_code != 201:
        raise ApiError(response)
    return response.json()


@dataclass
class City:
    """Everyone's session, logged in once. The demo city by default; another seeded area (bench/province.py)
    gives its own ``officers`` (county -> role -> username), ``units`` (county -> the unit its graduates
    register with) and ``city_officers`` (city code -> role -> username). ``log`` counts the waits a
    refusal asked for (429)."""

    base: str
    clients: dict = field(default_factory=dict)
    officers: dict = field(default_factory=lambda: OFFICERS)
    units: dict = field(default_factory=lambda: DEMO_UNITS)
    city_officers: dict = field(default_factory=lambda: {"440700": CITY})
    log: Counter = field(default_factory=Counter)

    def actor(self, username: str) -> Client:
        if username not in self.clients:
            self.clients[username] = Client(self.base, username)
        return self.clients[username]

    def relogin(self) -> None:
        """After moving the platform's clock, earlier tokens have expired."""
        for client in self.clients.values():
            client.login()

    def officer(self, county: str, role: str) -> Client:
        return self.actor(self.officers[county][role])

    def city(self, role: str, code: str | None = None) -> Client:
        """The city officer of ``role`` in city ``code`` (the only city when None)."""
        return self.actor(self.city_officers[code or next(iter(self.city_officers))][role])

    def new_graduate(self, county: str = "440703", degree: str = "bachelor", *, mobile: str | None = None) -> Client:
        """A fresh graduate of the county's unit: 个人注册 (account and registration, no admin involved),
        approved by the unit, known to subsidy_review. ``mobile``: a number not used before (identity
        limits SMS codes per mobile); a random one when None."""
        username = f"g{uuid.uuid4().hex[:10]}"
        registered = register_graduate(self.base, username, self.units[county], {
            "name": "测试毕业生", "id_type": "resident_id", "id_number": new_id_number(county),
            "degree": degree, "graduated_on": "2025-06-30", **({"mobile": mobile} if mobile else {}),
            "bank_account": {"holder": "测试毕业生", "bank": "中国工商银行江门分行",
                             "number": "62220200" + str(uuid.uuid4().int % 10**11).zfill(11)}}, log=self.log)
        # the registration's tokens open the session, as the portal does (no second argon2 for a login);
        # kept with the others, so relogin() covers it too
        graduate = self.clients[username] = Client(self.base, username, tokens=registered)
        self.officer(county, "unit").post(f"/individuals/{registered['individual']['id']}/approve", {})
        until(lambda: graduate.get("/applicant-profile").get("registered"), message="applicant known to review")
        return graduate


@dataclass
class Walk:
    """One application's way through the stages, recording ids as it goes."""

    city: City
    county: str = "440703"
    graduate: Client | None = None
    application: dict | None = None
    publicity_batch: dict | None = None
    city_batch: dict | None = None
    transfer: dict | None = None
    payment: dict | None = None

    @property
    def app_id(self) -> str:
        return self.application["id"]

    def officer(self, role: str) -> Client:
        return self.city.officer(self.county, role)

    def stage1_submit(self, months: int = 12) -> dict:
        self.graduate = self.graduate or self.city.new_graduate(self.county)
        self.application = self.graduate.post("/applications", {"degree": "bachelor", "months": months,
                                                                "start_date": "2026-07-01"}, expect=201)
        return self.application

    def stage2_unit_approve(self) -> dict:
        return self.officer("unit").post(f"/applications/{self.app_id}/approve", {"opinion": "情况属实"})

    def stage3_report(self) -> dict:
        return self.officer("unit").post("/applications/report", {"application_ids": [self.app_id]})

    def stage4_county_approve(self) -> dict:
        return self.officer("county").post(f"/applications/{self.app_id}/approve", {"opinion": "审核通过"})

    def stage5_publicity(self, clock) -> dict:
        county = self.officer("county")
        self.publicity_batch = eventually(lambda: county.post("/publicity-batches",
                                                              {"application_ids": [self.app_id]}, expect=(200, 201)))
        clock(15)  # past the publicity period (working days, holidays included)
        self.city.relogin()
        return end_publicity(self.officer("county"), self.publicity_batch["id"])

    def stage6_assess(self) -> dict:
        return self.officer("county").post("/assessments/pass", {"application_ids": [self.app_id]})

    def stage7_report_to_org(self) -> dict:
        return self.officer("county").post("/assessments/report", {"application_ids": [self.app_id]})

    def stage8_county_org(self) -> dict:
        org = self.officer("county_org")
        return eventually(lambda: org.post("/org-reviews/confirm", {"application_ids": [self.app_id]}))

    def stage9_aggregate(self) -> dict:
        hrss = self.city.city("city_hrss")
        self.city_batch = hrss.post("/city-batches", {"application_ids": [self.app_id]}, expect=(200, 201))
        return self.city_batch

    def stage10_city_org(self) -> dict:
        return self.city.city("city_org").post(f"/city-batches/{self.city_batch['id']}/confirm", {})

    def stage11_release(self) -> dict:
        finance = self.city.city("city_finance")
        return eventually(lambda: finance.post(f"/disbursement-batches/{self.city_batch['id']}/release",
                                               {"county": self.county}))

    def _my_transfer(self) -> dict | None:
        page = self.officer("county_finance").get("/county-transfers", params={"page_size": 200})
        for transfer in page["items"]:
            if transfer.get("batch_id") == self.city_batch["id"] and transfer.get("county") == self.county:
                return transfer
        return None

    def stage12_pay(self) -> dict:
        self.transfer = until(self._my_transfer, message="county transfer at county finance")
        finance = self.officer("county_finance")
        if self.transfer.get("status") == "released":  # 到账确认 first: nothing is paid before the money arrived
            finance.post(f"/county-transfers/{self.transfer['id']}/confirm-arrival")
        return finance.post(f"/county-transfers/{self.transfer['id']}/pay")

    def _my_payment(self) -> dict | None:
        payments = self.graduate.get("/payments")
        items = payments["items"] if isinstance(payments, dict) else payments
        return next((p for p in items if p.get("application_id") == self.app_id), None)

    def stage13_confirm(self) -> dict:
        self.payment = until(self._my_payment, message="payment visible to the graduate")
        return self.graduate.post(f"/payments/{self.payment['id']}/confirm-receipt")

    def status(self) -> str:
        return self.graduate.get(f"/applications/{self.app_id}")["status"]

    def run_all(self, clock) -> None:
        self.stage1_submit()
        self.stage2_unit_approve()
        self.stage3_report()
        self.stage4_county_approve()
        self.stage5_publicity(clock)
        self.stage6_assess()
        self.stage7_report_to_org()
        self.stage8_county_org()
        self.stage9_aggregate()
        self.stage10_city_org()
        self.stage11_release()
        self.stage12_pay()
        self.stage13_confirm()


def open_account(amqp_uri: str, admin_token: str, data: dict) -> dict:
    """An account opened through identity's own RPC as the platform admin. The gateway's ``POST /accounts``
    opens staff accounts only (个人 come from 个人注册); tests that need a bare 个人 account with no
    registration yet (bad-input tests of ``POST /individuals``, the fuzzer's callers) open it here."""
    from shared.testing.helpers import rpc_client
    with rpc_client(amqp_uri, "identity", "Bearer " + admin_token) as identity:
        return identity.create_account({"must_change_password": False, **data})
