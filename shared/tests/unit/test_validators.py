"""Validators of identifiers at the edge, checked against published vectors and against check-digit
computations written independently of the implementation (different formulation on purpose)."""
from __future__ import annotations

import string
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared import errors, regions
from shared import validators as v

TODAY = date(2026, 6, 1)
PROPS = settings(max_examples=200, deadline=None)


def error_of(fn, *args, **kwargs) -> errors.InvalidInput:
    with pytest.raises(errors.InvalidInput) as info:
        fn(*args, **kwargs)
    return info.value


# --- independent reference implementations ---------------------------------------------------------

# GB 32100: the weights are the powers of 3 modulo 31; the charset is 0-9A-Z without I O Z S V.
REF_USCC_CHARS = "".join(c for c in string.digits + string.ascii_uppercase if c not in "IOZSV")


def ref_uscc_check(body17: str) -> str:
    total = sum(REF_USCC_CHARS.index(c) * pow(3, i, 31) for i, c in enumerate(body17))
    # the check character is the one that brings the weighted sum to a multiple of 31
    return next(REF_USCC_CHARS[c] for c in range(31) if (total + c) % 31 == 0)


def ref_org_check(body8: str) -> str:
    # GB 11714 weights 3,7,9,10,5,8,4,2 are 2^8..2^1 modulo 11
    total = sum(int(c, 36) * pow(2, 8 - i, 11) for i, c in enumerate(body8))
    c = next(c for c in range(11) if (total + c) % 11 == 0)
    return "X" if c == 10 else str(c)


def ref_mod11_2(body17: str) -> str:
    # ISO 7064 MOD 11-2, recursive (Horner) form: the check makes the whole number ≡ 1 (mod 11)
    p = 0
    for c in body17:
        p = ((p + int(c)) * 2) % 11
    c = (12 - p) % 11
    return "X" if c == 10 else str(c)


uscc_char = st.sampled_from(REF_USCC_CHARS)


@st.composite
def valid_usccs(draw) -> str:
    head = "".join(draw(st.lists(uscc_char, min_size=8, max_size=8)))
    org_body = "".join(draw(st.lists(uscc_char, min_size=8, max_size=8)))
    body = head + org_body + ref_org_check(org_body)
    return body + ref_uscc_check(body)


_REGION_CODES = [r.code for r in regions.all_regions()]


@st.composite
def valid_ids(draw, prefix: st.SearchStrategy[str] | None = None) -> str:
    # the address code names a region of the table (issue 9: 000000 and 999999 are refused)
    region = draw(prefix if prefix is not None else st.sampled_from(_REGION_CODES))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    seq = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    body = f"{region}{born:%Y%m%d}{seq}"
    return body + ref_mod11_2(body)


def mutate(draw, code: str, alphabet: str) -> str:
    i = draw(st.integers(0, len(code) - 1))
    new = draw(st.sampled_from([c for c in alphabet if c != code[i]]))
    return code[:i] + new + code[i + 1:]


# --- 统一社会信用代码 / 组织机构代码 --------------------------------------------------------------------

def test_published_uscc_vector_passes():
    assert v.uscc("91350100M000100Y43") == "91350100M000100Y43"
    assert v.org_code_of_uscc("91350100M000100Y43") == "M000100Y4"


def test_uscc_is_normalised():
    assert v.uscc("  91350100m000100y43 ") == "91350100M000100Y43"
    assert v.uscc("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"  # full-width paste


@pytest.mark.parametrize(("value", "code"), [
    ("91350100M000100Y4", "uscc.length"),
    ("91350100M000100Y433", "uscc.length"),
    ("91350100M000100I43", "uscc.charset"),
    ("91350100M000100Y44", "uscc.check_digit"),
    ("", "uscc.required"),
    (None, "uscc.required"),
    (12345, "uscc.format"),
])
def test_uscc_refuses(value, code):
    err = error_of(v.uscc, value, field="unit.uscc")
    assert err.code == code
    assert err.status == 400
    assert set(err.details["fields"]) == {"unit.uscc"}


def test_uscc_check_digit_message_is_chinese():
    assert error_of(v.uscc, "91350100M000100Y44").message == "统一社会信用代码校验位不正确"


def test_uscc_with_valid_check_but_bad_org_code_is_refused():
    body = "91350100" + "M000100Y5"  # org code check should be 4
    err = error_of(v.uscc, body + ref_uscc_check(body))
    assert err.code == "uscc.org_code"


@PROPS
@given(valid_usccs())
def test_generated_usccs_pass(code):
    assert v.uscc(code) == code
    assert v.org_code(code[8:17]) == code[8:17]


@PROPS
@given(st.data())
def test_one_changed_character_fails_uscc(data):
    code = data.draw(valid_usccs())
    bad = mutate(data.draw, code, REF_USCC_CHARS)
    with pytest.raises(errors.InvalidInput):
        v.uscc(bad)


def test_org_code_accepts_hyphen_and_normalises_it_away():
    assert v.org_code("M000100Y-4") == "M000100Y4"
    assert v.org_code("m000100y-4") == "M000100Y4"


@pytest.mark.parametrize(("value", "code"), [
    ("M000100Y", "org_code.length"),
    ("M000100Y5", "org_code.check_digit"),
    ("M000100*4", "org_code.charset"),
    ("M000-100Y4", "org_code.length"),
])
def test_org_code_refuses(value, code):
    assert error_of(v.org_code, value).code == code


def test_org_code_check_x_and_zero():
    bodies = {ref_org_check(f"{n:08d}"): f"{n:08d}" for n in range(200)}
    assert {"X", "0"} <= bodies.keys()
    for check, body in bodies.items():
        assert v.org_code(body + check) == body + check


@PROPS
@given(st.text(alphabet=string.digits + string.ascii_uppercase, min_size=8, max_size=8))
def test_org_code_matches_reference(body):
    assert v.org_code_check_char(body) == ref_org_check(body)
    assert v.org_code(f"{body}-{ref_org_check(body)}") == body + ref_org_check(body)


# --- 居民身份证 ------------------------------------------------------------------------------------------

def test_published_resident_id_vector_passes():
    assert v.resident_id("11010519491231002X") == "11010519491231002X"
    assert v.resident_id("11010519491231002x") == "11010519491231002X"
    assert v.birth_date_of("11010519491231002X") == date(1949, 12, 31)
    assert v.gender_of("11010519491231002X") == "female"


def test_gender_of_odd_sequence_is_male():
    body = "44070319900101001"
    assert v.gender_of(body + ref_mod11_2(body)) == "male"


@pytest.mark.parametrize(("value", "code", "message"), [
    ("11010519491231002", "id_number.length", "身份证号码应为18位"),
    ("11010519491231002Y", "id_number.charset", None),
    ("1101051949123100AX", "id_number.charset", None),
    ("110105194912310021", "id_number.check_digit", "身份证号码校验位不正确"),
])
def test_resident_id_refuses(value, code, message):
    err = error_of(v.resident_id, value, field="applicant.id_number")
    assert err.code == code
    assert "applicant.id_number" in err.details["fields"]
    if message:
        assert err.message == message


@pytest.mark.parametrize("birth", ["19490230", "19491301", "18991231", "20260602"])
def test_resident_id_refuses_impossible_or_future_birth_dates(birth):
    body = f"110105{birth}002"
    err = error_of(v.resident_id, body + ref_mod11_2(body), today=TODAY)
    assert err.code == "id_number.birth_date"


def test_resident_id_born_today_is_accepted():
    body = f"110105{TODAY:%Y%m%d}002"
    assert v.resident_id(body + ref_mod11_2(body), today=TODAY)


@PROPS
@given(valid_ids())
def test_generated_ids_pass(code):
    assert v.id_check_char(code[:17]) == code[17]
    assert v.resident_id(code, today=TODAY) == code


@PROPS
@given(st.data())
def test_one_changed_character_fails_resident_id(data):
    code = data.draw(valid_ids())
    bad = mutate(data.draw, code, string.digits + "X")
    with pytest.raises(errors.InvalidInput):
        v.resident_id(bad, today=TODAY)


@PROPS
@given(st.data())
def test_swapped_adjacent_digits_fail_resident_id(data):
    code = data.draw(valid_ids())
    i = data.draw(st.integers(0, 15))
    if code[i] == code[i + 1]:
        return
    swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
    with pytest.raises(errors.InvalidInput):
        v.resident_id(swapped, today=TODAY)


# --- other 证件类型 -----------------------------------------------------------------------------------

def test_document_type_labels():
    assert v.DocumentType("resident_id").label == "居民身份证"
    assert v.DocumentType.HMT_RESIDENCE.label == "港澳台居民居住证"
    assert v.DocumentType.FOREIGNER_PERMANENT.label == "外国人永久居留身份证"
    assert v.DocumentType.PASSPORT.label == "护照"
    assert v.DocumentType.OTHER.label == "其他"
    assert v.DocumentType.PASSPORT == "passport"


def test_id_document_dispatches_resident_id():
    assert v.id_document("resident_id", "11010519491231002x") == "11010519491231002X"
    assert error_of(v.id_document, v.DocumentType.RESIDENT_ID, "110105194912310021").code == \
        "id_number.check_digit"


@PROPS
@given(valid_ids(prefix=st.sampled_from(["810000", "820000", "830000"])))
def test_hmt_residence_permits_pass(code):
    assert v.id_document("hmt_residence", code, today=TODAY) == code


def test_hmt_residence_needs_prefix_and_check():
    body = "44070319900101001"
    err = error_of(v.id_document, "hmt_residence", body + ref_mod11_2(body))
    assert err.code == "id_number.prefix"
    body = "81000019900101001"
    bad_check = "0" if ref_mod11_2(body) != "0" else "1"
    assert error_of(v.id_document, "hmt_residence", body + bad_check).code == "id_number.check_digit"


@PROPS
@given(valid_ids(prefix=st.from_regex(r"9[0-9]{5}", fullmatch=True)))
def test_new_foreigner_permanent_ids_pass(code):
    assert v.id_document(v.DocumentType.FOREIGNER_PERMANENT, code, today=TODAY) == code


def test_foreigner_permanent_old_format_and_refusals():
    assert v.id_document("foreigner_permanent", "usa330619870101") == "USA330619870101"
    body = "93115619870101001"
    bad_check = "0" if ref_mod11_2(body) != "0" else "1"
    assert error_of(v.id_document, "foreigner_permanent", body + bad_check).code == "id_number.check_digit"
    assert error_of(v.id_document, "foreigner_permanent", "US3306198701011").code == "id_number.format"
    body = "44070319900101001"  # a resident id is no permanent residence card
    assert error_of(v.id_document, "foreigner_permanent", body + ref_mod11_2(body)).code == \
        "id_number.format"


def test_passport_and_other():
    assert v.id_document("passport", " e12345678 ") == "E12345678"
    assert v.id_document("passport", "E1234") == "E1234"
    for bad in ("E123", "E1234-5678", "A" * 21):
        assert error_of(v.id_document, "passport", bad).code == "id_number.format"
    assert v.id_document("other", "军字第123号") == "军字第123号"
    assert error_of(v.id_document, "other", "x" * 31).code == "id_number.format"
    assert error_of(v.id_document, "other", "  ").code == "id_number.required"


def test_unknown_document_type():
    err = error_of(v.id_document, "driving_licence", "123456")
    assert err.code == "id_type.unknown"
    assert "id_type" in err.details["fields"]


def test_masks():
    assert v.mask_id("11010519491231002X") == "110105********002X"
    assert v.mask_id("E12345678") == "E1*****78"
    assert v.mask_id("1234") == "****"
    assert v.mask_name("张三") == "张*"
    assert v.mask_name("欧阳娜娜") == "欧***"
    assert v.mask_name("李") == "*"
    assert v.mask_mobile("13812341234") == "138****1234"


# --- contact data, region ----------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("13800138000", "13800138000"),
    (" 138-0013-8000 ", "13800138000"),
    ("+86 138 0013 8000", "13800138000"),
    ("１３８００１３８０００", "13800138000"),
    ("19912345678", "19912345678"),
])
def test_mobile_accepts(value, expected):
    assert v.mobile(value) == expected


@pytest.mark.parametrize(("value", "code"), [
    ("1380013800", "mobile.length"),
    ("138001380000", "mobile.length"),
    ("1380013800a", "mobile.length"),
    ("12800138000", "mobile.format"),
    ("23800138000", "mobile.format"),
    ("", "mobile.required"),
])
def test_mobile_refuses(value, code):
    err = error_of(v.mobile, value, field="contact_mobile")
    assert err.code == code
    assert "contact_mobile" in err.details["fields"]


def test_mobile_length_message():
    assert error_of(v.mobile, "12345").message == "手机号码应为11位数字"


def test_region_code():
    assert v.region_code(" 440703 ") == "440703"
    assert error_of(v.region_code, "999999").code == "region.unknown"
    assert error_of(v.region_code, "44070").code == "region.format"
    assert error_of(v.region_code, "44O703").code == "region.format"


@pytest.mark.parametrize("value", ["zhang.san@example.com", "Li+tag@Mail.QQ.com", "a@b.cn"])
def test_email_accepts(value):
    assert v.email(value) == value.lower()


@pytest.mark.parametrize("value", ["zhangsan", "a@b", "a b@example.com", "a@@example.com",
                                   ".a@example.com", "a..b@example.com", "a@-example.com", ""])
def test_email_refuses(value):
    assert error_of(v.email, value).code in {"email.format", "email.required"}
