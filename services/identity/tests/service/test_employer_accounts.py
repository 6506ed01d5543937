"""Line B logins: identity opens an employer's login from housing_fund's ``employer.approved`` and
``employer.migrated`` (username 组织机构代码, initial password its last 6 characters, forced change);
a replayed event or a second migration of the same employer changes nothing."""
import uuid

from nameko.exceptions import RemoteError

from shared.events import Envelope, source_of
from shared.testing import rabbit
from shared.testing.helpers import remote_code, rows, scalar, wait_for
from shared.testing.service import call

ORG = "MA5X12349"


def employer_event(type_: str, employer_id: str, org_code: str = ORG) -> dict:
    return Envelope(type=type_, source=source_of("housing_fund"), subject=employer_id, region="440703",
                    actor={"role": "housing_bureau", "account_id": str(uuid.uuid4())},
                    data={"employer_id": employer_id, "name": "江门市示范单位", "org_code": org_code,
                          "region": "440703", "trade_code": "10001", "mobile": "13900000001",
                          "contact_name": "李经办", "status": "01"}).to_dict()


def test_an_approved_employer_gets_its_login_once(identity, identity_config, identity_url, vhost):
    employer_id = str(uuid.uuid4())
    event = employer_event("employer.approved", employer_id)
    rabbit.publish(vhost, "housing_fund.events", "employer.approved", event)
    rabbit.publish(vhost, "housing_fund.events", "employer.approved", event)  # redelivered
    # the same employer migrated as well (another event id): still one account
    rabbit.publish(vhost, "housing_fund.events", "employer.migrated", employer_event("employer.migrated", employer_id))
    wait_for(lambda: scalar(identity_url, "SELECT count(*) FROM platform_inbox") == 2, message="both consumed")
    wait_for(lambda: rabbit.queue_depth(vhost, "identity.employer.approved")[0] == 0, message="drained")
    [account] = rows(identity_url, "SELECT * FROM accounts WHERE username=:u", u=ORG)
    assert account["role"] == "employer" and account["unit_id"] == employer_id and account["region"] == "440703"
    assert account["mobile"] == "13900000001" and account["must_change_password"] is True

    tokens = call(identity_config, "identity", "login", ORG, "X12349")  # initial password: pwc token
    assert tokens["account"]["must_change_password"] is True and tokens["account"]["role_label"] == "汇缴单位经办人"
    try:
        call(identity_config, "identity", "login", ORG, "wrong-pass1")
        raise AssertionError("a wrong password logged in")
    except RemoteError as exc:
        assert remote_code(exc) == (401, "auth.invalid_credentials")
    assert scalar(identity_url, "SELECT count(*) FROM platform_outbox WHERE event_type='account.created' "
                                "AND exchange='identity.events' AND body LIKE :u", u=f"%{ORG}%") == 1


def test_a_username_held_by_someone_else_is_left_alone(identity, identity_config, identity_url, vhost):
    rabbit.publish(vhost, "housing_fund.events", "employer.migrated",
                   employer_event("employer.migrated", str(uuid.uuid4()), org_code="clerk"))
    wait_for(lambda: scalar(identity_url, "SELECT count(*) FROM platform_inbox") == 1, message="consumed")
    [account] = rows(identity_url, "SELECT role FROM accounts WHERE username='clerk'")
    assert account["role"] == "county_hrss"
    assert scalar(identity_url, "SELECT count(*) FROM platform_audit_log "
                                "WHERE action='account.employer_login_clash'") == 1


def employee_event(type_: str, employee_id: str, id_number: str = "440703199803151233") -> dict:
    return Envelope(type=type_, source=source_of("housing_fund"), subject=employee_id, region="440703",
                    actor={"role": "employer", "account_id": str(uuid.uuid4())},
                    data={"employee_id": employee_id, "employer_id": str(uuid.uuid4()), "region": "440703",
                          "name": "张三", "id_number": id_number, "mobile": "13900000002", "status": "01",
                          "level": "01", "monthly_fen": 80000}).to_dict()


def test_employee_logins_open_and_reset(identity, identity_config, identity_url, vhost):
    opened, imported = str(uuid.uuid4()), str(uuid.uuid4())
    rabbit.publish(vhost, "housing_fund.events", "employee.opened", employee_event("employee.opened", opened))
    wait_for(lambda: scalar(identity_url, "SELECT count(*) FROM accounts WHERE role='employee'") == 1,
             message="employee login opened")
    first = call(identity_config, "identity", "login", "440703199803151233", "151233")
    assert first["account"]["must_change_password"] and first["account"]["unit_id"] == opened
    version = scalar(identity_url, "SELECT token_version FROM accounts WHERE unit_id=:u", u=opened)
    # 重置密码 of an existing login bumps its token version; of an imported employee it opens one
    rabbit.publish(vhost, "housing_fund.events", "employee.password_reset",
                   employee_event("employee.password_reset", opened))
    rabbit.publish(vhost, "housing_fund.events", "employee.password_reset",
                   employee_event("employee.password_reset", imported, "440703199006200186"))
    wait_for(lambda: scalar(identity_url, "SELECT count(*) FROM accounts WHERE role='employee'") == 2,
             message="imported employee's login opened")
    wait_for(lambda: scalar(identity_url, "SELECT token_version FROM accounts WHERE unit_id=:u", u=opened) > version,
             message="reset revoked the old tokens")
    assert call(identity_config, "identity", "login", "440703199006200186", "200186")["account"]["role"] == "employee"


def test_an_approved_contact_mobile_change_moves_the_employers_login(identity, identity_config, identity_url, vhost):
    employer_id = str(uuid.uuid4())
    rabbit.publish(vhost, "housing_fund.events", "employer.approved", employer_event("employer.approved", employer_id))
    wait_for(lambda: scalar(identity_url, "SELECT count(*) FROM accounts WHERE unit_id=:u", u=employer_id) == 1,
             message="employer login opened")
    changed = employer_event("employer.changed", employer_id)
    changed["data"].update(mobile="13900000099", change_id=str(uuid.uuid4()), changes={"contact_name": "王新经办"})
    rabbit.publish(vhost, "housing_fund.events", "employer.changed", changed)
    rabbit.publish(vhost, "housing_fund.events", "employer.changed", changed)  # redelivered: applied once
    wait_for(lambda: scalar(identity_url, "SELECT mobile FROM accounts WHERE unit_id=:u", u=employer_id)
             == "13900000099", message="the login's mobile to follow")
    [account] = rows(identity_url, "SELECT name, mobile FROM accounts WHERE unit_id=:u", u=employer_id)
    assert account == {"name": "王新经办", "mobile": "13900000099"}
    assert scalar(identity_url, "SELECT count(*) FROM platform_audit_log WHERE action='account.employer_changed'") == 1
    # 短信登录 with the new mobile reaches the employer's login
    from shared.testing.helpers import rpc_client
    with rpc_client(identity_config["AMQP_URI"], "identity", None) as svc:
        svc.send_sms_code("13900000099", "login")
        tokens = svc.sms_login("13900000099", svc.dev_sms_inbox("13900000099")["items"][0]["code"])
    assert tokens["account"]["username"] == ORG
