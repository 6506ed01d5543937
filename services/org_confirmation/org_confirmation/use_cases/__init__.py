"""org_confirmation's use cases. Each takes the unit of work (``tx``) first; the nameko class only
wires them. Every decision writes its audit rows and its events in the caller's transaction. One
module per stage keeps the files small; this package is their single entry."""
from org_confirmation.use_cases.arrivals import receive_report
from org_confirmation.use_cases.city import aggregate, city_confirm, city_return, city_return_application
from org_confirmation.use_cases.county import county_confirm, county_return
from org_confirmation.use_cases.reads import get_batch, get_case, list_batches, list_cases, todos
from org_confirmation.use_cases.verification import verify_batch

__all__ = [
    "aggregate", "city_confirm", "city_return", "city_return_application", "county_confirm", "county_return",
    "get_batch", "get_case", "list_batches", "list_cases", "receive_report", "todos", "verify_batch",
]
