"""Validators for the identifiers the platform accepts at its edge.

Each validator returns the normalised value (NFKC, so full-width characters pasted from a Word form
become ASCII; stripped; upper-case) or raises :class:`shared.errors.InvalidInput` for the field the
caller names, with a stable code and a Chinese message for the clerk.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from shared import regions
from shared.errors import InvalidInput
from shared.hardening import visible

_SHANGHAI = ZoneInfo("Asia/Shanghai")


def _text(value: object, field: str, code_prefix: str, what: str) -> str:
    """NFKC + strip + upper, refusing empty and non-string input with ``<prefix>.required``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidInput.field(field, f"{code_prefix}.required", f"请填写{what}")
    if not isinstance(value, str):
        raise InvalidInput.field(field, f"{code_prefix}.format", f"{what}格式不正确")
    return unicodedata.normalize("NFKC", value).strip().upper()


# --- 组织机构代码 (GB 11714-1997) -------------------------------------------------------------------

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_BODY = re.compile(r"[0-9A-Z]{8}")


def _base36(ch: str) -> int:
    return int(ch, 36)  # GB 11714 values 0-9 as themselves and A..Z as 10..35


def org_code_check_char(body: str) -> str:
    """The GB 11714 check character of an 8-character body (``0``-``9`` or ``X``)."""
    c = 11 - sum(w * _base36(ch) for w, ch in zip(_ORG_WEIGHTS, body, strict=True)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def org_code(value: object, field: str = "org_code") -> str:
    """Validate a 组织机构代码 (GB 11714): 8 body characters 0-9A-Z plus a check character.

    ``"M000100-Y"``-style input with a hyphen before the check character is accepted; the result
    has no hyphen (``"M000100Y4"``), as line B uses it as a login name.
    """
    code = _text(value, field, "org_code", "组织机构代码")
    if len(code) == 10 and code[8] == "-":
        code = code[:8] + code[9]
    if len(code) != 9:
        raise InvalidInput.field(field, "org_code.length", "组织机构代码应为9位（8位本体代码和1位校验码）")
    if not _ORG_BODY.fullmatch(code[:8]) or code[8] not in "0123456789X":
        raise InvalidInput.field(field, "org_code.charset", "组织机构代码包含无效字符")
    if org_code_check_char(code[:8]) != code[8]:
        raise InvalidInput.field(field, "org_code.check_digit", "组织机构代码校验位不正确")
    return code


# --- 统一社会信用代码 (GB 32100-2015) -----------------------------------------------------------------

# 31 characters: the digits and the capitals without I, O, Z, S, V (too easily misread)
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_CHARSET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(body: str) -> str:
    """The GB 32100 check character of the first 17 characters of a 统一社会信用代码."""
    total = sum(w * _USCC_VALUE[ch] for w, ch in zip(_USCC_WEIGHTS, body, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc(value: object, field: str = "uscc") -> str:
    """Validate a 统一社会信用代码: 18 characters, GB 32100 check character, and characters 9-17
    forming a valid 组织机构代码 (GB 11714)."""
    code = _text(value, field, "uscc", "统一社会信用代码")
    if len(code) != 18:
        raise InvalidInput.field(field, "uscc.length", "统一社会信用代码应为18位")
    if any(ch not in _USCC_VALUE for ch in code):
        raise InvalidInput.field(field, "uscc.charset",
                                 "统一社会信用代码包含无效字符（不使用I、O、Z、S、V）")
    if uscc_check_char(code[:17]) != code[17]:
        raise InvalidInput.field(field, "uscc.check_digit", "统一社会信用代码校验位不正确")
    body = code[8:17]
    if org_code_check_char(body[:8]) != body[8]:
        raise InvalidInput.field(field, "uscc.org_code",
                                 "统一社会信用代码中的组织机构代码（第9至17位）不正确")
    return code


def org_code_of_uscc(value: object, field: str = "uscc") -> str:
    """The 组织机构代码 inside a valid 统一社会信用代码 (characters 9-17), e.g. ``"M000100Y4"``."""
    return uscc(value, field)[8:17]


# --- 居民身份证 and other 证件 ------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_BODY = re.compile(r"[0-9]{17}")


def id_check_char(body: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits of an ID number."""
    return _ID_CHECK[sum(w * int(d) for w, d in zip(_ID_WEIGHTS, body, strict=True)) % 11]


def _today() -> date:
    return datetime.now(_SHANGHAI).date()  # a birth date is a date in China, not in UTC


def _check_mod11_2(code: str, field: str, what: str, today: date | None) -> str:
    """The shared shape of 身份证, 港澳台居民居住证 and new 永久居留身份证: 17 digits + check,
    birth date at characters 7-14."""
    if len(code) != 18:
        raise InvalidInput.field(field, "id_number.length", f"{what}应为18位")
    if not _ID_BODY.fullmatch(code[:17]) or code[17] not in "0123456789X":
        raise InvalidInput.field(field, "id_number.charset", f"{what}应为17位数字加1位数字或X")
    if id_check_char(code[:17]) != code[17]:
        raise InvalidInput.field(field, "id_number.check_digit", f"{what}校验位不正确")
    try:
        born = date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        born = None
    if born is None or born.year < 1900 or born > (today or _today()):
        raise InvalidInput.field(field, "id_number.birth_date", f"{what}中的出生日期不正确")
    return code


def address_code_known(code: str) -> bool:
    """Whether the 6-digit address code of a 身份证号 names a region: one of the table, or - for codes
    retired since the card was issued (a county merged into a district) - a code whose city or
    province still exists. ``000000`` and ``999999`` name nothing."""
    if len(code) != 6 or not code.isdigit():
        return False
    return (regions.exists(code) or regions.exists(code[:4] + "00")
            or (regions.exists(code[:2] + "0000") and code[2:4] != "00"))


def resident_id(value: object, field: str = "id_number", *, today: date | None = None) -> str:
    """Validate an 18-character 居民身份证号码: 6-digit address code of a region (see
    :func:`address_code_known`), a real birth date not in the future (relative to ``today``, default
    the current date in Asia/Shanghai), ISO 7064 MOD 11-2 check character (``X`` = 10). The result
    has an upper-case ``X``."""
    code = _text(value, field, "id_number", "身份证号码")
    code = _check_mod11_2(code, field, "身份证号码", today)
    if not address_code_known(code[:6]):
        raise InvalidInput.field(field, "id_number.address_code", "身份证号码的前6位不是有效的行政区划代码")
    return code


def birth_date_in(doc_type: str, number: str) -> date | None:
    """The birth date a 证件号码 carries (身份证, 港澳台居民居住证, the 18-character 永久居留身份证),
    or None for documents without one (passports, the 2004 permanent residence card)."""
    code = (number or "").strip().upper()
    if doc_type not in ("resident_id", "hmt_residence", "foreigner_permanent") or len(code) != 18:
        return None
    try:
        return date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return None


def person_name(value: object, field: str = "name", *, max_length: int = 50, what: str = "姓名") -> str:
    """A person's name: NFKC, stripped, 1..``max_length`` characters, at least one visible character
    (a name made only of zero-width or other invisible characters is refused)."""
    from shared.hardening import visible

    if value is not None and not isinstance(value, str):
        raise InvalidInput.field(field, f"{field}.format", f"{what}应为文字")
    text = unicodedata.normalize("NFKC", value or "").strip()
    if not visible(text):
        raise InvalidInput.field(field, f"{field}.required", f"请填写{what}")
    if len(text) > max_length:
        raise InvalidInput.field(field, f"{field}.too_long", f"{what}不能超过{max_length}个字")
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise InvalidInput.field(field, f"{field}.format", f"{what}包含无效字符")
    return text


def birth_date_of(id_number: str) -> date:
    """The birth date inside a valid 18-character ID number (characters 7-14).

    Also right for 港澳台居民居住证 and the new 永久居留身份证, which share the layout.
    """
    code = resident_id(id_number)
    return date(int(code[6:10]), int(code[10:12]), int(code[12:14]))


def gender_of(id_number: str) -> str:
    """``"male"`` or ``"female"`` for a valid 18-character ID number: the 17th digit is odd for men."""
    code = resident_id(id_number)
    return "male" if int(code[16]) % 2 else "female"


class DocumentType(StrEnum):
    """证件类型: the stored value is the English key, :attr:`label` the Chinese name."""

    RESIDENT_ID = "resident_id"
    HMT_RESIDENCE = "hmt_residence"
    FOREIGNER_PERMANENT = "foreigner_permanent"
    PASSPORT = "passport"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The Chinese name shown to users."""
        return _DOC_LABELS[self]


_DOC_LABELS = {
    DocumentType.RESIDENT_ID: "居民身份证",
    DocumentType.HMT_RESIDENCE: "港澳台居民居住证",
    DocumentType.FOREIGNER_PERMANENT: "外国人永久居留身份证",
    DocumentType.PASSPORT: "护照",
    DocumentType.OTHER: "其他",
}
_HMT_PREFIXES = ("810000", "820000", "830000")  # 香港, 澳门, 台湾
_OLD_PR = re.compile(r"[A-Z]{3}[0-9]{12}")  # 2004 format: ISO 3166 alpha-3 nationality + 12 digits
_PASSPORT = re.compile(r"[A-Z0-9]{5,20}")


def id_document(doc_type: object, number: object, field: str = "id_number", *,
                today: date | None = None) -> str:
    """Validate a 证件号码 by its 证件类型 and return it normalised.

    - 居民身份证: see :func:`resident_id`.
    - 港澳台居民居住证: prefix 810000/820000/830000, otherwise the same rules as 身份证.
    - 外国人永久居留身份证: the 2023 format (18 characters starting with ``9``, MOD 11-2 check,
      birth date inside) or the 2004 format (3 letters + 12 digits).
    - 护照: 5-20 letters and digits. 其他: 1-30 characters, no control characters.
    """
    try:
        if not isinstance(doc_type, str):  # a member is a str too (StrEnum); None, a number: unknown
            raise ValueError(doc_type)
        kind = DocumentType(doc_type)
    except ValueError:
        raise InvalidInput.field("id_type", "id_type.unknown", "证件类型不正确") from None
    if kind is DocumentType.RESIDENT_ID:
        return resident_id(number, field, today=today)
    label = kind.label
    code = _text(number, field, "id_number", f"{label}号码")
    if kind is DocumentType.HMT_RESIDENCE:
        if not code.startswith(_HMT_PREFIXES):
            raise InvalidInput.field(field, "id_number.prefix",
                                     "港澳台居民居住证号码应以810000、820000或830000开头")
        return _check_mod11_2(code, field, f"{label}号码", today)
    if kind is DocumentType.FOREIGNER_PERMANENT:
        if _OLD_PR.fullmatch(code):
            return code
        if len(code) == 18 and code.startswith("9"):
            return _check_mod11_2(code, field, f"{label}号码", today)
        raise InvalidInput.field(field, "id_number.format",
                                 "外国人永久居留身份证号码应为以9开头的18位号码或3位字母加12位数字")
    if kind is DocumentType.PASSPORT:
        if not _PASSPORT.fullmatch(code):
            raise InvalidInput.field(field, "id_number.format", "护照号码应为5至20位字母或数字")
        return code
    if len(code) > 30 or any(unicodedata.category(ch).startswith("C") for ch in code):
        raise InvalidInput.field(field, "id_number.format", "证件号码应为1至30个字符")
    return code


def mask_id(number: str) -> str:
    """Mask a 证件号码 for display: first 6 and last 4 kept (``110105********002X``).

    Numbers of 10 characters or fewer (passports) keep 2 + 2, and 4 or fewer are fully masked, so
    a mask never shows the whole number.
    """
    n = (number or "").strip()
    if len(n) > 10:
        return n[:6] + "*" * (len(n) - 10) + n[-4:]
    if len(n) > 4:
        return n[:2] + "*" * (len(n) - 4) + n[-2:]
    return "*" * len(n)


def mask_name(name: str) -> str:
    """Mask a personal name for publicity lists: first character kept (张三 → 张*, 欧阳娜娜 → 欧***)."""
    n = (name or "").strip()
    if len(n) <= 1:
        return "*" * len(n)
    return n[0] + "*" * (len(n) - 1)


# --- contact data ---------------------------------------------------------------------------------

_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def mobile(value: object, field: str = "mobile") -> str:
    """Validate a mainland mobile number: 11 digits, ``1`` then ``3``-``9``.

    Spaces and hyphens (``138-0013-8000``) and a ``+86``/``0086`` prefix are dropped first.
    """
    code = re.sub(r"[\s-]", "", _text(value, field, "mobile", "手机号码"))
    code = code.removeprefix("+86").removeprefix("0086")
    if len(code) != 11 or not (code.isascii() and code.isdigit()):
        raise InvalidInput.field(field, "mobile.length", "手机号码应为11位数字")
    if not _MOBILE.fullmatch(code):
        raise InvalidInput.field(field, "mobile.format", "手机号码格式不正确")
    return code


def mask_bank_number(number: str | None) -> str | None:
    """A bank card number for lists: only the last 4 digits shown (``***************0011``)."""
    if not number:
        return number
    n = number.strip()
    return "*" * len(n) if len(n) <= 4 else "*" * (len(n) - 4) + n[-4:]


def mask_mobile(number: str) -> str:
    """Mask a mobile number for display: ``138****1234``."""
    n = (number or "").strip()
    if len(n) > 7:
        return n[:3] + "*" * (len(n) - 7) + n[-4:]
    return "*" * len(n)


def region_code(value: object, field: str = "region") -> str:
    """Validate a 行政区划代码: 6 digits and present in the GB/T 2260 table (:mod:`shared.regions`)."""
    code = _text(value, field, "region", "行政区划代码")
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        raise InvalidInput.field(field, "region.format", "行政区划代码应为6位数字")
    if not regions.exists(code):
        raise InvalidInput.field(field, "region.unknown", "行政区划代码不存在")
    return code


# Pragmatic, not RFC 5322: one @, no spaces, a dotted domain with a 2+ letter TLD.
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                    r"[A-Za-z]{2,63}")


def email(value: object, field: str = "email") -> str:
    """Validate an e-mail address pragmatically and return it lower-cased.

    Lower case because addresses serve as contact keys and Chinese providers (QQ, 163) treat the
    local part case-insensitively; an upper-cased address would look odd to its owner.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidInput.field(field, "email.required", "请填写电子邮箱")
    if not isinstance(value, str):
        raise InvalidInput.field(field, "email.format", "电子邮箱格式不正确")
    addr = unicodedata.normalize("NFKC", value).strip().lower()
    local = addr.split("@", 1)[0]
    if (len(addr) > 254 or len(local) > 64 or not _EMAIL.fullmatch(addr)
            or local.startswith(".") or local.endswith(".") or ".." in addr):
        raise InvalidInput.field(field, "email.format", "电子邮箱格式不正确")
    return addr


# --- 银行账户 (户名, 开户行, 银行卡号) ------------------------------------------------------------------

_BANK_NUMBER = re.compile(r"[0-9]{12,30}")


def text_field(value: object, field: str, what: str, max_len: int) -> str:
    """A required free text (NFKC, stripped, visible, at most ``max_len`` characters): ``<field>.format``,
    ``<field>.required``, ``<field>.too_long`` otherwise."""
    if value is not None and not isinstance(value, str):
        raise InvalidInput.field(field, f"{field}.format", f"{what}应为文字")
    text = unicodedata.normalize("NFKC", value or "").strip()
    if not visible(text):  # empty, or only zero-width / invisible characters
        raise InvalidInput.field(field, f"{field}.required", f"请填写{what}")
    if len(text) > max_len:
        raise InvalidInput.field(field, f"{field}.too_long", f"{what}不能超过{max_len}个字")
    return text


def bank_account(value: object, name: str) -> dict[str, str]:
    """The account a subsidy is paid into, ``{"holder", "bank", "number"}``; it must be the person's
    own (户名 = ``name``): the subsidy is paid to the person, not a proxy."""
    if not isinstance(value, dict):
        raise InvalidInput.field("bank_account", "bank_account.required", "请填写银行账户信息")
    holder = text_field(value.get("holder"), "bank_account.holder", "户名", 50)
    if holder != name:
        raise InvalidInput.field("bank_account.holder", "bank_account.holder_mismatch", "户名须与本人姓名一致")
    bank = text_field(value.get("bank"), "bank_account.bank", "开户行", 100)
    raw = value.get("number")
    number = re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", raw)) if isinstance(raw, str) else ""
    if not _BANK_NUMBER.fullmatch(number):
        raise InvalidInput.field("bank_account.number", "bank_account.number_format", "银行卡号应为12-30位数字")
    return {"holder": holder, "bank": bank, "number": number}


def account_supersedes(at: datetime, held_at: datetime | None) -> bool:
    """Whether a bank account stated at ``at`` replaces the one held since ``held_at``: the newest
    statement wins. unit_registry's hand-off (``individual.approved``) and the graduate's corrections
    (``individual.bank_account_changed``) reach subsidy_review and finance_disbursement through separate
    queues, so an older one may arrive last; the same time again is the same statement (a duplicate)."""
    return held_at is None or at > held_at
