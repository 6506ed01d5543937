"""The plain-Python check of flat event schemas agrees with jsonschema: whatever it passes, jsonschema
passes; whatever it refuses is refused with jsonschema's own message."""
import jsonschema
import pytest

from shared import contracts
from shared.contracts.base import _fast_check
from shared.errors import InvalidInput

LINE = {"bank_line_id": "0e0f4a4e-9a59-4c3e-8f0c-0d6b0e4b7a11", "region": "440703", "amount_fen": 100,
        "status": "returned", "serial": "BR1", "reason": None, "payer_account": "6222"}


@pytest.mark.parametrize("data, valid", [
    (LINE, True),
    ({**LINE, "extra": {"nested": [1]}}, True),                          # extra fields are allowed
    ({k: v for k, v in LINE.items() if k != "region"}, False),           # required missing
    ({**LINE, "region": "44070"}, False),                                # pattern
    ({**LINE, "amount_fen": -1}, False),                                 # minimum
    ({**LINE, "amount_fen": True}, False),                               # a bool is no integer
    ({**LINE, "amount_fen": 1.5}, False),                                # nor is a fraction
    ({**LINE, "serial": 7}, False),                                      # type
    ({**LINE, "opinion": "x" * 501}, False),                             # maxLength
    ({**LINE, "reason": None}, True),                                    # null allowed where declared
])
def test_the_fast_check_agrees_with_jsonschema(data, valid):
    assert_fast_check_agrees("bank_line.returned", data, valid)


def assert_fast_check_agrees(event_type: str, data: dict, valid: bool) -> None:
    """The contract compiles to the fast check, which answers ``valid`` for ``data`` as jsonschema does,
    and the contract's validate accepts or refuses it accordingly."""
    contract = contracts.get(event_type)
    fast = _fast_check(contract.schema)
    assert fast is not None
    assert fast(data) is valid
    assert jsonschema.Draft202012Validator(contract.schema).is_valid(data) is valid
    if valid:
        contract.validate(data)
    else:
        with pytest.raises(InvalidInput) as info:
            contract.validate(data)
        assert info.value.code == "event.schema"


def test_every_contract_either_compiles_or_falls_back_to_jsonschema():
    for contract in contracts.CATALOGUE.values():
        fast = _fast_check(contract.schema)
        if fast is not None:  # whatever it passes, jsonschema passes too (here: the empty object)
            assert not fast({}) or jsonschema.Draft202012Validator(contract.schema).is_valid({})


PERSON = {"individual_id": "0e0f4a4e-9a59-4c3e-8f0c-0d6b0e4b7a11", "unit_id": "0e0f4a4e-9a59-4c3e-8f0c-0d6b0e4b7a12",
          "name": "王小明", "id_type": "resident_id", "id_number": "440703199803151233", "region": "440703",
          "bank_account": {"holder": "王小明", "bank": "中国工商银行", "number": "6222"}}


@pytest.mark.parametrize("data, valid", [
    (PERSON, True),
    ({**PERSON, "bank_account": None}, True),                            # object or null
    ({**PERSON, "bank_account": "6222"}, False),                         # neither
    ({**PERSON, "bank_account": ["6222"]}, False),
])
def test_a_property_typed_object_is_checked_fast_too(data, valid):
    assert_fast_check_agrees("individual.approved", data, valid)
