"""The input-hardening rules shared by the gateway and the service entrypoints, and the validators
of issue 9 item 8 (no broker, no database)."""
from datetime import date

import pytest

from shared import hardening, validators
from shared.contracts import integration_view
from shared.errors import InvalidInput
from shared.pagination import MAX_PAGE, page_params
from shared.validators import id_check_char


def _code(fn, *args, **kwargs):
    with pytest.raises(InvalidInput) as info:
        fn(*args, **kwargs)
    return info.value.code


@pytest.mark.parametrize("text, code", [("a\x00", "input.control_character"), ("\x07", "input.control_character"),
                                        ("\x9b", "input.control_character"), ("\ud800", "input.invalid_text"),
                                        ("x" * 10_001, "input.text_too_long")])
def test_bad_text_is_refused(text, code):
    assert _code(hardening.clean_text, text, "name") == code


def test_text_keeps_lines_and_tabs_and_is_nfc():
    assert hardening.clean_text("第一行\n第二行\t\r") == "第一行\n第二行\t\r"
    assert hardening.clean_text("e\u0301") == "\u00e9"


def test_clean_walks_keys_values_depth_nodes_and_integers():
    assert hardening.clean({"a": ["e\u0301", 1, None, True, 1.5]}) == {"a": ["\u00e9", 1, None, True, 1.5]}
    assert _code(hardening.clean, {"k\x00": 1}) == "input.control_character"
    deep = "x"
    for _ in range(hardening.MAX_DEPTH + 1):
        deep = [deep]
    assert _code(hardening.clean, deep) == "input.too_deep"
    assert _code(hardening.clean, list(range(hardening.MAX_NODES + 1))) == "input.too_large"
    assert _code(hardening.clean, {"n": 2 ** 63}) == "input.number_out_of_range"


def test_json_depth_is_measured_without_parsing():
    assert hardening.json_depth(b'{"a": [1, {"b": "[[[["}]}') == 3
    assert hardening.json_depth(b'"\\"[[["') == 0
    assert hardening.json_depth(b"[" * 100_000) == 100_000  # the parser would overflow; we only count
    assert _code(hardening.check_json_text, b"[" * 1000) == "input.too_deep"
    assert _code(hardening.check_json_text, b" " * (hardening.MAX_JSON_BYTES + 1)) == "input.too_large"


@pytest.mark.parametrize("value", [12.9, 12.0, "１２", True, "12a", "", None, [12], 2 ** 60])
def test_strict_int_refuses_what_is_not_an_integer(value):
    assert _code(hardening.strict_int, value, "months") in ("input.integer_required", "input.number_out_of_range")


def test_strict_int_accepts_integers_and_ascii_digits_and_bounds():
    assert hardening.strict_int(12, "m") == 12 and hardening.strict_int(" 7 ", "m") == 7
    assert _code(hardening.strict_int, 40, "m", minimum=1, maximum=36) == "input.number_out_of_range"


def test_page_is_bounded():
    assert page_params("3", "50") == (3, 50)
    for page in (9223372036854775807, MAX_PAGE + 1, 0, "1.5", "１"):
        assert _code(page_params, page, 20) in ("pagination.invalid", "input.integer_required",
                                                "input.number_out_of_range")


def _id(prefix6: str, birth: str = "19980315", seq: str = "123") -> str:
    body = prefix6 + birth + seq
    return body + id_check_char(body)


@pytest.mark.parametrize("prefix", ["000000", "999999", "990101"])
def test_id_number_address_code_must_name_a_region(prefix):
    assert _code(validators.resident_id, _id(prefix)) == "id_number.address_code"


def test_id_number_address_code_lenient_for_retired_codes_of_a_known_city_or_province():
    assert validators.resident_id(_id("440703")) == _id("440703")
    assert validators.resident_id(_id("440799")) == _id("440799")  # not in the table; 江门市 440700 is


def test_birth_date_in_the_future_is_refused():
    assert _code(validators.resident_id, _id("440703", "20991231"), today=date(2026, 1, 1)) == "id_number.birth_date"
    assert validators.birth_date_in("resident_id", _id("440703")) == date(1998, 3, 15)
    assert validators.birth_date_in("passport", "E12345678") is None


@pytest.mark.parametrize("name", ["\u200b", " \u200b\u200c\u200d\ufeff ", "\u2060", "\u3164", ""])
def test_a_name_of_invisible_characters_only_is_no_name(name):
    assert _code(validators.person_name, name) == "name.required"


def test_person_name_keeps_real_names():
    assert validators.person_name(" 欧阳娜娜 ") == "欧阳娜娜"


def test_integration_view_masks_the_actor_name():
    view = integration_view({"type": "application.submitted", "data": {"name": "张三"},
                             "actor": {"role": "individual", "account_id": "a", "name": "张三丰"}})
    assert view["actor"]["name"] == "张**"
    system = integration_view({"type": "x", "data": {}, "actor": {"role": "system", "name": "subsidy_review"}})
    assert system["actor"]["name"] == "subsidy_review"


def test_integration_view_drops_the_frozen_bank_account_and_its_time():
    snapshot = {"bank_account": {"holder": "张三", "bank": "工商银行", "number": "6222020000000011"},
                "bank_account_at": "2026-11-24T03:00:00+00:00", "amount_fen": 960000}
    view = integration_view({"type": "application.county_approved", "data": {"snapshot": snapshot}, "actor": {}})
    assert view["data"]["snapshot"] == {"amount_fen": 960000}
