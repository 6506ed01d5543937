"""/api/v1/todos and /api/v1/jobs: what spans services."""
import logging

import marshmallow as ma
from flask import current_app
from flask_smorest import Blueprint

from gateway.api import stage_times
from gateway.api.schemas import Documented, Int, Job
from gateway.context import call, call_each
from shared.errors import NotFound, PlatformError

log = logging.getLogger(__name__)
bp = Blueprint("work", __name__, url_prefix="/api/v1", description="待办事项与后台任务")

#: services whose to-do counters make up the home page, in the order of the 13 stages
COUNTER_SERVICES = ["unit_registry", "subsidy_review", "publicity_assessment", "org_confirmation",
                    "finance_disbursement", "housing_fund"]
#: services that run jobs (a job id is a uuid: the first service that knows it answers)
JOB_SERVICES = ["subsidy_review", "housing_fund"]


def collect_todos() -> tuple[list[dict], list[str]]:
    """The caller's to-do counters from every service, and the services that did not answer (named
    to the user rather than shown as a wrong 0), asked of all of them at once; a counter of applications
    gets ``overdue`` (其中超时 N, subsidy_review's stage clocks). The API route and the portal's home
    both use this."""
    items, unavailable = [], []
    services = current_app.config.get("COUNTER_SERVICES", COUNTER_SERVICES)
    for service, answer in zip(services, call_each([(s, "todos") for s in services]), strict=True):
        if isinstance(answer, PlatformError):
            if answer.status == 401:
                raise answer
            unavailable.append(service)
            log.warning("to-do counters of %s unavailable: %s", service, answer.code)
        else:
            items.extend(answer)
    if any(item.get("count") for item in items):
        overdue = stage_times.overdue_todos()
        for item in items:
            if item["key"] in overdue:
                item["overdue"] = overdue[item["key"]]
    return items, unavailable


class Todo(Documented):
    key = ma.fields.String()
    count = Int()
    label = ma.fields.String(metadata={"description": "您有【N】个…待审核"})
    href = ma.fields.String()
    overdue = Int(metadata={"description": "其中超时的件数（按各环节办理时限；仅申请待办，暂不可算时省略）"})


class Todos(Documented):
    items = ma.fields.List(ma.fields.Nested(Todo))
    unavailable = ma.fields.List(ma.fields.String(), metadata={"description": "暂不可用的服务"})


@bp.route("/todos", methods=["GET"])
@bp.response(200, Todos)
def todos():
    """待办事项：各业务服务按当前角色给出的计数（您有【N】个…待审核）；暂不可用的服务列在 unavailable 中，
    页面据此提示而不是显示错误的0。"""
    items, unavailable = collect_todos()
    return {"items": items, "unavailable": unavailable}


@bp.route("/jobs/<job_id>", methods=["GET"])
@bp.response(200, Job)
def get_job(job_id):
    """后台任务：状态、进度、每一项的结果"""
    for service in JOB_SERVICES:
        try:
            return {**call(service, "get_job", job_id), "service": service}
        except PlatformError as exc:
            if exc.status != 404:
                raise
    raise NotFound("任务不存在", code="job.not_found")
