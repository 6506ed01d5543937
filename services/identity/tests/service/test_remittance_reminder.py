"""Line B's monthly 汇缴 reminder: housing_fund's ``remittance.reminder_due`` becomes one in-app message to
the employer's login (a redelivered event gives no second message); an employer without a login is
left alone."""
import uuid

from shared.events import Envelope, source_of
from shared.testing import rabbit
from shared.testing.helpers import rows, scalar, wait_for

from .test_employer_accounts import employer_event

ORG = "MA5X2234X"


def reminder(employer_id: str, month: str = "202612") -> dict:
    return Envelope(type="remittance.reminder_due", source=source_of("housing_fund"), subject=employer_id,
                    region="440703", actor={"role": "system", "account_id": None},
                    data={"employer_id": employer_id, "region": "440703", "month": month,
                          "employer_name": "江门市示范单位", "org_code": ORG, "mobile": "13900000001"}).to_dict()


def test_the_monthly_reminder_is_a_message_to_the_employers_login(identity, identity_config, identity_url, vhost):
    employer_id = str(uuid.uuid4())
    rabbit.publish(vhost, "housing_fund.events", "employer.approved",
                   employer_event("employer.approved", employer_id, org_code=ORG))
    wait_for(lambda: scalar(identity_url, "SELECT count(*) FROM accounts WHERE unit_id=:e", e=employer_id) == 1,
             message="the employer's login")
    due = reminder(employer_id)
    rabbit.publish(vhost, "housing_fund.events", "remittance.reminder_due", due)
    rabbit.publish(vhost, "housing_fund.events", "remittance.reminder_due", due)          # redelivered
    rabbit.publish(vhost, "housing_fund.events", "remittance.reminder_due", reminder(str(uuid.uuid4())))  # no login
    wait_for(lambda: scalar(identity_url, "SELECT count(*) FROM platform_inbox") == 3, message="all consumed")
    wait_for(lambda: rabbit.queue_depth(vhost, "identity.remittance.reminder_due")[0] == 0, message="drained")
    [message] = rows(identity_url, "SELECT m.* FROM messages m JOIN accounts a ON a.id = m.account_id "
                                   "WHERE a.unit_id=:e", e=employer_id)
    assert message["kind"] == "reminder" and message["title"] == "2026年12月尚未汇缴"
    assert "汇缴申请" in message["body"] and message["link"] == "/portal/housing/remit"
    assert message["read_at"] is None and message["sms_mobile"] is None      # in-app only (policy's SMS kinds)
    assert scalar(identity_url, "SELECT count(*) FROM messages") == 1
