"""SMS codes, SMS login and self-registration against real RabbitMQ and PostgreSQL; the HTTP sender
against a local fake provider."""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from nameko.exceptions import RemoteError

from identity.entrypoints.service import IdentityService
from shared.clock import set_offset
from shared.testing.helpers import refusal, rows, rpc_client, scalar

UNIT = "6f1c2a10-0000-4000-8000-000000000001"
MOBILE = "13912340001"


def client(config, token=None):
    return rpc_client(config["AMQP_URI"], "identity", token)


error_of = refusal


def details_of(fn, *args):
    from shared.errors import from_remote
    with pytest.raises(RemoteError) as info:
        fn(*args)
    return from_remote(info.value.exc_type, info.value.value).details


def audit_chain_ok(url):
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from shared import audit
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            return audit.verify(session)["ok"]
    finally:
        engine.dispose()


def latest_code(svc, mobile=MOBILE):
    return svc.dev_sms_inbox(mobile)["items"][0]["code"]


class Clock:
    """Moves the container's clock forward through the shared offset file."""

    def __init__(self, path):
        self.path, self.seconds = path, 0.0

    def advance(self, seconds):
        self.seconds += seconds
        set_offset(self.path, self.seconds)


@pytest.fixture
def clock(clock_file):
    return Clock(clock_file)


def test_a_code_is_sent_hashed_never_answered_and_works_once(identity, identity_config, identity_url):
    with client(identity_config) as svc:
        answer = svc.send_sms_code(MOBILE, "login")
        assert answer == {"sent": True, "expires_in": 300, "retry_after": 60}
        [message] = svc.dev_sms_inbox(MOBILE)["items"]
        code = message["code"]
        assert len(code) == 6 and code.isdigit() and "5分钟内有效" in message["text"]
        assert code not in json.dumps(answer)
        [stored] = rows(identity_url, "SELECT * FROM sms_codes")
        assert stored["mobile"] == MOBILE and stored["delivery"] == "sent"
        assert code not in json.dumps({k: str(v) for k, v in stored.items()})
        assert svc.consume_sms_code(MOBILE, "login", code) == {"mobile": MOBILE, "purpose": "login"}
        # single use
        assert error_of(svc.consume_sms_code, MOBILE, "login", code) == (400, "sms.invalid_code")


def test_bad_input_and_wrong_codes_change_nothing(identity, identity_config, identity_url):
    with client(identity_config) as svc:
        assert error_of(svc.send_sms_code, "1391234", "login") == (400, "mobile.length")
        assert error_of(svc.send_sms_code, "12912340001", "login") == (400, "mobile.format")
        assert error_of(svc.send_sms_code, MOBILE, "lottery") == (400, "sms.purpose_unknown")
        assert scalar(identity_url, "SELECT count(*) FROM sms_codes") == 0
        svc.send_sms_code(MOBILE, "register")
        code = latest_code(svc)
        # a code is bound to its purpose
        assert error_of(svc.consume_sms_code, MOBILE, "login", code) == (400, "sms.invalid_code")
        assert error_of(svc.consume_sms_code, MOBILE, "register", "12a456") == (400, "sms.invalid_code")
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(5):
            assert error_of(svc.consume_sms_code, MOBILE, "register", wrong) == (400, "sms.invalid_code")
        # five wrong tries burn the code: brute force of 10^6 codes is not possible
        assert error_of(svc.consume_sms_code, MOBILE, "register", code) == (400, "sms.invalid_code")
    assert scalar(identity_url, "SELECT count(*) FROM sms_codes WHERE consumed_at IS NOT NULL") == 0


def test_a_code_expires_after_five_minutes(identity, identity_config, clock):
    with client(identity_config) as svc:
        svc.send_sms_code(MOBILE, "login")
        code = latest_code(svc)
        clock.advance(301)
        assert error_of(svc.consume_sms_code, MOBILE, "login", code) == (400, "sms.expired_code")


def test_one_request_per_minute_and_ten_a_day_per_mobile(identity, identity_config, identity_url, clock):
    with client(identity_config) as svc:
        svc.send_sms_code(MOBILE, "login")
        assert error_of(svc.send_sms_code, MOBILE, "register") == (429, "sms.too_many_requests")
        assert 50 <= details_of(svc.send_sms_code, MOBILE, "login")["retry_after"] <= 60
        svc.send_sms_code("13912340002", "login")  # another mobile is not affected
        for _ in range(9):
            clock.advance(61)
            svc.send_sms_code(MOBILE, "login")
        clock.advance(61)
        assert error_of(svc.send_sms_code, MOBILE, "login") == (429, "sms.too_many_requests")
        details = details_of(svc.send_sms_code, MOBILE, "login")
        assert details["daily_limit"] is True and details["retry_after"] > 3600
        assert scalar(identity_url, "SELECT count(*) FROM sms_codes WHERE mobile=:m", m=MOBILE) == 10
        # a new code replaces the older ones of the same purpose
        assert scalar(identity_url, "SELECT count(*) FROM sms_codes WHERE mobile=:m AND expires_at > "
                      "(SELECT max(created_at) FROM sms_codes WHERE mobile=:m)", m=MOBILE) == 1
        clock.advance(24 * 3600)
        assert svc.send_sms_code(MOBILE, "login")["sent"] is True


def test_sms_login(identity, identity_config):
    with client(identity_config) as svc:
        svc.send_sms_code("13800000009", "login")
        tokens = svc.sms_login("13800000009", latest_code(svc, "13800000009"))
        assert tokens["account"]["username"] == "clerk" and tokens["refresh_token"]
    with client(identity_config, "Bearer " + tokens["access_token"]) as svc:
        assert svc.me()["username"] == "clerk"
    with client(identity_config) as svc:
        svc.send_sms_code(MOBILE, "login")
        assert error_of(svc.sms_login, MOBILE, latest_code(svc)) == (401, "auth.sms_no_account")
        assert error_of(svc.sms_login, "13800000009", "123456") == (400, "sms.invalid_code")


def test_register_account_with_a_code(identity, identity_config, identity_url, vhost):
    data = {"username": "grad_self", "password": "Grad2026x", "name": "自助注册", "mobile": MOBILE,
            "role": "individual", "unit_id": UNIT}
    with client(identity_config) as svc:
        svc.send_sms_code(MOBILE, "register")
        code = latest_code(svc)
        for patch, expected in [
            ({"password": "abc"}, (400, "account.password_length")),
            ({"password": "grad_self1"}, (400, "account.password_contains_username")),
            ({"mobile": "139"}, (400, "mobile.length")),
            ({"role": "sys_admin"}, (400, "account.role_not_self_service")),
            ({"unit_id": "not-a-uuid"}, (400, "account.unit_id_invalid")),
            ({"username": "clerk"}, (409, "account.username_taken")),
            ({"sms_code": "999999" if code != "999999" else "888888"}, (400, "sms.invalid_code")),
        ]:
            assert error_of(svc.register_account, {**data, "sms_code": code, **patch}) == expected, patch
        assert scalar(identity_url, "SELECT count(*) FROM accounts WHERE username='grad_self'") == 0
        answer = svc.register_account({**data, "sms_code": code})
        assert answer["account"]["role"] == "individual" and answer["account"]["unit_id"] == UNIT
        assert answer["access_token"] and answer["account"]["must_change_password"] is False
        # the account's session opens with it: a refresh token stored, its login time, its audit row (written
        # last in the transaction) chained onto the trail
        account_id = answer["account"]["id"]
        assert answer["account"]["last_login_at"] is not None and answer["refresh_token"]
        assert scalar(identity_url, "SELECT count(*) FROM refresh_tokens WHERE account_id = :a", a=account_id) == 1
        assert scalar(identity_url, "SELECT count(*) FROM platform_audit_log WHERE action = 'account.create' "
                                    "AND subject_id = :a", a=account_id) == 1
        assert audit_chain_ok(identity_url)
        assert error_of(svc.register_account, {**data, "username": "grad_two", "sms_code": code}) == \
            (400, "sms.invalid_code")
    with client(identity_config, "Bearer " + answer["access_token"]) as svc:
        assert svc.me()["mobile"] == MOBILE
    with client(identity_config) as svc:
        assert svc.login("grad_self", "Grad2026x")["account"]["username"] == "grad_self"
    assert scalar(identity_url, "SELECT count(*) FROM platform_outbox WHERE event_type='account.created' "
                                "AND body::jsonb->'data'->>'username' = 'grad_self'") == 1


@pytest.fixture
def bare_identity(container_factory, identity_config):
    """identity without SMS_SENDER: no sender, no development inbox."""
    config = {k: v for k, v in identity_config.items() if k != "SMS_SENDER"}
    container = container_factory(IdentityService, config)
    container.start()
    return container


def test_without_the_dev_sender_there_is_no_inbox_and_no_code(bare_identity, identity_config, identity_url):
    with client(identity_config) as svc:
        assert error_of(svc.dev_sms_inbox, MOBILE) == (404, "not_found")
        assert error_of(svc.send_sms_code, MOBILE, "login") == (503, "sms.unavailable")
        # the failed code neither works nor counts against the one-a-minute limit
        assert error_of(svc.send_sms_code, MOBILE, "login") == (503, "sms.unavailable")
    assert scalar(identity_url, "SELECT count(*) FROM sms_codes WHERE delivery='failed'") == 2


class FakeProvider(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):  # noqa: N802 - http.server's API
        length = int(self.headers.get("Content-Length", 0))
        FakeProvider.received.append({"auth": self.headers.get("Authorization"),
                                      "body": json.loads(self.rfile.read(length))})
        self.send_response(FakeProvider.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok": true}')

    def log_message(self, *args):
        pass


@pytest.fixture
def provider():
    server = HTTPServer(("127.0.0.1", 0), FakeProvider)
    FakeProvider.received, FakeProvider.status = [], 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_http_sender_posts_to_the_configured_provider(container_factory, identity_config, identity_url, provider):
    config = {**identity_config, "SMS_SENDER": "http", "SMS_SIGN": "江门人社",
              "SMS_HTTP_URL": f"http://127.0.0.1:{provider.server_port}/send", "SMS_HTTP_TOKEN": "t0ken"}
    container_factory(IdentityService, config).start()
    with client(identity_config) as svc:
        answer = svc.send_sms_code(MOBILE, "login")
        [request] = FakeProvider.received
        assert request["auth"] == "Bearer t0ken" and request["body"]["mobile"] == MOBILE
        assert request["body"]["sign"] == "江门人社" and request["body"]["text"].startswith("【江门人社】")
        code = request["body"]["text"].split("验证码为")[1][:6]
        assert code not in json.dumps(answer)
        assert error_of(svc.dev_sms_inbox, MOBILE) == (404, "not_found")
        assert svc.consume_sms_code(MOBILE, "login", code)["mobile"] == MOBILE
        FakeProvider.status = 500
        assert error_of(svc.send_sms_code, "13912340002", "login") == (503, "sms.unavailable")
    assert scalar(identity_url, "SELECT delivery FROM sms_codes WHERE mobile='13912340002'") == "failed"
    assert scalar(identity_url, "SELECT count(*) FROM sms_dev_inbox") == 0
