"""/api/v1/todos and /api/v1/jobs: what spans services."""
import logging

import marshmallow as ma
from flask import current_app
from flask_smorest import Blueprint

from gateway.api import stage_times
from gateway.api.schemas import Documented, Int, Job
from gateway.context import authorised_in_call, call, call_each, principal
from shared.contracts.todos import counts_for
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
    to the user rather than shown as a wrong 0), asked of all of them at once; a counter gets ``overdue``
    (其中超时 N, subsidy_review's stage clocks): subsidy_review's own, and another service's that says
    what it counts (``application_statuses``: applications in these statuses; ``waits``: the batches it
    counts, each with its city, stage and since when), which the counter then no longer carries. The API
    route and the portal's home both use this."""
    items, unavailable = [], []
    # only the services that count for the caller's role (shared.contracts.todos: the others answer it an
    # empty list); the first is still asked when none does, so a revoked token answers 401 as before
    configured, role = current_app.config.get("COUNTER_SERVICES", COUNTER_SERVICES), principal().role
    services = [s for s in configured if counts_for(s, role)] or configured[:1]
    for service, answer in zip(services, call_each([(s, "todos") for s in services]), strict=True):
        if isinstance(answer, PlatformError):
            if answer.status == 401:
                raise answer
            unavailable.append(service)
            log.warning("to-do counters of %s unavailable: %s", service, answer.code)
        else:
            items.extend(answer)
    counters = {}
    for item in items:
        statuses, waits = item.pop("application_statuses", None), item.pop("waits", None)
        if item.get("count") and statuses:
            counters[item["key"]] = {"statuses": statuses}
        elif item.get("count") and waits is not None:
            counters[item["key"]] = {"waits": waits}
    if any(item.get("count") for item in items):
        overdue = stage_times.overdue_todos(counters)
        for item in items:
            if item["key"] in overdue:
                item["overdue"] = overdue[item["key"]]
    return items, unavailable


class Todo(Documented):
    key = ma.fields.String()
    count = Int()
    label = ma.fields.String(metadata={"description": "您有【N】个…待审核"})
    href = ma.fields.String()
    overdue = Int(metadata={"description": "其中超时的件数（按各环节办理时限，申请与批次同一规则；"
                                           "不计环节时限的待办或暂不可算时省略）"})


class Todos(Documented):
    items = ma.fields.List(ma.fields.Nested(Todo))
    unavailable = ma.fields.List(ma.fields.String(), metadata={"description": "暂不可用的服务"})


@bp.route("/todos", methods=["GET"])
@bp.response(200, Todos)
@authorised_in_call("gathers every service's counters for the caller's role; each call answers its own 401/403")
def todos():
    """待办事项：各业务服务按当前角色给出的计数（您有【N】个…待审核）；暂不可用的服务列在 unavailable 中，
    页面据此提示而不是显示错误的0。"""
    items, unavailable = collect_todos()
    return {"items": items, "unavailable": unavailable}


@bp.route("/jobs/<job_id>", methods=["GET"])
@bp.response(200, Job)
@authorised_in_call("the job's service is found by asking each in turn; its call answers 401/403")
def get_job(job_id):
    """后台任务：状态、进度、每一项的结果"""
    for service in JOB_SERVICES:
        try:
            return {**call(service, "get_job", job_id), "service": service}
        except PlatformError as exc:
            if exc.status != 404:
                raise
    raise NotFound("任务不存在", code="job.not_found")
