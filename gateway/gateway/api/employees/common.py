"""The blueprint of /api/v1 line B employees and what its routes (and housing's) share: files in and out."""
from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from flask import Response, request
from flask_smorest import Blueprint

from gateway.portal import export
from shared.attachments import AttachmentStore
from shared.errors import InvalidInput

bp = Blueprint("employees", __name__, url_prefix="/api/v1", description="住房补贴汇缴：职工（housing_fund）")

SERVICE = "housing_fund"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 20 * 1024 * 1024


def xlsx_response(answer: dict) -> Response:
    """A file the service built (``{"filename", "content_b64"}``) as a download."""
    return export.file_response(base64.b64decode(answer["content_b64"]), answer["filename"], XLSX)


def uploaded_file() -> tuple[str, str]:
    """(filename, store id) of the multipart field ``file``: the bytes go to the attachment store
    (``$PLATFORM_VAR_DIR/attachments``, content-addressed, xlsx sniffed from the content) and only the
    id travels to housing_fund, which reads the file from the store: no file bytes on RabbitMQ."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise InvalidInput.field("file", "import.file_required", "请选择要上传的导入文件（.xlsx）")
    store = AttachmentStore(Path(os.environ.get("PLATFORM_VAR_DIR", "var")) / "attachments", max_bytes=MAX_UPLOAD,
                            allowed_types=frozenset({XLSX}))
    try:
        stored = store.put(upload.stream, upload.filename, upload.mimetype)
    except InvalidInput as exc:
        code = {"attachment.too_large": "import.too_large"}.get(exc.code)
        if code is None and exc.code.startswith("attachment.type_"):
            raise InvalidInput.field("file", "import.not_xlsx",
                                     "请上传Excel（.xlsx）文件，建议使用下载的模版") from None
        if code:
            raise InvalidInput.field("file", code, "导入文件不能超过20MB") from None
        raise
    return stored.filename, stored.sha256


def form_attachments() -> list:
    """``attachments`` form field: a JSON list of attachment references (optional)."""
    raw = request.form.get("attachments") or "[]"
    try:
        value = json.loads(raw)
    except ValueError:
        raise InvalidInput.field("attachments", "attachment.invalid", "附件格式不正确") from None
    if not isinstance(value, list):
        raise InvalidInput.field("attachments", "attachment.invalid", "附件格式不正确")
    return value
