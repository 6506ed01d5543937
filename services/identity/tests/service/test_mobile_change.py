"""修改手机号: a code sent to the NEW mobile plus the current password; audited with masked numbers; the old
number no longer logs in by SMS; every bad input is a 400 with the account unchanged."""

from shared.clock import set_offset
from shared.testing.helpers import refusal, rows, rpc_client, scalar

OLD, NEW, LATER = "13800000009", "13912345601", "13912345602"   # OLD: the seeded clerk's mobile


def client(config, token=None):
    return rpc_client(config["AMQP_URI"], "identity", token)


error_of = refusal


def login(config, username):
    with client(config) as svc:
        return "Bearer " + svc.login(username, "Demo2026")["access_token"]


def inbox(svc, mobile):
    return svc.dev_sms_inbox(mobile)["items"]


def test_the_mobile_changes_with_a_code_to_the_new_number_and_the_password(identity, identity_config, identity_url,
                                                                         clock_file):
    token = login(identity_config, "clerk")
    with client(identity_config, token) as me, client(identity_config) as public:
        # the number asked for is checked before any code is sent
        assert error_of(me.send_change_mobile_code, "12345") == (400, "mobile.length")
        assert error_of(me.send_change_mobile_code, "12345678901") == (400, "mobile.format")
        assert error_of(me.send_change_mobile_code, OLD) == (400, "account.mobile_unchanged")
        assert scalar(identity_url, "SELECT count(*) FROM sms_codes") == 0
        sent = me.send_change_mobile_code(NEW)
        assert sent["mobile"] == "139****5601" and "code" not in sent
        [message] = inbox(public, NEW)
        code = message["code"]
        assert "更换手机号验证码" in message["text"]
        # wrong password (checked first: the code survives it), wrong code (counted), bad mobile
        assert error_of(me.change_mobile, NEW, code, "Wrong2026") == (400, "account.password_wrong")
        assert error_of(me.change_mobile, NEW, code, "") == (400, "account.password_required")
        wrong = "123456" if code != "123456" else "654321"
        assert error_of(me.change_mobile, NEW, wrong, "Demo2026") == (400, "sms.invalid_code")
        assert scalar(identity_url, "SELECT failed_attempts FROM sms_codes WHERE mobile=:m", m=NEW) == 1
        assert error_of(me.change_mobile, "1391234", code, "Demo2026") == (400, "mobile.length")
        assert error_of(me.change_mobile, LATER, code, "Demo2026") == (400, "sms.invalid_code")  # another number's
        assert me.me()["mobile"] == OLD
        assert scalar(identity_url, "SELECT count(*) FROM platform_audit_log WHERE action='account.mobile_change'") == 0
        # the profile form cannot bypass the code
        assert error_of(me.update_profile, {"mobile": NEW}) == (400, "account.mobile_change_requires_code")
        assert me.update_profile({"mobile": OLD, "name": "经办人"})["mobile"] == OLD

        changed = me.change_mobile(NEW, code, "Demo2026")
        assert changed["mobile"] == NEW and me.me()["mobile"] == NEW
        [audit] = rows(identity_url, "SELECT before, after, subject_id FROM platform_audit_log "
                                     "WHERE action='account.mobile_change'")
        assert (audit["before"], audit["after"]) == ({"mobile": "138****0009"}, {"mobile": "139****5601"})
        assert audit["subject_id"] == changed["id"]

        # the code is used: another account cannot take it (a shared number is allowed, a reused code is not)
        admin = login(identity_config, "admin")
        with client(identity_config, admin) as other:
            assert error_of(other.change_mobile, NEW, code, "Demo2026") == (400, "sms.invalid_code")
            assert other.me()["mobile"] is None

        # an expired code changes nothing
        me.send_change_mobile_code(LATER)
        late = inbox(public, LATER)[0]["code"]
        set_offset(clock_file, 301)          # policy sms_code_ttl_seconds = 300
        assert error_of(me.change_mobile, LATER, late, "Demo2026") == (400, "sms.expired_code")
        assert me.me()["mobile"] == NEW

        # 短信登录: the old number finds no account, the new one logs the clerk in
        public.send_sms_code(OLD, "login")
        assert error_of(public.sms_login, OLD, inbox(public, OLD)[0]["code"]) == (401, "auth.sms_no_account")
        public.send_sms_code(NEW, "login")
        assert public.sms_login(NEW, inbox(public, NEW)[0]["code"])["account"]["username"] == "clerk"
