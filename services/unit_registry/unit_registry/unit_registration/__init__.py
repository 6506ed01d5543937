"""单位注册 and its review by the county HRSS of the unit's 主管部门, and 单位信息管理 (changes).

- The gateway first asks ``check_unit_registration`` (a dry run: nothing is written), then identity
  creates the account (role unit_admin, with the unit id the gateway chose), then ``register_unit``
  runs with that account's token and files the unit as pending.
- A pending or returned unit's clerk sees the unit, its status and the reviewer's opinion; every round
  (submitted, returned, resubmitted, approved) is kept in ``review_history``.
- A change of name, USCC or region is a change request reviewed by the same county; the unit's
  current data stays in force until it is approved. Other fields change at once.

One module per step (terms, registration, changes; common for what they share); this package is their
single entry."""
from unit_registry.unit_registration.changes import (
    approve_unit_change,
    change_view,
    get_unit_change,
    list_unit_changes,
    may_see_change,
    return_unit_change,
    update_unit,
)
from unit_registry.unit_registration.common import (
    UNIT_KINDS,
    UNIT_OFFICERS,
    history,
    history_many,
    history_of,
    jurisdiction,
    load_unit,
    may_see_unit,
    unit_not_found,
)
from unit_registry.unit_registration.registration import (
    approve_unit,
    check_unit_registration,
    county_todos,
    register_unit,
    resubmit_unit,
    return_unit,
    unit_detail,
    unit_history,
)
from unit_registry.unit_registration.terms import TERMS_KINDS, check_terms_accepted, current_terms

__all__ = ["TERMS_KINDS", "UNIT_KINDS", "UNIT_OFFICERS", "approve_unit", "approve_unit_change", "change_view",
           "check_terms_accepted", "check_unit_registration", "county_todos", "current_terms", "get_unit_change",
           "history", "history_many", "history_of", "jurisdiction", "list_unit_changes", "load_unit", "may_see_change",
           "may_see_unit", "register_unit", "resubmit_unit", "return_unit", "return_unit_change", "unit_detail",
           "unit_history", "unit_not_found", "update_unit"]
