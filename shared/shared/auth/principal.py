"""The principal: who is calling, as the verified token says, and what they may see."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from shared import regions
from shared.auth.roles import LEVELS, Role
from shared.errors import Forbidden, NotFound

#: what an account that must change its password may still do, per service (everything else: 403)
PASSWORD_CHANGE_ALLOWED: dict[str, frozenset[str]] = {
    "identity": frozenset({"me", "change_password", "first_login_change_password", "send_first_login_code",
                           "logout", "send_sms_code", "consume_sms_code", "my_messages"}),
}


@dataclass(frozen=True)
class Principal:
    account_id: str
    role: str
    region: str | None = None
    unit_id: str | None = None
    name: str | None = None
    jti: str | None = None
    token_version: int = 0
    expires_at: int | None = None
    is_system: bool = False
    #: the token's ``pwc`` claim: an initial or reset password that must be changed before anything else
    password_change_required: bool = False

    @classmethod
    def system(cls, service: str) -> "Principal":
        """The service itself, acting on an event (no user token involved)."""
        return cls(account_id=f"system:{service}", role="system", name=service, is_system=True)

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role in Role.__members__.values() else self.role

    def as_actor(self) -> dict[str, Any]:
        """What an event may say about its actor: never a token."""
        return {"role": self.role, "account_id": self.account_id, "name": self.name}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def require_password_changed(self, service: str, operation: str) -> None:
        """Forbidden (403 ``account.password_change_required``) while the password must be changed,
        for every operation outside :data:`PASSWORD_CHANGE_ALLOWED`."""
        if self.password_change_required and operation not in PASSWORD_CHANGE_ALLOWED.get(service, ()):
            raise Forbidden("请先修改初始密码", code="account.password_change_required")

    def require_role(self, *roles: str) -> None:
        """Forbidden (403) unless the principal has one of ``roles``."""
        if roles and self.role not in roles:
            raise Forbidden(details={"role": self.role, "allowed": sorted(roles)})

    def sees_region(self, region: str | None) -> bool:
        """Whether a record in ``region`` lies in this officer's jurisdiction.

        County officers see their county only; city officers every county of their city (by the
        region table, not digit arithmetic); a housing bureau its city or county; the platform
        admin everything. Individuals and unit clerks are scoped by ownership, not region.
        """
        if region is None:
            return False
        level = LEVELS.get(self.role)
        if self.role == Role.SYS_ADMIN:
            return True
        if level == "county":
            return region == self.region
        if level == "city":
            return region == self.region or regions.city_of(region) == self.region
        if level == "area":
            return region == self.region or regions.is_within(region, self.region or "")
        return False

    def check_region(self, region: str | None) -> None:
        """NotFound (404) for a record outside the jurisdiction: its existence is not revealed."""
        if not self.sees_region(region):
            raise NotFound()
