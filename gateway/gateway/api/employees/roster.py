"""职工管理, 职工开户, 职工批量导入, the employee's own account, and 职工信息初始化."""
from __future__ import annotations

import marshmallow as ma

from gateway.api.employees.common import SERVICE, XLSX, bp, form_attachments, uploaded_file, xlsx_response
from gateway.api.employees.schemas import (
    EXPORT_COLUMNS,
    CheckArgs,
    Employee,
    EmployeeDetail,
    EmployeeFilter,
    ImportFile,
    ImportForm,
    ImportResult,
    Initialisation,
    NewEmployee,
    ResetResult,
)
from gateway.api.schemas import Int, list_args, page_of
from gateway.context import authorised_as, call
from gateway.portal import export


# -- roster -------------------------------------------------------------------------------------------
@bp.route("/employees", methods=["GET"])
@bp.arguments(EmployeeFilter, location="query")
@bp.response(200, page_of(Employee))
@authorised_as(SERVICE, "list_employees")
def list_employees(args):
    """职工管理：本单位职工（住建局须指定 employer_id），按姓名或证件号码搜索，按状态筛选"""
    return call(SERVICE, "list_employees", *list_args(args))


@bp.route("/employees/export.xlsx", methods=["GET"])
@bp.arguments(EmployeeFilter, location="query")
@bp.response(200, ImportFile, content_type=XLSX)
@authorised_as(SERVICE, "list_employees")
def export_employees(args):
    """导出Excel：本单位职工（员工初始化时校对用），最多10000行"""
    filters, _, _ = list_args(args)
    rows, page = [], 1
    while len(rows) < 10_000:
        result = call(SERVICE, "list_employees", filters, page, 200)
        rows += result["items"]
        if page * 200 >= result["total"] or not result["items"]:
            break
        page += 1
    return export.download("职工信息", EXPORT_COLUMNS, rows, "xlsx")


@bp.route("/employees", methods=["POST"])
@bp.arguments(NewEmployee)
@bp.response(201, EmployeeDetail)
@authorised_as(SERVICE, "open_employee")
def open_employee(args):
    """职工开户（单个）：详细资料（带红点必填）与附件"""
    return call(SERVICE, "open_employee", args)


@bp.route("/employees/import-template.xlsx", methods=["GET"])
@bp.response(200, ImportFile, content_type=XLSX)
@authorised_as(SERVICE, "employee_template")
def import_template():
    """下载批量导入模版（带*为必填；证件号码与年月为文本格式）"""
    return xlsx_response(call(SERVICE, "employee_template"))


@bp.route("/employees/import", methods=["POST"])
@bp.arguments(ImportForm, location="form")
@bp.arguments(ImportFile, location="files")
@bp.response(202, ImportResult)
@authorised_as(SERVICE, "import_employees")
def import_employees(form, _files):
    """职工批量导入：上传填好的模版（multipart：file，可选 attachments）。先逐行校验，任何一行有错则不导入任何职工，
    错误按行号返回（details.errors）；全部正确则返回导入任务（202，job_id），后台逐批导入，进度见
    GET /api/v1/jobs/{job_id}；同一文件重复上传不重复导入"""
    filename, file_id = uploaded_file()
    return call(SERVICE, "import_employees", filename, file_id, form_attachments())


@bp.route("/employees/me", methods=["GET"])
@bp.response(200, EmployeeDetail)
@authorised_as(SERVICE, "my_account")
def my_account():
    """职工本人：住房补贴账户、状态、余额与明细"""
    return call(SERVICE, "my_account")


@bp.route("/employees/<employee_id>", methods=["GET"])
@bp.response(200, EmployeeDetail)
@authorised_as(SERVICE, "get_employee")
def get_employee(employee_id):
    """详细资料：基本信息、变更记录、个人明细账"""
    return call(SERVICE, "get_employee", employee_id)


@bp.route("/employees/<employee_id>/reset-password", methods=["POST"])
@bp.response(200, ResetResult)
@authorised_as(SERVICE, "reset_employee_password")
def reset_employee_password(employee_id):
    """为职工重置个人平台密码"""
    return call(SERVICE, "reset_employee_password", employee_id)


# -- 职工信息初始化 ------------------------------------------------------------------------------------------
@bp.route("/employer-initialisation", methods=["GET"])
@bp.arguments(EmployeeFilter, location="query")
@bp.response(200, Initialisation)
@authorised_as(SERVICE, "initialisation")
def initialisation(args):
    """职工信息初始化：本单位、级别标准与待核对的职工"""
    return call(SERVICE, "initialisation", *list_args(args))


@bp.route("/employer-initialisation/employees/<employee_id>", methods=["POST"])
@bp.arguments(CheckArgs)
@bp.response(200, Employee)
@authorised_as(SERVICE, "check_employee")
def check_employee(args, employee_id):
    """核对并保存一名职工：手机号码、级别、每月缴费金额（累计缴纳期数与金额选填）"""
    return call(SERVICE, "check_employee", employee_id, args)


@bp.route("/employer-initialisation/submit", methods=["POST"])
@bp.response(200, ma.Schema.from_dict({"employees": Int(), "initialised": ma.fields.Boolean(),
                                       "initialised_at": ma.fields.String()}, name="InitialisationDone"))


@authorised_as(SERVICE, "submit_initialisation")
def submit_initialisation():
    """立即提交职工信息初始化（仅一次）"""
    return call(SERVICE, "submit_initialisation")
