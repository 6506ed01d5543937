"""identity's tables."""
from sqlalchemy import BigInteger, Boolean, Column, DateTime, Index, Integer, MetaData, String, Table, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB

from shared.db.tables import NAMING

metadata = MetaData(naming_convention=NAMING)

accounts = Table(
    "accounts", metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(50), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(30), nullable=False),
    Column("region", String(6), nullable=True),
    Column("unit_id", String(36), nullable=True),
    Column("name", String(50), nullable=False),
    Column("mobile", String(11), nullable=True),
    Column("email", String(100), nullable=True),
    Column("status", String(20), nullable=False, server_default=text("'active'")),  # active | deactivated
    Column("token_version", Integer, nullable=False, server_default=text("1")),
    Column("failed_logins", Integer, nullable=False, server_default=text("0")),
    Column("locked_until", DateTime(timezone=True), nullable=True),
    Column("must_change_password", Boolean, nullable=False, server_default=text("false")),
    # an initial (or admin-reset) password stops working at this instant (policy initial_password_days)
    Column("password_expires_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("last_login_at", DateTime(timezone=True), nullable=True),
)
Index("uq_accounts_username_lower", func.lower(accounts.c.username), unique=True)
Index("ix_accounts_role_region", accounts.c.role, accounts.c.region)

refresh_tokens = Table(
    "refresh_tokens", metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("access_jti", String(64), nullable=True),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# SMS verification codes: only a keyed hash of the code is stored; single use, short-lived
sms_codes = Table(
    "sms_codes", metadata,
    Column("id", String(36), primary_key=True),
    Column("mobile", String(11), nullable=False),
    Column("purpose", String(30), nullable=False),
    Column("code_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("consumed_at", DateTime(timezone=True), nullable=True),
    Column("failed_attempts", Integer, nullable=False, server_default=text("0")),
    Column("delivery", String(20), nullable=False, server_default=text("'pending'")),  # pending | sent | failed
)
Index("ix_sms_codes_mobile_created", sms_codes.c.mobile, sms_codes.c.created_at)

# the development sender's inbox (SMS_SENDER=dev only): what a phone would have received
sms_dev_inbox = Table(
    "sms_dev_inbox", metadata,
    Column("id", String(36), primary_key=True),
    Column("mobile", String(11), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False),
)

# identity's policy numbers (code lifetime, request limits, initial password days...): data, not constants
identity_policy = Table(
    "identity_policy", metadata,
    Column("key", String(50), primary_key=True),
    Column("value", JSONB, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# failed logins by client address and username (known or not): the per-address limit and the
# (username, address) pause, which neither tells whether a username exists nor lets anyone lock an
# account for its owner elsewhere
login_failures = Table(
    "login_failures", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("ip", String(45), nullable=False),
    Column("username", String(50), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("ix_login_failures_ip_at", login_failures.c.ip, login_failures.c.at)
Index("ix_login_failures_username_ip_at", login_failures.c.username, login_failures.c.ip, login_failures.c.at)

# in-app messages (站内消息) to an account, from the stage events that concern it
messages = Table(
    "messages", metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), nullable=False),
    Column("kind", String(30), nullable=False),          # returned | approved | paid | receipt_requested
    Column("title", String(100), nullable=False),
    Column("body", Text, nullable=False),
    Column("link", String(200), nullable=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True), nullable=True),
    # also by SMS when the policy's notify_sms_kinds lists the kind: delivered after the commit by a timer
    Column("sms_mobile", String(11), nullable=True),
    Column("sms_state", String(10), nullable=True),       # pending | sending | sent | failed
    # a sender claims a message ("sending") before the network call; one that crashed leaves it there, and
    # the sweeper puts it back to "pending" (or "failed", with the reason, after the policy's attempts)
    Column("sms_attempts", Integer, nullable=False, server_default=text("0")),
    Column("sms_claimed_at", DateTime(timezone=True), nullable=True),
    Column("sms_error", String(200), nullable=True),
)
Index("ix_messages_account_created", messages.c.account_id, messages.c.created_at)
Index("ix_messages_sms_state", messages.c.sms_state)

# whose application is it: learnt from application.submitted / resubmitted (the snapshot's account_id)
application_owners = Table(
    "application_owners", metadata,
    Column("application_id", String(36), primary_key=True),
    Column("account_id", String(36), nullable=False),
)

# units as unit_registry's events describe them: a unit logs in with its 统一社会信用代码 or 组织机构代码
units = Table(
    "units", metadata,
    Column("unit_id", String(36), primary_key=True),
    Column("uscc", String(18), nullable=False, index=True),
    Column("org_code", String(9), nullable=False, index=True),
    Column("account_id", String(36), nullable=True),
    Column("name", String(200), nullable=True),
)

# 常用审核意见: an officer's saved opinions, offered in every approve/return dialog (own account only)
opinion_templates = Table(
    "opinion_templates", metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), nullable=False),
    Column("text", String(200), nullable=False),
    Column("kind", String(10), nullable=False, server_default=text("'any'")),  # approve | return | any
    Column("sort_order", Integer, nullable=False, server_default=text("0")),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_opinion_templates_account_order", opinion_templates.c.account_id, opinion_templates.c.sort_order)
# the same text twice for one officer is a duplicate whatever its kind (409 opinion_template.duplicate)
Index("uq_opinion_templates_account_text", opinion_templates.c.account_id, opinion_templates.c.text, unique=True)
