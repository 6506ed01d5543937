"""/api/v1/me/opinion-templates: the caller's saved opinions (常用审核意见, identity), offered by every
approve/return dialog of the portal."""
import marshmallow as ma
from flask_smorest import Blueprint

from gateway.api.schemas import Int, Schema
from gateway.context import authorised_as, call
from shared.contracts.identity import OPINION_TEMPLATE_KINDS

bp = Blueprint("opinion_templates", __name__, url_prefix="/api/v1/me/opinion-templates",
               description="常用审核意见（identity）：本人保存的审核意见，审核通过、退回时可选用")

KINDS = list(OPINION_TEMPLATE_KINDS)
KIND_HELP = "适用范围：" + "、".join(f"{k}={v}" for k, v in OPINION_TEMPLATE_KINDS.items())


class OpinionTemplate(Schema):
    id = ma.fields.String()
    text = ma.fields.String()
    kind = ma.fields.String(metadata={"description": KIND_HELP})
    kind_label = ma.fields.String()
    sort_order = Int()
    created_at = ma.fields.String()
    updated_at = ma.fields.String()


class OpinionTemplateList(Schema):
    items = ma.fields.List(ma.fields.Nested(OpinionTemplate))
    total = Int()
    max = Int(metadata={"description": "每个账号最多可保存的条数（身份认证策略 opinion_templates_max）"})


class OpinionTemplateListArgs(Schema):
    kind = ma.fields.String(load_default=None, validate=ma.validate.OneOf(KINDS), metadata={
        "description": "approve：审核通过时可用的（含通用）；return：退回时可用的（含通用）"})


class OpinionTemplateArgs(Schema):
    """Lengths and the text's normalisation are identity's (one rule: 1-200 characters after NFC and trim)."""
    text = ma.fields.String(required=True, metadata={"description": "意见内容，1-200字"})
    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS), metadata={"description": KIND_HELP + "（默认 any）"})
    sort_order = Int(validate=ma.validate.Range(min=0, max=9999),
                     metadata={"description": "排序号（小的在前；默认排在最后）"})


class OpinionTemplateChanges(OpinionTemplateArgs):
    text = ma.fields.String(metadata={"description": "意见内容，1-200字"})


class OpinionTemplateDeleted(Schema):
    id = ma.fields.String()
    deleted = ma.fields.Boolean()


@bp.route("", methods=["GET"])
@bp.arguments(OpinionTemplateListArgs, location="query")
@bp.response(200, OpinionTemplateList)
@authorised_as("identity", "list_opinion_templates")
def list_templates(args):
    """本人的常用审核意见（按排序号）"""
    return call("identity", "list_opinion_templates", args["kind"])


@bp.route("", methods=["POST"])
@bp.arguments(OpinionTemplateArgs)
@bp.response(201, OpinionTemplate)
@authorised_as("identity", "create_opinion_template")
def create_template(args):
    """新增常用审核意见（每人最多50条，可由策略调整；内容相同的不能重复保存：409）"""
    return call("identity", "create_opinion_template", args)


@bp.route("/<template_id>", methods=["PUT"])
@bp.arguments(OpinionTemplateChanges)
@bp.response(200, OpinionTemplate)
@authorised_as("identity", "update_opinion_template")
def update_template(args, template_id):
    """修改本人的一条常用审核意见（内容、适用范围、排序号）；他人的为404"""
    return call("identity", "update_opinion_template", template_id, args)


@bp.route("/<template_id>", methods=["DELETE"])
@bp.response(200, OpinionTemplateDeleted)
@authorised_as("identity", "delete_opinion_template")
def delete_template(template_id):
    """删除本人的一条常用审核意见；他人的为404"""
    return call("identity", "delete_opinion_template", template_id)
