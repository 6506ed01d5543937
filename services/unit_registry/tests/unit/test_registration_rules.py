"""Registration rules of individuals and units: validation, normalisation and the review workflow."""
from datetime import date

import pytest

from shared.errors import IllegalTransition, InvalidInput
from shared.validators import id_check_char
from unit_registry.domain.individuals import REVIEW, check_registration
from unit_registry.domain.statuses import check_opinion, check_status_filter, status_label
from unit_registry.domain.units import check_phone, check_unit

TODAY = date(2026, 3, 1)


def resident_id(body: str = "44070319980315123") -> str:
    return body + id_check_char(body)


def registration(**patch) -> dict:
    data = {"name": "王五", "id_type": "resident_id", "id_number": resident_id(), "mobile": "139 0000 0001",
            "degree": "master", "graduated_on": "2025-06-30",
            "bank_account": {"holder": "王五", "bank": "中国银行江门分行", "number": "6216 6100 0000 0000 123"}}
    data.update(patch)
    return data


def field_error(data: dict) -> tuple[str, str]:
    with pytest.raises(InvalidInput) as info:
        check_registration(data, TODAY)
    [(field, _message)] = info.value.details["fields"].items()
    return field, info.value.code


def test_sixteen_on_the_day_of_graduation_is_enough():
    assert check_registration(registration(id_number=resident_id("44070320090630123")), TODAY).graduated_on \
        == date(2025, 6, 30)


def test_a_valid_registration_is_normalised():
    reg = check_registration(registration(id_number=resident_id("44070319980315123").lower()), TODAY)
    assert reg.mobile == "13900000001" and reg.bank_account.number == "6216610000000000123"
    assert reg.graduated_on == date(2025, 6, 30) and reg.id_type == "resident_id"
    assert check_registration({**registration(), "id_type": None}, TODAY).id_type == "resident_id"


@pytest.mark.parametrize("patch, expected", [
    ({"name": "  "}, ("name", "name.required")),
    ({"id_number": "440703199803151230"}, ("id_number", "id_number.check_digit")),
    ({"id_type": "driving_licence"}, ("id_type", "id_type.unknown")),
    ({"mobile": "12345"}, ("mobile", "mobile.length")),
    ({"degree": "phd"}, ("degree", "degree.unknown")),
    ({"graduated_on": "2026-03-02"}, ("graduated_on", "graduated_on.future")),
    ({"graduated_on": "30/06/2025"}, ("graduated_on", "graduated_on.format")),
    ({"bank_account": None}, ("bank_account", "bank_account.required")),
    ({"bank_account": {"holder": "王五", "bank": "中国银行", "number": "62166100"}},
     ("bank_account.number", "bank_account.number_format")),
    ({"bank_account": {"holder": "赵六", "bank": "中国银行", "number": "6216610000000000123"}},
     ("bank_account.holder", "bank_account.holder_mismatch")),
    # issue 9 item 8
    ({"name": "\u200b\u200c"}, ("name", "name.required")),
    ({"id_number": resident_id("00000019980315123")}, ("id_number", "id_number.address_code")),
    ({"id_number": resident_id("99999919980315123")}, ("id_number", "id_number.address_code")),
    ({"id_number": resident_id("44070320270315123")}, ("id_number", "id_number.birth_date")),
    ({"id_number": resident_id("44070320170315123")}, ("graduated_on", "graduated_on.too_young")),
    ({"id_number": resident_id("44070320090701123")}, ("graduated_on", "graduated_on.too_young")),
])
def test_each_invalid_field_is_reported_with_its_own_code(patch, expected):
    assert field_error(registration(**patch)) == expected


def test_the_unit_reviews_and_a_returned_registration_comes_back():
    assert REVIEW.next("pending", "approve") == "approved"
    assert REVIEW.next("pending", "return") == "returned"
    assert REVIEW.next("returned", "resubmit") == "pending"
    for status, action in [("approved", "approve"), ("approved", "return"), ("pending", "resubmit"),
                           ("returned", "approve")]:
        with pytest.raises(IllegalTransition) as info:
            REVIEW.next(status, action)
        assert info.value.code == "individual.illegal_transition"


def test_opinion_is_required_to_return_and_bounded():
    assert check_opinion("  ", required=False) is None
    assert check_opinion(" 银行卡号有误 ", required=True) == "银行卡号有误"
    for value, required in [(None, True), ("", True), ("字" * 501, False), (42, False)]:
        with pytest.raises(InvalidInput):
            check_opinion(value, required=required)


def test_status_filter_and_labels():
    assert check_status_filter(None) is None and check_status_filter("returned") == "returned"
    assert status_label("pending") == "待审核" and status_label("approved") == "审核通过"
    with pytest.raises(InvalidInput):
        check_status_filter("deleted")


def test_unit_data_takes_the_org_code_from_the_uscc_and_needs_a_county():
    unit = check_unit({"name": "江门市蓬江区示范科技有限公司", "uscc": "91440703ma5x12349j", "region": "440703",
                       "leader": "王建国", "leader_phone": "13800000009"})
    assert unit.uscc == "91440703MA5X12349J" and unit.org_code == "MA5X12349"
    assert unit.supervisor_region == "440703"
    assert check_unit({"name": "东莞示范", "uscc": "91440703MA5X12349J", "region": "441900", "leader": "甲",
                       "leader_phone": "0769-22223333"}).region == "441900"  # a city without counties
    with pytest.raises(InvalidInput) as info:
        check_unit({"name": "某单位", "uscc": "91440703MA5X12349J", "region": "440700", "leader": "甲",
                    "leader_phone": "13800000009"})
    assert info.value.code == "region.not_county"


def test_leader_phone_is_a_mobile_or_a_landline_with_area_code():
    assert check_phone("0750-3456789") == "0750-3456789" and check_phone("138 0000 0009") == "13800000009"
    with pytest.raises(InvalidInput):
        check_phone("3456789")
