"""A small state machine: an aggregate changes status only through its transitions.

    REVIEW = Workflow("application", {
        ("pending_unit_review", "unit_approve"): "pending_report", ...})
    new_status = REVIEW.next(app.status, "unit_approve")   # or IllegalTransition (409)

Framework-free, so domain modules can use it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.errors import IllegalTransition


@dataclass(frozen=True)
class Workflow:
    name: str
    transitions: dict[tuple[str, str], str]
    #: what the refusal's code names (``<error_subject>.illegal_transition``) when the caller knows the
    #: record by another name than the workflow's (an org case or a finance item is "the application")
    error_subject: str | None = None

    def next(self, status: str, action: str, *, message: str | None = None,
             details: dict[str, Any] | None = None) -> str:
        """The status after ``action``; 409 ``<name>.illegal_transition`` when not allowed now, with
        ``message`` (say which record and its status) and ``details`` (its id) when given."""
        try:
            return self.transitions[(status, action)]
        except KeyError:
            raise IllegalTransition(message, details={"status": status, "action": action, **(details or {})},
                                    code=f"{self.error_subject or self.name}.illegal_transition") from None

    def allows(self, status: str, action: str) -> bool:
        return (status, action) in self.transitions

    def actions_from(self, status: str) -> list[str]:
        return sorted(a for (s, a) in self.transitions if s == status)

    def statuses(self) -> set[str]:
        return {s for s, _ in self.transitions} | set(self.transitions.values())
