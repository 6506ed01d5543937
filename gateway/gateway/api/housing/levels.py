"""Housing subsidy levels (级别标准): the standards per level and their editions."""
from __future__ import annotations

import marshmallow as ma

from gateway.api.housing.common import SERVICE, bp
from gateway.api.schemas import Int, Schema
from gateway.context import authorised_as, call


class Level(Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    monthly_fen = Int()
    bureau = ma.fields.String()


class Levels(Schema):
    region = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(Level))


class LevelArgs(Schema):
    region = ma.fields.String(load_default=None, validate=ma.validate.Regexp(r"^\d{6}$"))


class LevelEdition(Schema):
    effective_month = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(Level))
    reason = ma.fields.String(allow_none=True)
    by_name = ma.fields.String(allow_none=True)
    at = ma.fields.String()


class LevelsWithEditions(Levels):
    current_month = ma.fields.String()
    editions = ma.fields.List(ma.fields.Nested(LevelEdition), metadata={"description": "本局维护的级别表（住建局）"})


class LevelRow(Schema):
    code = ma.fields.String(required=True, metadata={"description": "级别代码，如01"})
    name = ma.fields.String(required=True, metadata={"description": "级别名称，如科级以下"})
    monthly_fen = Int(required=True, metadata={"description": "每月缴费金额（分）"})


class SetLevelsArgs(Schema):
    effective_month = ma.fields.String(required=True, metadata={"description": "生效月份 yyyyMM（本月或以后）"})
    items = ma.fields.List(ma.fields.Nested(LevelRow), required=True, metadata={"description": "完整的级别表"})
    reason = ma.fields.String(load_default=None, validate=ma.validate.Length(max=500))


@bp.route("/housing-levels", methods=["GET"])
@bp.arguments(LevelArgs, location="query")
@bp.response(200, LevelsWithEditions)
@authorised_as(SERVICE, "get_levels")
def get_levels(args):
    """级别与每月缴费金额（分）：本单位（或指定区划）本月适用的住建局级别表；住建局另见本局维护的各版级别表"""
    return call(SERVICE, "get_levels", args.get("region"))


@bp.route("/housing-levels", methods=["PUT"])
@bp.arguments(SetLevelsArgs)
@bp.response(200, LevelsWithEditions)
@authorised_as(SERVICE, "set_levels")
def set_levels(args):
    """级别维护（住建局）：自生效月份（本月或以后）起适用的完整级别表；仍有职工使用的级别不能删除"""
    return call(SERVICE, "set_levels", args["effective_month"], args["items"], args["reason"])
