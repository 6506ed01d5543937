"""Employer status codes of line B."""
import pytest

from housing_fund.domain.employers import EMPLOYER_STATUSES, check_status_filter, status_label
from shared.errors import InvalidInput


def test_status_codes_follow_the_provident_fund_numbering():
    assert list(EMPLOYER_STATUSES) == ["01", "02", "03", "04", "05"]
    assert status_label("03") == "缓缴" and status_label("99") == "99"


def test_status_filter_takes_codes_only():
    assert check_status_filter("") is None and check_status_filter("05") == "05"
    with pytest.raises(InvalidInput) as info:
        check_status_filter("正常")
    assert info.value.code == "filter.status_unknown" and "status" in info.value.details["fields"]
