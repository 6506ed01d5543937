"""Schemas shared by the blueprints: errors, pages."""
import marshmallow as ma


class ErrorBody(ma.Schema):
    code = ma.fields.String(metadata={"description": "stable English code, e.g. application.illegal_transition"})
    message = ma.fields.String(metadata={"description": "中文说明"})
    details = ma.fields.Dict()


class Error(ma.Schema):
    error = ma.fields.Nested(ErrorBody)


class PageArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1))
    page_size = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=200))
    q = ma.fields.String(load_default=None, metadata={"description": "姓名/账号搜索"})


def non_empty(args: dict) -> dict:
    """The filters the client actually set (empty query parameters mean "no filter")."""
    return {k: v for k, v in args.items() if v not in (None, "")}


def list_args(args: dict) -> tuple[dict, int, int]:
    """(filters, page, page_size) of a list request, as every service's list RPC takes them."""
    page, page_size = args.pop("page"), args.pop("page_size")
    return non_empty(args), page, page_size


def page_of(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    return type(f"{item_schema.__name__}Page", (ma.Schema,), {
        "items": ma.fields.List(ma.fields.Nested(item_schema)),
        "total": ma.fields.Integer(), "page": ma.fields.Integer(), "page_size": ma.fields.Integer(),
    })
