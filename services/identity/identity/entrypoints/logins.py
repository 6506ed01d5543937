"""Logins identity opens or follows on other services' events (line B's employers and employees,
line A's units)."""
from __future__ import annotations

from identity import employer_accounts, unit_logins
from shared.events import Envelope
from shared.service import Tx, subscribe


class LoginEventHandlers:
    """Mixin of :class:`IdentityService`: logins that follow other services' events."""

    # -- line B logins from housing_fund's events (identity/employer_accounts.py) ---------------
    @subscribe("employer.approved")
    def on_employer_approved(self, tx: Tx, event: Envelope) -> None:
        employer_accounts.open_employer_login(tx, event)

    @subscribe("employer.migrated")
    def on_employer_migrated(self, tx: Tx, event: Envelope) -> None:
        employer_accounts.open_employer_login(tx, event)

    @subscribe("employer.changed")
    def on_employer_changed(self, tx: Tx, event: Envelope) -> None:
        employer_accounts.follow_employer_change(tx, event)

    @subscribe("employee.opened")
    def on_employee_opened(self, tx: Tx, event: Envelope) -> None:
        employer_accounts.open_employee_login(tx, event)

    @subscribe("employee.password_reset")
    def on_employee_password_reset(self, tx: Tx, event: Envelope) -> None:
        employer_accounts.reset_employee_login(tx, event)

    @subscribe("unit.approved")
    def on_unit_approved(self, tx: Tx, event):
        unit_logins.on_unit_event(tx, event)

    @subscribe("unit.changed")
    def on_unit_changed(self, tx: Tx, event):
        unit_logins.on_unit_event(tx, event)
