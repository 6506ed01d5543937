"""Every deadline rule that follows the platform's injectable clock, set up just before a clock jump with its
deadline inside the jump and checked after it (issue 14's clock-jump case): each prints what it checked.

The rules (grep the services for ``tx.now`` / ``clock``), and where each is checked:

- access token lifetime (shared.auth.tokens, 30 min): a token issued before the jump -> 401; a new login works
- refresh token lifetime (identity ``REFRESH_TOKEN_HOURS``, 12 h): one issued before the jump -> 401
- SMS code lifetime (identity policy ``sms_code_ttl_seconds``, 300 s): a code asked before -> ``sms.expired_code``;
  the resend interval and the daily count (``sms_resend_seconds``, ``sms_daily_limit``) have passed: a new
  code at once, and it logs in
- initial password lifetime (identity policy ``initial_password_days``, 7): -> ``auth.initial_password_expired``
- login lock (identity policy ``login_lock_minutes``, 15) after ``login_max_failures`` wrong passwords: lifted
- publicity end (publicity_assessment, the batch's ``ends_on``): a batch open at the jump is ended by the timer
  (no clerk), once (one ``application.publicity_ended``)
- objection deadline (up to the publicity's last day): an objection at once after the jump -> 409
  ``objection.publicity_ended`` (``objection.not_in_publicity`` when the timer ended the batch first)
- 申报期 (subsidy_review application windows): a submission inside one before the jump is taken, one after
  its close -> 409 ``application.outside_window``
- 各环节办理时限 (subsidy_review stage limits, working days): an application waiting at its stage across the
  jump turns overdue (``stage_clocks``)

Not checked here (each named in README, "What survives what"): housing_fund's monthly remittance reminders
(hourly timer, line B), identity's sweeper of message SMS stuck in "sending" (``notify_sms_stuck_seconds``),
event_feed's webhook retry times, the purge of expired revoked-token rows, the per-address throttles of
logins and objections (sliding windows that only open up after a jump). The gateway's portal idle timeout
and registration tickets run on the wall clock, not the platform's.
"""
from __future__ import annotations

import uuid
from datetime import timedelta

import requests

from deploy.stack import Stack, environ
from shared.clock import OffsetFileClock
from shared.testing.helpers import rpc_client
from tests.e2e.walk import PASSWORD, City, Walk, eventually, new_mobile, sms_code, until
from tests.fault.flow import query

PROBE_COUNTY, CITY_CODE = "440703", "440700"
INITIAL_PASSWORD, OWN_PASSWORD = "Init2026abc", "Probe2026abcX"
#: an objection after the period: refused by the period's rule, or (when the timer ended the batch first) as
#: no longer in publicity
OBJECTION_REFUSALS = {"objection.publicity_ended": "the batch still open past its last day",
                      "objection.not_in_publicity": "the timer had ended the batch already"}
#: the probe 申报期's length: shorter than the jump, so the jump closes it
WINDOW_DAYS = 7


def say(line: str) -> None:
    print(f"   {line}", flush=True)


class Deadlines:
    """``before()`` just before the clock jumps, ``after()`` once it has; ``checked`` lists what was checked."""

    def __init__(self, stack: Stack) -> None:
        self.stack, self.base = stack, stack.config.gateway_url
        self.city = City(self.base)
        self.clock = OffsetFileClock(stack.config.clock_file)
        self.checked: list[str] = []

    # -- helpers ------------------------------------------------------------------------------------
    def _post(self, path: str, json: dict, token: str | None = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.post(f"{self.base}/api/v1{path}", json=json, headers=headers, timeout=60)

    def _code(self, response: requests.Response) -> str:
        try:
            return response.json().get("error", {}).get("code", "")
        except ValueError:
            return ""

    def _expect(self, rule: str, response: requests.Response, status: int, code: str | None = None) -> None:
        got = (response.status_code, self._code(response))
        line = f"{rule}: {got[0]} {got[1]}".rstrip()
        say(("checked " if got[0] == status and (code is None or got[1] == code) else "DIFFERENCE ") + line)
        assert got[0] == status and (code is None or got[1] == code), (rule, got, response.text[:300])
        self.checked.append(rule)

    def _account(self, *, initial: bool) -> tuple[str, str]:
        """A county clerk account opened by the admin: (username, mobile)."""
        username, mobile = f"dl{uuid.uuid4().hex[:10]}", new_mobile()
        self.city.actor("admin").post("/accounts", {
            "username": username, "password": INITIAL_PASSWORD if initial else OWN_PASSWORD,
            "role": "county_hrss", "region": PROBE_COUNTY, "name": "时钟测试", "mobile": mobile,
            "must_change_password": initial}, expect=201)
        return username, mobile

    def _stage_clock(self, app_id: str) -> dict | None:
        """subsidy_review's clock of the application's open stay, over the holiday schedule (as the portal)."""
        token = "Bearer " + self.city.officer(PROBE_COUNTY, "unit").token
        year = self.clock.today_local().year
        with rpc_client(self.stack.config.amqp_uri, "publicity_assessment", token, timeout=60) as publicity:
            calendar = publicity.working_calendar(f"{year - 2}-01-01", f"{year + 1}-12-31")
        with rpc_client(self.stack.config.amqp_uri, "subsidy_review", token, timeout=60) as review:
            return review.stage_clocks([app_id], calendar).get(app_id)

    # -- before the jump ----------------------------------------------------------------------------
    def before(self) -> Deadlines:
        today = self.clock.today_local()
        officer = self.city.officer(PROBE_COUNTY, "unit")
        self.old_token = officer.token
        tokens = self._post("/auth/login", {"username": officer.username, "password": PASSWORD}).json()
        self.old_refresh = tokens["refresh_token"]
        # an SMS code for a clerk's mobile, and a lock on a second clerk's login
        self.sms_user, self.sms_mobile = self._account(initial=False)
        sent = self._post("/auth/sms-codes", {"mobile": self.sms_mobile, "purpose": "login"})
        assert sent.status_code == 200, sent.text
        self.old_sms_code = requests.get(f"{self.base}/api/v1/dev/sms-inbox", params={"mobile": self.sms_mobile},
                                         timeout=30).json()["items"][0]["code"]
        self.locked_user, _ = self._account(initial=False)
        failures = 0
        while (r := self._post("/auth/login", {"username": self.locked_user, "password": "wrong-2026"})
               ).status_code == 401 and failures < 20:
            failures += 1
        assert r.status_code == 429, r.text
        refused = self._post("/auth/login", {"username": self.locked_user, "password": OWN_PASSWORD})
        assert refused.status_code == 429, refused.text
        self.initial_user, _ = self._account(initial=True)
        assert self._post("/auth/login", {"username": self.initial_user, "password": INITIAL_PASSWORD}
                          ).status_code == 200
        # a 申报期 from today for WINDOW_DAYS; an application submitted inside it, then waiting at stage 2
        self.waiting = Walk(self.city, county=PROBE_COUNTY, graduate=self.city.new_graduate(PROBE_COUNTY))
        self.late = self.city.new_graduate(PROBE_COUNTY)  # applies after the window closed
        admin = self.city.actor("admin")
        self.window = admin.post(f"/policies/{CITY_CODE}/windows", {
            "name": f"时钟测试{uuid.uuid4().hex[:4]}", "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=WINDOW_DAYS)).isoformat()}, expect=201)
        try:
            self.waiting.stage1_submit()
        except BaseException:
            admin.post(f"/application-windows/{self.window['id']}/cancel", {})
            raise
        self.clock_before = self._stage_clock(self.waiting.app_id)
        # a publicity batch open at the jump
        self.publicity = Walk(self.city, county=PROBE_COUNTY)
        for stage in (self.publicity.stage1_submit, self.publicity.stage2_unit_approve,
                      self.publicity.stage3_report, self.publicity.stage4_county_approve):
            stage()
        county = self.city.officer(PROBE_COUNTY, "county")
        self.batch = eventually(lambda: county.post("/publicity-batches",
                                                    {"application_ids": [self.publicity.app_id]}, expect=(200, 201)))
        assert self.batch["status"] == "open", self.batch
        say(f"before the jump (platform date {today}): a clerk's token and refresh token, an SMS code, a login "
            f"locked after {failures} wrong passwords, an initial password, the 申报期 {self.window['opens_on']}"
            f"..{self.window['closes_on']} with an application in it (stage clock {self.clock_before}), the "
            f"publicity batch {self.batch['batch_no']} open until {self.batch['ends_on']}")
        return self

    # -- after the jump -----------------------------------------------------------------------------
    def after(self) -> list[str]:
        today = self.clock.today_local()
        say(f"after the jump (platform date {today}):")
        # first, before publicity's timer (every PUBLICITY_END_INTERVAL_SECONDS) ends the batch: then the
        # batch is still open past its last day and the period's own rule answers
        objection = self._post("/objections", {
            "application_id": self.publicity.app_id, "reason": "公示期满后提出的异议（时钟测试）",
            "contact_name": "测试", "contact_phone": new_mobile()})
        code = self._code(objection)
        self._expect(f"objection after the publicity's last day ({OBJECTION_REFUSALS.get(code, code)})",
                     objection, 409, code if code in OBJECTION_REFUSALS else "objection.publicity_ended")
        me = requests.get(f"{self.base}/api/v1/me", headers={"Authorization": f"Bearer {self.old_token}"}, timeout=30)
        self._expect("access token issued before the jump", me, 401)
        self.city.relogin()
        fresh = requests.get(f"{self.base}/api/v1/me", timeout=30,
                             headers={"Authorization": f"Bearer {self.city.officer(PROBE_COUNTY, 'unit').token}"})
        self._expect("a login after the jump", fresh, 200)
        self._expect("refresh token issued before the jump", self._post(
            "/auth/refresh", {"refresh_token": self.old_refresh}), 401)
        self._expect("login lock set before the jump (lifted)", self._post(
            "/auth/login", {"username": self.locked_user, "password": OWN_PASSWORD}), 200)
        self._expect("initial password set before the jump", self._post(
            "/auth/login", {"username": self.initial_user, "password": INITIAL_PASSWORD}),
            401, "auth.initial_password_expired")
        self._expect("SMS code asked before the jump", self._post(
            "/auth/sms-login", {"mobile": self.sms_mobile, "code": self.old_sms_code}), 400, "sms.expired_code")
        self._expect("SMS login with a code asked at once after the jump (resend interval passed)", self._post(
            "/auth/sms-login", {"mobile": self.sms_mobile, "code": sms_code(self.base, self.sms_mobile, "login",
                                                                             patience=0)}), 200)
        self._after_windows_and_clocks()
        self._after_publicity()
        return self.checked

    def _after_windows_and_clocks(self) -> None:
        admin = self.city.actor("admin")
        try:
            response = self.late.http.post(f"{self.base}/api/v1/applications", timeout=60, json={
                "degree": "bachelor", "months": 12, "start_date": "2026-07-01"},
                headers={"Authorization": f"Bearer {self.late.token}"})
            self._expect(f"申报期 {self.window['opens_on']}..{self.window['closes_on']}: a submission after it closed",
                         response, 409, "application.outside_window")
        finally:
            admin.post(f"/application-windows/{self.window['id']}/cancel", {})
        clock_after = self._stage_clock(self.waiting.app_id)
        ok = bool(self.clock_before and clock_after and not self.clock_before["overdue"] and clock_after["overdue"]
                  and clock_after["stage"] == self.clock_before["stage"])
        say(f"{'checked' if ok else 'DIFFERENCE'} stage time limit: the application waiting at stage "
            f"{(clock_after or {}).get('stage')} across the jump: {self.clock_before} -> {clock_after}")
        assert ok, (self.clock_before, clock_after)
        self.checked.append("stage time limit (overdue)")

    def _after_publicity(self) -> None:
        county = self.city.officer(PROBE_COUNTY, "county")
        batch = until(lambda: (b := county.get(f"/publicity-batches/{self.batch['id']}"))["status"] == "ended" and b,
                      timeout=240, interval=1, message="the publicity timer ends the batch")
        with environ(self.stack.config.env()):
            ended = query("publicity_assessment", "SELECT count(*) AS n FROM platform_outbox WHERE event_type = "
                          "'application.publicity_ended' AND exchange NOT LIKE 'platform.%' AND body LIKE :a",
                          a=f"%{self.publicity.app_id}%")[0].n     # platform.events: the integrators' copy
        say(f"{'checked' if ended == 1 else 'DIFFERENCE'} publicity end: batch {batch['batch_no']} (until "
            f"{batch['ends_on']}) ended by the timer, no clerk; application.publicity_ended x{ended}")
        assert ended == 1, ended
        self.checked.append("publicity end (timer, once)")

