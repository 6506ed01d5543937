"""The schemas of the remittance roster and the reminders to employers that have not remitted."""
from __future__ import annotations

import marshmallow as ma

from gateway.api.remittances.common import MONTH
from gateway.api.schemas import Int, Schema


class RosterArgs(Schema):
    month = ma.fields.String(required=True, validate=MONTH)
    mode = ma.fields.String(load_default="remit", validate=ma.validate.OneOf(["remit", "back_pay"]))


class RosterItem(Schema):
    employee_id = ma.fields.String()
    name = ma.fields.String()
    id_number = ma.fields.String()
    level = ma.fields.String()
    monthly_fen = Int()
    amount_fen = Int(metadata={"description": "本月汇缴金额（指定汇缴沿用）"})
    overridden = ma.fields.Boolean()
    start_month = ma.fields.String(allow_none=True)
    held = ma.fields.Boolean(metadata={"description": "已在未完成的汇缴申请中"})
    has_history = ma.fields.Boolean(metadata={"description": "在本单位有汇缴记录"})


class Roster(Schema):
    month = ma.fields.String()
    mode = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(RosterItem))
    total = Int()
    total_fen = Int()


class ReminderArgs(Schema):
    month = ma.fields.String(load_default=None, validate=MONTH)


class ReminderResult(Schema):
    sent = Int()
