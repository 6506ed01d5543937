"""Line B employees' personal logins, kept by identity from housing_fund's events (no RPC between
the services): opened → account (username 证件号码, initial password its last 6 characters, must
change); password_reset → back to the initial password, old tokens revoked; changed → the username
follows an approved new 证件号码."""
import uuid
from datetime import UTC, datetime

import pytest
from nameko.exceptions import RemoteError

from shared import validators
from shared.events import Envelope, source_of
from shared.testing import rabbit
from shared.testing.helpers import remote_code, rpc_client, scalar, wait_for

BODY = "44070319900101123"
ID_NUMBER = BODY + validators.id_check_char(BODY)
NEW_BODY = "44070419900101456"
NEW_ID = NEW_BODY + validators.id_check_char(NEW_BODY)


def event(event_type, data):
    return Envelope(type=event_type, source=source_of("housing_fund"), subject=data["employee_id"],
                    region="440703", actor={"role": "employer", "account_id": str(uuid.uuid4())},
                    time=datetime.now(UTC).isoformat(), data=data).to_dict()


def login(config, username, password):
    with rpc_client(config["AMQP_URI"], "identity", None, None) as svc:
        return svc.login(username, password)


def test_employee_logins_follow_housing_fund_events_through_a_change_of_id(identity, identity_config, identity_url,
                                                                           vhost):
    employee_id, account_id = str(uuid.uuid4()), str(uuid.uuid4())
    base = {"employee_id": employee_id, "employer_id": str(uuid.uuid4()), "region": "440703", "status": "01"}
    opened = event("employee.opened", {**base, "name": "王小明", "id_number": ID_NUMBER, "mobile": "13800138000",
                                       "account_id": account_id})
    rabbit.publish(vhost, "housing_fund.events", "employee.opened", opened)
    rabbit.publish(vhost, "housing_fund.events", "employee.opened", opened)  # redelivered: one account
    wait_for(lambda: scalar(identity_url, "SELECT count(*) FROM accounts WHERE unit_id=:e", e=employee_id) == 1,
             message="employee account")
    first = login(identity_config, ID_NUMBER, ID_NUMBER[-6:])
    account_id = first["account"]["id"]
    assert first["account"]["role"] == "employee"
    assert first["account"]["must_change_password"] is True and first["account"]["unit_id"] == employee_id

    rabbit.publish(vhost, "housing_fund.events", "employee.password_reset",
                   event("employee.password_reset", {**base, "id_number": ID_NUMBER, "account_id": account_id}))
    wait_for(lambda: scalar(identity_url, "SELECT token_version FROM accounts WHERE id=:a", a=account_id) == 2,
             message="password reset")
    with rpc_client(identity_config["AMQP_URI"], "identity", "Bearer " + first["access_token"], None) as svc:
        with pytest.raises(RemoteError) as info:
            svc.me()
    assert remote_code(info.value) == (401, "auth.token_revoked")  # the reset revoked the old session
    assert login(identity_config, ID_NUMBER, ID_NUMBER[-6:])["account"]["must_change_password"] is True

    rabbit.publish(vhost, "housing_fund.events", "employee.changed",
                   event("employee.changed", {**base, "changes": {"name": "王晓明"}, "id_number": NEW_ID,
                                                "name": "王晓明", "mobile": "13800138000"}))
    wait_for(lambda: scalar(identity_url, "SELECT username FROM accounts WHERE id=:a", a=account_id) == NEW_ID,
             message="username follows the ID")
    assert scalar(identity_url, "SELECT name FROM accounts WHERE id=:a", a=account_id) == "王晓明"
