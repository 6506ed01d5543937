"""What the application routes accept: the application, opinions, ticked applications, filters, the policy."""
import marshmallow as ma

from gateway.api.applications.common import STATUS
from gateway.api.schemas import Int, PageArgs, Schema
from shared.contracts.statuses import DEGREES


class WorkHistory(Schema):
    employer = ma.fields.String(required=True)
    position = ma.fields.String(load_default="")
    start = ma.fields.String(data_key="from", load_default="")
    end = ma.fields.String(data_key="to", load_default="")


#: the ceiling any city's policy may set (set_policy refuses more); the city's own maximum (36 by
#: default, policy data) is applied by subsidy_review
POLICY_MONTHS_CEILING = 120


class ApplicationArgs(Schema):
    degree = ma.fields.String(required=True, validate=ma.validate.OneOf(list(DEGREES)),
                              metadata={"description": "学历：" + "、".join(f"{k} {v}" for k, v in DEGREES.items())})
    months = Int(required=True, validate=ma.validate.Range(min=1, max=POLICY_MONTHS_CEILING),
                 metadata={"description": "补贴月数：整数，1至本市政策的最长补贴月数（默认36）"})
    start_date = ma.fields.String(required=True, metadata={"description": "补助申领起始日期 YYYY-MM-DD"})
    work_history = ma.fields.List(ma.fields.Nested(WorkHistory), load_default=list)
    attachment_ids = ma.fields.List(ma.fields.String(), metadata={
        "description": "申请材料（POST /attachments，kind=application_material）的附件标识；"
                       "重新提交时不传则保留原材料"})


class Opinion(Schema):
    opinion = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=500))


class RequiredOpinion(Schema):
    opinion = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class Ids(Schema):
    application_ids = ma.fields.List(ma.fields.String(), required=True, validate=ma.validate.Length(min=1, max=500))


class OptionalIds(Schema):
    application_ids = ma.fields.List(ma.fields.String(), load_default=None)


class ApplicationFilter(PageArgs):
    status = STATUS
    unit_id = ma.fields.String()
    county = ma.fields.String(validate=ma.validate.Regexp(r"^\d{6}$"))
    degree = ma.fields.String()


class Policy(Schema):
    standards_fen = ma.fields.Dict(keys=ma.fields.String(), values=Int(), required=True)
    max_months = Int(required=True, validate=ma.validate.Range(min=1, max=POLICY_MONTHS_CEILING))
    effective_from = ma.fields.String(required=True)
