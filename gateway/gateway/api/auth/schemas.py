"""What the login and own-account routes accept and answer: the account, tokens, SMS codes, profile changes."""
import marshmallow as ma

from gateway.api.schemas import Int, Schema


class Account(Schema):
    id = ma.fields.String()
    username = ma.fields.String()
    role = ma.fields.String()
    role_label = ma.fields.String()
    region = ma.fields.String(allow_none=True)
    region_name = ma.fields.String(allow_none=True)
    unit_id = ma.fields.String(allow_none=True)
    name = ma.fields.String()
    mobile = ma.fields.String(allow_none=True)
    email = ma.fields.String(allow_none=True)
    status = ma.fields.String()
    status_label = ma.fields.String()
    locked = ma.fields.Boolean()
    locked_until = ma.fields.String(allow_none=True)
    must_change_password = ma.fields.Boolean()
    password_expires_at = ma.fields.String(allow_none=True)
    created_at = ma.fields.String(allow_none=True)
    last_login_at = ma.fields.String(allow_none=True)


class Tokens(Schema):
    access_token = ma.fields.String()
    token_type = ma.fields.String()
    expires_in = Int()
    expires_at = Int()
    refresh_token = ma.fields.String()
    account = ma.fields.Nested(Account)


class LoginArgs(Schema):
    username = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=50))
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=128))


class RefreshArgs(Schema):
    refresh_token = ma.fields.String(required=True)


class ProfileArgs(Schema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=50))
    mobile = ma.fields.String(allow_none=True, metadata={
        "description": "只读：须与当前手机号相同（修改手机号请用 POST /me/mobile，否则 400 "
                       "account.mobile_change_requires_code）"})
    email = ma.fields.String(allow_none=True)


class NewMobileArgs(Schema):
    mobile = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20),
                              metadata={"description": "新手机号码（验证码发往该号码）"})


class ChangeMobileArgs(NewMobileArgs):
    sms_code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=10),
                                metadata={"description": "发往新手机号的验证码（POST /me/mobile/sms-code）"})
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=128),
                                metadata={"description": "当前登录密码"})


class PasswordArgs(Schema):
    old_password = ma.fields.String(required=True)
    new_password = ma.fields.String(required=True)


SMS_PURPOSES = ["login", "register", "first_login", "change_mobile", "employer_register"]


class SmsCodeArgs(Schema):
    mobile = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20))
    purpose = ma.fields.String(required=True, validate=ma.validate.OneOf(SMS_PURPOSES))


class SmsCodeSent(Schema):
    sent = ma.fields.Boolean()
    expires_in = Int()
    retry_after = Int()


class SmsLoginArgs(Schema):
    mobile = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20))
    code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=10))
    username = ma.fields.String(validate=ma.validate.Length(min=1, max=50))


class FirstLoginArgs(Schema):
    sms_code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=10))
    new_password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=128))


class FirstLoginCodeSent(SmsCodeSent):
    mobile = ma.fields.String()


class Ok(Schema):
    ok = ma.fields.Boolean()
