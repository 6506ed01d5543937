"""Individual registration (个人注册): what a graduate must give and how the unit reviews it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared import validators
from shared.contracts.statuses import DEGREES
from shared.errors import InvalidInput
from shared.workflow import Workflow
from unit_registry.domain.statuses import APPROVED, PENDING, RETURNED

# The unit reviews each registration; a returned one is corrected by the graduate and comes back.
REVIEW = Workflow("individual", {
    (PENDING, "approve"): APPROVED,
    (PENDING, "return"): RETURNED,
    (RETURNED, "resubmit"): PENDING,
})

EARLIEST_GRADUATION = date(1950, 1, 1)


@dataclass(frozen=True)
class BankAccount:
    """The account the subsidy is paid into (户名, 开户行, 银行卡号)."""

    holder: str
    bank: str
    number: str

    def as_dict(self) -> dict[str, str]:
        return {"holder": self.holder, "bank": self.bank, "number": self.number}


@dataclass(frozen=True)
class Registration:
    """A graduate's registration data, validated and normalised."""

    name: str
    id_type: str
    id_number: str
    mobile: str
    degree: str
    graduated_on: date
    bank_account: BankAccount


_text = validators.text_field  # the checks of a free text, shared with the bank account's


def check_degree(degree: object) -> str:
    """学历: one of the policy table's degrees."""
    if degree not in DEGREES:
        raise InvalidInput.field("degree", "degree.unknown", "请选择学历：" + "、".join(DEGREES.values()))
    return str(degree)


def check_graduated_on(value: object, today: date) -> date:
    """毕业时间: a real date, not in the future (a graduate registers after graduating)."""
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value or "").strip())
        except ValueError:
            raise InvalidInput.field("graduated_on", "graduated_on.format",
                                     "毕业时间应为YYYY-MM-DD格式的日期") from None
    if day > today:
        raise InvalidInput.field("graduated_on", "graduated_on.future", "毕业时间不能晚于今天")
    if day < EARLIEST_GRADUATION:
        raise InvalidInput.field("graduated_on", "graduated_on.too_early", "毕业时间不正确")
    return day


def check_bank_account(value: object, name: str) -> BankAccount:
    """The bank account must be the graduate's own: the subsidy is paid to the person, not a proxy."""
    return BankAccount(**validators.bank_account(value, name))


def check_registration(data: dict, today: date) -> Registration:
    """Validate what the graduate submits; the first invalid field is reported (400)."""
    if not isinstance(data, dict):
        raise InvalidInput("请填写个人注册信息", code="individual.data_required")
    name = validators.person_name(data.get("name"), "name")
    id_type = data.get("id_type") or validators.DocumentType.RESIDENT_ID.value
    id_number = validators.id_document(id_type, data.get("id_number"), today=today)
    mobile = validators.mobile(data.get("mobile"))
    degree = check_degree(data.get("degree"))
    graduated_on = check_graduated_on(data.get("graduated_on"), today)
    check_age_at_graduation(validators.birth_date_in(str(id_type), id_number), graduated_on)
    return Registration(
        name=name, id_type=str(id_type), id_number=id_number, mobile=mobile, degree=degree,
        graduated_on=graduated_on, bank_account=check_bank_account(data.get("bank_account"), name),
    )


MIN_AGE_AT_GRADUATION = 16


def check_age_at_graduation(born: date | None, graduated_on: date) -> None:
    """A graduate is at least 16 on the day of graduation (the birth date is the ID number's)."""
    if born is None:
        return
    try:
        sixteenth = born.replace(year=born.year + MIN_AGE_AT_GRADUATION)
    except ValueError:  # born on 29 February
        sixteenth = date(born.year + MIN_AGE_AT_GRADUATION, 3, 1)
    if graduated_on < sixteenth:
        raise InvalidInput.field("graduated_on", "graduated_on.too_young",
                                 f"毕业时间与证件号码中的出生日期不符（毕业时应年满{MIN_AGE_AT_GRADUATION}周岁）")
