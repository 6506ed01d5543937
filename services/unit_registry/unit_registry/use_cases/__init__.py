"""unit_registry's use cases of 个人注册 and of reading people and units (单位注册 and its changes are
``unit_registry.unit_registration``). Each takes the unit of work (``tx``) first; the nameko class only
wires them. One module per group keeps the files small; this package is their single entry."""
from unit_registry.use_cases.common import individual_detail, may_see_individual
from unit_registry.use_cases.reading import (
    get_individual,
    get_unit,
    list_approved_units,
    list_individuals,
    list_units,
    my_unit,
    todos,
)
from unit_registry.use_cases.registration import (
    change_bank_account,
    check_individual_registration,
    import_approved_individual,
    my_registration,
    register_individual,
    resubmit_individual,
)
from unit_registry.use_cases.review import approve_all_individuals, approve_individual, return_individual

__all__ = [
    "approve_all_individuals", "approve_individual", "change_bank_account", "check_individual_registration",
    "get_individual", "get_unit", "import_approved_individual", "individual_detail", "list_approved_units",
    "list_individuals", "list_units", "may_see_individual", "my_registration", "my_unit",
    "register_individual", "resubmit_individual", "return_individual", "todos",
]
