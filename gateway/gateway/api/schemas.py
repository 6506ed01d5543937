"""Schemas shared by the blueprints: errors, pages, the strict integer field, the application reference of
every later stage's case, the documenting (non-filtering) response schema."""
import marshmallow as ma

from shared import hardening
from shared.errors import InvalidInput
from shared.pagination import MAX_PAGE, MAX_PAGE_SIZE


class StrictInteger(ma.fields.Integer):
    """An integer that is one: a JSON integer (not ``true``, not ``12.9``, not ``12.0``) or ASCII digits
    in a query string; ``"１２"`` (full-width) is refused instead of being read as 12. Every integer
    of a request schema is this field (a unit test walks the schemas)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("metadata", {})
        super().__init__(*args, **kwargs)

    def _validated(self, value):
        try:
            return hardening.strict_int(value, self.name or "value")
        except InvalidInput:
            raise self.make_error("invalid") from None


Int = StrictInteger


class Schema(ma.Schema):
    """The gateway's base schema. A service's answer (a dict) is read by key only: marshmallow would
    otherwise fall back to ``getattr`` and find ``dict.items`` (a method) for a declared ``items`` the
    answer leaves out (a job not asked for its item page), and fail the whole response with a 500."""

    def get_attribute(self, obj, attr, default):
        if isinstance(obj, dict):
            return obj.get(attr, default)
        return super().get_attribute(obj, attr, default)


class ErrorBody(Schema):
    code = ma.fields.String(required=True,
                            metadata={"description": "stable English code, e.g. application.illegal_transition"})
    message = ma.fields.String(required=True, metadata={"description": "中文说明"})
    details = ma.fields.Dict(required=True,
                             metadata={"description": "字段错误在 details.fields 中（字段名 → 中文说明）"})


class Error(Schema):
    """The body of every error response: ``{"error": {"code", "message", "details"}}``."""
    error = ma.fields.Nested(ErrorBody, required=True)


class PageArgs(Schema):
    page = Int(load_default=1, validate=ma.validate.Range(min=1, max=MAX_PAGE))
    page_size = Int(load_default=20, validate=ma.validate.Range(min=1, max=MAX_PAGE_SIZE))
    q = ma.fields.String(load_default=None, metadata={"description": "姓名/账号搜索"})


def non_empty(args: dict) -> dict:
    """The filters the client actually set (empty query parameters mean "no filter")."""
    return {k: v for k, v in args.items() if v not in (None, "")}


def list_args(args: dict) -> tuple[dict, int, int]:
    """(filters, page, page_size) of a list request, as every service's list RPC takes them."""
    page, page_size = args.pop("page"), args.pop("page_size")
    return non_empty(args), page, page_size


def page_of(item_schema: type[ma.Schema]) -> type[Schema]:
    return type(f"{item_schema.__name__}Page", (Schema,), {
        "items": ma.fields.List(ma.fields.Nested(item_schema)),
        "total": Int(), "page": Int(), "page_size": Int(),
    })


class ApplicationRef(Schema):
    """The application as every later stage's case carries it (publicity, org confirmation, disbursement):
    written once here, extended by each stage's own fields."""
    application_id = ma.fields.String()
    application_no = ma.fields.String()
    round = Int(metadata={"description": "第几轮审核（退回后重新审核加一）"})
    county = ma.fields.String()
    county_name = ma.fields.String(allow_none=True)
    city = ma.fields.String()
    unit_id = ma.fields.String()
    unit_name = ma.fields.String()
    applicant_name = ma.fields.String()
    amount_fen = Int(metadata={"description": "补助金额（分）"})
    status = ma.fields.String()
    status_label = ma.fields.String()
    application_status = ma.fields.String(metadata={"description": "申请的总体状态"})
    received_at = ma.fields.String(allow_none=True)


class Documented(Schema):
    """A response schema that documents a body without filtering it: the service's answer goes out as it
    is (each key, declared or not), so adding the documentation changed no body.

    Dumping such an answer field by field only to lay the answer over the result again is most of the
    gateway's own time on a list page (20 items of 25 fields, issue 15), so :meth:`dump` hands a dict
    answer back as it is when the schema's fields can add nothing to it: no ``dump_default``, no
    ``data_key``, no computed (Method / Function) field, no other dump hook; the body is the same."""

    @ma.post_dump(pass_original=True)
    def _as_answered(self, data: dict, original, **_kwargs) -> dict:
        return {**data, **original} if isinstance(original, dict) else data

    def dump(self, obj, *, many=None):
        many = self.many if many is None else bool(many)
        if self._passes_through():
            if not many and isinstance(obj, dict):
                return dict(obj)
            if many and isinstance(obj, list) and all(isinstance(o, dict) for o in obj):
                return [dict(o) for o in obj]
        return super().dump(obj, many=many)

    def _passes_through(self) -> bool:
        """Whether dumping a dict can only give back the dict (see the class docstring)."""
        cached = self.__dict__.get("_pass_through")
        if cached is None:
            hooks = [entry[0] for tag, entries in self._hooks.items() if tag in ("pre_dump", "post_dump")
                     for entry in entries]   # marshmallow's hooks: tag -> [(method name, many, options)]
            cached = self.__dict__["_pass_through"] = (
                hooks == ["_as_answered"] and not self.only and not self.exclude
                and all(f.dump_default is ma.missing and f.data_key is None
                        and not isinstance(f, ma.fields.Method | ma.fields.Function)
                        for f in self.dump_fields.values()))
        return cached



class JobItem(Documented):
    seq = Int()
    payload = ma.fields.Dict()
    status = ma.fields.String()
    outcome = ma.fields.Dict(allow_none=True)


class Job(Documented):
    """A background job (shared.jobs): progress, and a page of per-item outcomes when asked for."""
    id = ma.fields.String()
    kind = ma.fields.String()
    status = ma.fields.String()
    total = Int()
    succeeded = Int()
    failed = Int()
    done = Int()
    progress = ma.fields.Float()
    created_at = ma.fields.String(allow_none=True)
    finished_at = ma.fields.String(allow_none=True)
    items = ma.fields.List(ma.fields.Nested(JobItem))
    page = Int()
    page_size = Int()
    service = ma.fields.String(metadata={"description": "办理该任务的服务"})
