"""What a review accepts and answers: approve, return, approve in bulk."""
import marshmallow as ma

from gateway.api.schemas import Int, Schema


class ApproveArgs(Schema):
    opinion = ma.fields.String(load_default=None, validate=ma.validate.Length(max=500))


class ReturnArgs(Schema):
    opinion = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class BulkApproveArgs(Schema):
    individual_ids = ma.fields.List(ma.fields.String(), load_default=None,
                                    metadata={"description": "勾选的注册信息；不传则为本单位全部待审核"})


class BulkApproveResult(Schema):
    approved = Int()
    individual_ids = ma.fields.List(ma.fields.String())
