"""/api/v1/attachments: upload → id → linked by the command that submits the record.

Where things live:
- the **bytes** in the content-addressed store (``shared.attachments``, ``$PLATFORM_VAR_DIR/attachments``),
  written and served by the gateway only; they never travel over RabbitMQ;
- the **record** (id, hash, type, size, file name, kind, uploader, the business record it is linked to) in
  the service that owns the kind (``shared.attachments.KINDS``: 营业执照/其它/证明材料 in unit_registry,
  申请材料 in subsidy_review, line B's kinds in housing_fund); the id's prefix names that service.

Who may download: the gateway asks the owning service (``attachment_for_download``) with the caller's
token; the service verifies the token (signature, expiry, **revocation**: so after logout or
deactivation the answer is 401) and answers like the record that references the file (the uploader
alone until it is linked). Nothing is served on the gateway's word alone.

Registration forms upload before the account exists (kinds marked ``public``): such an upload has no
uploader; the answer carries an ``upload_key`` (an HMAC of the id under the gateway's secret) that lets
the same form preview it until the registration links it.
"""
from __future__ import annotations

import hashlib
import hmac
import io

import marshmallow as ma
from flask import current_app, send_file
from flask_smorest import Blueprint

from gateway.api.schemas import Int, Schema
from gateway.context import authorised_in_call, bearer_token, call
from shared.attachments import KINDS, AttachmentStore, default_root, kind_of, new_attachment_id, owner_of
from shared.errors import InvalidInput, NotFound, Unauthenticated

bp = Blueprint("attachments", __name__, url_prefix="/api/v1", description="附件上传与下载")


class UploadForm(Schema):
    kind = ma.fields.String(required=True, metadata={
        "description": "附件类型：business_license 企业营业执照、unit_other 其它、proof 证明材料"
                       "（可在注册时未登录上传），application_material 申请材料"})


class UploadFile(Schema):
    file = ma.fields.Raw(required=True, metadata={"type": "string", "format": "binary",
                                                  "description": "PDF、JPG或PNG，按内容识别类型，大小上限5MB"})


class Attachment(Schema):
    id = ma.fields.String(metadata={"description": "附件标识（前缀表示保存记录的服务）"})
    sha256 = ma.fields.String()
    content_type = ma.fields.String(metadata={"description": "按文件内容识别的类型"})
    size = Int()
    kind = ma.fields.String()
    kind_label = ma.fields.String()
    filename = ma.fields.String()
    upload_key = ma.fields.String(metadata={"description": "未登录上传时返回：注册提交前凭此预览（?key=）"})


class DownloadArgs(Schema):
    key = ma.fields.String(load_default=None, metadata={"description": "未登录上传时返回的 upload_key"})
    download = ma.fields.Boolean(load_default=False,
                                 metadata={"description": "true：作为附件下载；默认图片和PDF在线预览"})


def store_for(kind) -> AttachmentStore:
    root = current_app.config.get("ATTACHMENT_ROOT") or default_root()
    return AttachmentStore(root, max_bytes=kind.max_bytes, allowed_types=kind.types)


def upload_key(attachment_id: str) -> str:
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret, b"attachment:" + attachment_id.encode(), hashlib.sha256).hexdigest()[:32]


@bp.route("/attachments", methods=["POST"])
@bp.arguments(UploadForm, location="form")
@bp.arguments(UploadFile, location="files")
@bp.response(201, Attachment)
@bp.doc(security=[{"bearer": []}, {}], requestBody={"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file", "kind"], "properties": {
        "file": {"type": "string", "format": "binary", "description": "PDF、JPG或PNG，按内容识别类型，大小上限5MB"},
        "kind": {"type": "string", "enum": sorted(KINDS), "description": "附件类型"}}}}}})
@authorised_in_call("the owning service is chosen by the attachment's kind")
def upload(form, files):
    """上传附件（multipart：file、kind）。登录用户上传的附件提交前仅本人可查看；注册页未登录上传
    （营业执照、其它、证明材料）返回 upload_key。"""
    kind = kind_of(form["kind"])
    token = bearer_token()
    if token is None and not kind.public:
        raise Unauthenticated("请先登录", code="auth.unauthenticated")
    upload_file = files["file"]
    stored = store_for(kind).put(upload_file.stream, upload_file.filename or "附件", upload_file.mimetype)
    meta = {"id": new_attachment_id(kind.owner), "sha256": stored.sha256, "content_type": stored.content_type,
            "size": stored.size, "filename": stored.filename, "kind": kind.key}
    if token is None:
        record = call(kind.owner, "record_public_attachment", meta, authenticated=False)
        return {**record, "upload_key": upload_key(record["id"])}
    return call(kind.owner, "record_attachment", meta)


@bp.route("/attachments/<attachment_id>", methods=["GET"])
@bp.arguments(DownloadArgs, location="query")
@bp.response(200, description="附件内容（图片和PDF在线预览）",
             content_type="application/octet-stream")
@bp.doc(security=[{"bearer": []}, {}])
@authorised_in_call("the owning service is chosen by the attachment's identifier")
def download(args, attachment_id):
    """预览或下载附件：与引用它的记录相同的查看权限（提交前仅上传人）；注销登录或账号注销后 401"""
    owner = owner_of(attachment_id)
    if bearer_token() is not None:
        record = call(owner, "attachment_for_download", attachment_id)
    elif args.get("key") and hmac.compare_digest(str(args["key"]), upload_key(attachment_id)):
        record = call(owner, "public_attachment", attachment_id, authenticated=False)
    else:
        raise Unauthenticated("请先登录", code="auth.unauthenticated")
    kind = kind_of(record["kind"])
    try:
        with store_for(kind).open(record["sha256"]) as handle:
            content = handle.read()
    except InvalidInput:
        raise NotFound("附件不存在", code="attachment.not_found") from None
    inline = not args.get("download") and (record["content_type"].startswith("image/")
                                             or record["content_type"] == "application/pdf")
    response = send_file(io.BytesIO(content), mimetype=record["content_type"], as_attachment=not inline,
                         download_name=record["filename"])
    response.headers["Cache-Control"] = "private, no-store"
    return response
