"""Account rules, free of frameworks: password policy, lockout, who may hold which region."""
from __future__ import annotations

import re

from shared import regions
from shared.auth.roles import LEVELS, Role
from shared.errors import InvalidInput

USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{3,50}$")


def check_username(username: str) -> str:
    username = (username or "").strip()
    if not USERNAME.match(username):
        raise InvalidInput.field("username", "account.username_invalid", "用户名应为3-50位字母、数字或_.@-")
    return username


PASSWORD_CLASSES = (re.compile(r"[A-Z]"), re.compile(r"[a-z]"), re.compile(r"\d"), re.compile(r"[^A-Za-z\d]"))


def check_password(password: str, field: str = "password") -> str:
    """8-64 characters (argon2 takes any length, clerks don't), no spaces or control characters, with
    at least three of: capital letters, small letters, digits, symbols."""
    if not isinstance(password, str) or not 8 <= len(password) <= 64:
        raise InvalidInput.field(field, "account.password_length", "密码长度应为8-64位")
    if any(ch.isspace() or not ch.isprintable() or not ch.isascii() for ch in password):
        raise InvalidInput.field(field, "account.password_characters", "密码只能由字母、数字和英文符号组成，不能有空格")
    if sum(1 for pattern in PASSWORD_CLASSES if pattern.search(password)) < 3:
        raise InvalidInput.field(field, "account.password_weak", "密码须包含大写字母、小写字母、数字、符号中的至少三种")
    return password


def check_initial_password(password: str, field: str = "password") -> str:
    """An initial password handed out by the platform (e.g. the last 6 characters of a 组织机构代码):
    6-64 printable characters; it works once, until the owner sets a strong one."""
    if not isinstance(password, str) or not 6 <= len(password) <= 64:
        raise InvalidInput.field(field, "account.password_length", "初始密码长度应为6-64位")
    if any(ch.isspace() or not ch.isprintable() for ch in password):
        raise InvalidInput.field(field, "account.password_characters", "密码不能有空格或控制字符")
    return password


def check_role_region(role: str, region: str | None) -> str | None:
    """An officer needs a region of their level: a county for county roles, a city for city roles."""
    try:
        role_ = Role(role)
    except ValueError:
        raise InvalidInput.field("role", "account.role_unknown", "角色不存在") from None
    level = LEVELS.get(role_)
    if level is None:
        return region or None
    if not region or not regions.exists(region):
        raise InvalidInput.field("region", "region.unknown", "请选择有效的行政区划")
    if level == "city" and regions.city_of(region) != region:
        raise InvalidInput.field("region", "account.region_level", "市级部门的行政区划应为地级市")
    found = regions.get(region)
    assert found is not None  # exists(region) above
    is_county = found.level == "county" or [r.code for r in regions.counties_of(region)] == [region]
    if level == "county" and not is_county:
        raise InvalidInput.field("region", "account.region_level", "县区部门的行政区划应为县区")
    return region
