"""The schemas of 缴款历史补录 (back-fills) and their attachments."""
from __future__ import annotations

import marshmallow as ma

from gateway.api.remittances.common import MONTH
from gateway.api.schemas import Int, Schema


class Attachment(Schema):
    id = ma.fields.String(required=True)
    filename = ma.fields.String(load_default=None)
    kind = ma.fields.String(load_default=None)


class BackfillRow(Schema):
    employee_id = ma.fields.String(required=True)
    month = ma.fields.String(required=True, validate=MONTH, metadata={"description": "缴款月份（早于本月）"})
    amount_fen = Int(required=True)
    periods = Int(load_default=1)


class BackfillRequest(Schema):
    rows = ma.fields.List(ma.fields.Nested(BackfillRow), required=True)
    attachments = ma.fields.List(ma.fields.Nested(Attachment), required=True)
    reason = ma.fields.String(load_default=None)


class Backfill(Schema):
    id = ma.fields.String()
    employer_id = ma.fields.String()
    employer_name = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"description": "pending 待审核 | approved 已入账 | returned 已退回"})
    status_label = ma.fields.String()
    total_fen = Int()
    row_count = Int()
    rows = ma.fields.List(ma.fields.Dict())
    attachments = ma.fields.List(ma.fields.Dict())
    reason = ma.fields.String(allow_none=True)
    submitted_at = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    decided_at = ma.fields.String(allow_none=True)
