"""The roles identity's administration RPCs admit."""
from shared.auth.roles import Role

ADMIN = [Role.SYS_ADMIN]
MANAGERS = [Role.SYS_ADMIN, Role.UNIT_ADMIN]
