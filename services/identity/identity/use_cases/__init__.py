"""identity's use cases. Each takes the unit of work (``tx``) first; the nameko class only wires them.
One module per function group (accounts, sessions, credentials); this package is their single entry."""
from identity.use_cases.accounts import (
    add_account,
    audit_created,
    audit_view,
    bump_token_version,
    check_new_password,
    check_unit_id,
    create_account,
    get_account,
    list_accounts,
    load,
    serialize,
    set_status,
    update_profile,
    username_taken,
)
from identity.use_cases.credentials import (
    change_password,
    first_login_change_password,
    first_login_mobile,
    reset_password,
)
from identity.use_cases.sessions import issue_tokens, login, logout, refresh

__all__ = ["add_account", "audit_created", "audit_view", "bump_token_version", "change_password",
           "check_new_password", "check_unit_id", "create_account", "first_login_change_password",
           "first_login_mobile", "get_account", "issue_tokens", "list_accounts", "load", "login", "logout", "refresh",
           "reset_password", "serialize", "set_status", "update_profile", "username_taken"]
