"""汇缴申请: the roster to remit for, submitting a remittance or back-payment, the bureau's approval
or return, and the monthly reminder to employers that have not remitted. One module per step; this
package is their single entry (``remittances.submit``, ``remittances.approve`` ...)."""
from housing_fund.use_cases.remittances.common import SHANGHAI, current_month, get, list_, load, rounds_of, view
from housing_fund.use_cases.remittances.reminders import send_reminders, todos
from housing_fund.use_cases.remittances.review import approve, return_
from housing_fund.use_cases.remittances.submission import resubmit, roster, submit

__all__ = ["SHANGHAI", "approve", "current_month", "get", "list_", "load", "resubmit", "return_", "rounds_of",
           "roster", "send_reminders", "submit", "todos", "view"]
