"""Employer codes and registration data of line B."""
import pytest

from housing_fund.domain.employers import (
    EMPLOYER_STATUSES,
    REVIEW,
    check_can_receive,
    check_fields,
    check_status_filter,
    initial_password_of,
    org_code_of,
    status_label,
)
from shared.errors import Conflict, IllegalTransition, InvalidInput

DATA = {"name": "江门市示范单位", "uscc": "91440703MA5X12349J", "region": "440703", "address": "江门市蓬江区建设路1号",
        "legal_person": "王建国", "contact_name": "李经办", "contact_mobile": "13800000001",
        "bank_name": "工商银行江门分行", "bank_account_name": "江门市示范单位",
        "bank_account_no": "6222 0200 0000 1234"}


def test_status_codes_follow_the_provident_fund_numbering():
    assert list(EMPLOYER_STATUSES) == ["01", "02", "03", "04", "05"]
    assert status_label("03") == "缓缴" and status_label("99") == "99"


def test_status_filter_takes_codes_only():
    assert check_status_filter("") is None and check_status_filter("05") == "05"
    with pytest.raises(InvalidInput) as info:
        check_status_filter("正常")
    assert info.value.code == "filter.status_unknown" and "status" in info.value.details["fields"]


def test_registration_names_every_missing_red_dot_field():
    with pytest.raises(InvalidInput) as info:
        check_fields({"name": "某单位", "phone": "0750-1234567"})
    assert info.value.code == "employer.fields_required"
    assert set(info.value.details["fields"]) == {"uscc", "region", "address", "legal_person", "contact_name",
                                                 "contact_mobile", "bank_name", "bank_account_name", "bank_account_no"}
    data = check_fields(DATA)
    assert data["bank_account_no"] == "6222020000001234" and data["uscc"] == "91440703MA5X12349J"
    with pytest.raises(InvalidInput) as info:
        check_fields({**DATA, "uscc": "91440703MA5X12349K"})
    assert info.value.details["fields"].keys() == {"uscc"}


def test_the_login_is_the_org_code_and_the_initial_password_its_last_six():
    assert org_code_of("91440703MA5X12349J") == "MA5X12349"
    assert initial_password_of("MA5X12349") == "X12349"


def test_review_rounds_and_receiving_status():
    assert REVIEW.next("returned", "resubmit") == "pending"
    with pytest.raises(IllegalTransition):
        REVIEW.next("approved", "return")
    check_can_receive("03", "缓缴单位")
    with pytest.raises(Conflict) as info:
        check_can_receive("05", "封存单位")
    assert info.value.code == "employer.not_active"

