"""迁移导入: employers that already remit elsewhere, imported from a spreadsheet."""
from __future__ import annotations

import marshmallow as ma

from gateway.api.employees import uploaded_file, xlsx_response
from gateway.api.housing.common import SERVICE, bp
from gateway.api.schemas import Int, PageArgs, Schema, page_of
from gateway.context import authorised_as, call


# -- 迁移导入 (已有汇缴业务的单位) -----------------------------------------------------------------------------
class MigrationResult(Schema):
    import_id = ma.fields.String()
    repeated = ma.fields.Boolean(metadata={"description": "同一文件已导入过：本次未做任何修改"})
    employers_created = Int()
    employers_kept = Int(metadata={"description": "已迁移过、保持不变的单位"})
    employees_imported = Int()
    employees_kept = Int()
    rows = Int()
    filename = ma.fields.String()
    employers = ma.fields.List(ma.fields.Dict(),
                               metadata={"description": "新建单位：名称、组织机构代码（登录账号）、交易代码"})


class MigrationRun(Schema):
    id = ma.fields.String()
    filename = ma.fields.String()
    rows = Int()
    summary = ma.fields.Dict()
    at = ma.fields.String()


class UploadFile(Schema):
    file = ma.fields.Raw(metadata={"type": "string", "format": "binary"})


@bp.route("/employer-migrations/template.xlsx", methods=["GET"])
@bp.response(200, UploadFile, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
@authorised_as(SERVICE, "migration_template")
def migration_template():
    """下载迁移导入模版（工作表“单位”和“职工”）"""
    return xlsx_response(call(SERVICE, "migration_template"))


@bp.route("/employer-migrations", methods=["POST"])
@bp.arguments(UploadFile, location="files")
@bp.response(201, MigrationResult)
@authorised_as(SERVICE, "migrate")
def migrate(_files):
    """迁移导入：已有汇缴业务的单位及其职工、累计缴纳期数与金额（multipart：file）。全部校验通过才导入；
    同一文件重复导入不做任何修改；新单位的登录账号随之开通"""
    filename, content = uploaded_file()
    return call(SERVICE, "migrate", filename, content)


@bp.route("/employer-migrations", methods=["GET"])
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(MigrationRun))
@authorised_as(SERVICE, "list_migrations")
def list_migrations(args):
    """本住建局的迁移导入记录"""
    return call(SERVICE, "list_migrations", args["page"], args["page_size"])
