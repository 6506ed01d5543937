"""Authentication and authorisation: roles, the principal, signed tokens, revocation.

The gateway forwards the user's JWT in the RPC context; every service verifies it itself
(signature with identity's public keys, expiry, revocation) - broker headers are not authenticated.
"""
from shared.auth.principal import Principal  # noqa: F401
from shared.auth.roles import Role  # noqa: F401
