"""单位信息变更: an employer asks to change its information; the bureau approves or returns."""
from __future__ import annotations

import marshmallow as ma

from gateway.api.housing.common import SERVICE, bp
from gateway.api.housing.schemas import EmployerApproveArgs, EmployerReturnArgs
from gateway.api.schemas import PageArgs, Schema, list_args, page_of
from gateway.context import authorised_as, call
from shared.contracts.housing_fund import REVIEW_STATUSES


# -- 单位信息变更 ------------------------------------------------------------------------------------------
class EmployerChangeArgs(Schema):
    data = ma.fields.Dict(required=True, metadata={"description": "要变更的字段：name, address, legal_person, "
                                                                  "contact_name, contact_mobile, bank_name, "
                                                                  "bank_account_name, bank_account_no, nature, phone, "
                                                                  "email, postcode"})
    attachments = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "变更材料：POST /api/v1/attachments（kind employer_change）返回的 id"})
    reason = ma.fields.String(load_default=None)


class EmployerChange(Schema):
    id = ma.fields.String()
    employer_id = ma.fields.String()
    employer_name = ma.fields.String()
    status = ma.fields.String(metadata={"description": "pending 待审核 | approved 审核通过（已生效） | returned 退回"})
    status_label = ma.fields.String()
    before = ma.fields.Dict()
    after = ma.fields.Dict()
    fields = ma.fields.List(ma.fields.String())  # type: ignore[assignment]  # the API's name; marshmallow declares it
    labels = ma.fields.Dict()
    summary = ma.fields.String()
    attachments = ma.fields.List(ma.fields.Dict())
    reason = ma.fields.String(allow_none=True)
    submitted_at = ma.fields.String()
    opinion = ma.fields.String(allow_none=True)
    decided_at = ma.fields.String(allow_none=True)
    review_done = ma.fields.Boolean()


class EmployerChangeFilter(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(list(REVIEW_STATUSES)))


@bp.route("/employer-changes", methods=["POST"])
@bp.arguments(EmployerChangeArgs)
@bp.response(201, EmployerChange)
@authorised_as(SERVICE, "request_employer_change")
def request_employer_change(args):
    """新增单位信息变更：资料与附件，提交后等待住建局批复，审核通过后变更生效"""
    return call(SERVICE, "request_employer_change", args["data"], args["attachments"], args["reason"])


@bp.route("/employer-changes", methods=["GET"])
@bp.arguments(EmployerChangeFilter, location="query")
@bp.response(200, page_of(EmployerChange))
@authorised_as(SERVICE, "list_employer_changes")
def list_employer_changes(args):
    """单位信息变更记录（单位：本单位；住建局：本辖区，status=pending 为待审核）"""
    return call(SERVICE, "list_employer_changes", *list_args(args))


@bp.route("/employer-changes/<change_id>", methods=["GET"])
@bp.response(200, EmployerChange)
@authorised_as(SERVICE, "get_employer_change")
def get_employer_change(change_id):
    """查看变更记录的具体内容"""
    return call(SERVICE, "get_employer_change", change_id)


@bp.route("/employer-changes/<change_id>/approve", methods=["POST"])
@bp.arguments(EmployerApproveArgs)
@bp.response(200, EmployerChange)
@authorised_as(SERVICE, "approve_employer_change")
def approve_employer_change(args, change_id):
    """住建局审核通过单位信息变更（变更生效）"""
    return call(SERVICE, "approve_employer_change", change_id, args.get("opinion"))


@bp.route("/employer-changes/<change_id>/return", methods=["POST"])
@bp.arguments(EmployerReturnArgs)
@bp.response(200, EmployerChange)
@authorised_as(SERVICE, "return_employer_change")
def return_employer_change(args, change_id):
    """住建局退回单位信息变更（须填写意见）"""
    return call(SERVICE, "return_employer_change", change_id, args["opinion"])
