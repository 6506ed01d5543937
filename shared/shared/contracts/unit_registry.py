"""Events produced by unit_registry: registration and review of units (单位) and individuals (个人)."""
from typing import Any

from shared.contracts.base import OPINION, OPT_STR, OPT_UUID, REGION, STR, UUID, EventContract, obj

PRODUCER = "unit_registry"

UNIT = {"unit_id": UUID, "name": STR, "uscc": STR, "region": REGION}
UNIT_OPT = {"supervisor_region": REGION, "account_id": OPT_UUID, "status": STR, "opinion": OPINION,
            "leader": OPT_STR}
PERSON = {"individual_id": UUID, "unit_id": UUID, "name": STR, "id_type": STR, "id_number": STR,
          "region": REGION}
PERSON_OPT = {"account_id": OPT_UUID, "status": STR, "opinion": OPINION, "mobile": OPT_STR,
              "degree": OPT_STR, "graduated_on": OPT_STR, "unit_name": OPT_STR,
              "bank_account": {"type": ["object", "null"]}}


def _u(type_: str, description: str, required: dict[str, Any] | None = None) -> EventContract:
    return EventContract(type_, PRODUCER, obj({**UNIT, **(required or {})}, UNIT_OPT), description=description)


def _p(type_: str, description: str, required: dict[str, Any] | None = None) -> EventContract:
    return EventContract(type_, PRODUCER, obj({**PERSON, **(required or {})}, PERSON_OPT),
                         description=description)


CONTRACTS = [
    _u("unit.registered", "单位注册已提交，待县区人社局审核"),
    _u("unit.resubmitted", "单位修改后重新提交"),
    _u("unit.approved", "县区人社局审核通过单位注册"),
    _u("unit.returned", "县区人社局退回单位注册", {"opinion": STR}),
    _u("unit.changed", "单位信息已变更"),
    _u("unit.change_requested", "单位提交名称、信用代码或区划变更，待县区人社局审核", {"change_id": UUID}),
    _u("unit.change_returned", "县区人社局退回单位信息变更", {"change_id": UUID, "opinion": STR}),
    _p("individual.registered", "个人注册已提交，待单位审核"),
    _p("individual.resubmitted", "个人修改后重新提交"),
    _p("individual.approved", "单位审核通过个人注册"),
    _p("individual.returned", "单位退回个人注册", {"opinion": STR}),
    _p("individual.updated", "个人信息已变更"),
    _p("individual.left_unit", "个人已离开单位"),
    # the graduate corrects their own account after approval: subsidy_review freezes it into applications
    # approved from now on, finance_disbursement keeps it for a failed payment's retry
    _p("individual.bank_account_changed", "个人更正银行账户",
       {"bank_account": obj({"holder": STR, "bank": STR, "number": STR})}),
]


#: the Chinese labels of a registration's review status (units, unit changes, individuals)
REVIEW_LABELS: dict[str, str] = {"pending": "待审核", "approved": "审核通过", "returned": "退回修改"}
