"""Attachments uploaded from portal forms (证明材料, 营业执照), stored content-addressed by
``shared.attachments.AttachmentStore`` under ``$PLATFORM_VAR_DIR/attachments``. Stands in for
``POST /api/v1/attachments`` until that route exists; the answer has the same shape."""
from __future__ import annotations

import io
import os
from pathlib import Path

from flask import current_app, jsonify, request, send_file

from gateway.portal.blueprint import bp
from gateway.portal.guard import login_required
from shared.attachments import AttachmentStore, sanitise_filename, sniff_type
from shared.errors import InvalidInput


def store() -> AttachmentStore:
    if "portal_attachments" not in current_app.extensions:
        root = Path(os.environ.get("PLATFORM_VAR_DIR", "var")) / "attachments"
        current_app.extensions["portal_attachments"] = AttachmentStore(root)
    return current_app.extensions["portal_attachments"]


@bp.route("/portal/attachments", methods=["POST"])
@login_required
def upload():
    upload = request.files.get("file")
    if upload is None:
        raise InvalidInput.field("file", "attachment.missing", "请选择要上传的文件")
    stored = store().put(upload.stream, upload.filename or "附件", upload.mimetype)
    return jsonify({"id": stored.sha256, "size": stored.size, "content_type": stored.content_type,
                    "filename": stored.filename}), 201


@bp.route("/portal/attachments/<sha256>", methods=["GET"])
@login_required
def download(sha256):
    """预览或下载 right after the upload (images and PDF inline, other types as a download)."""
    with store().open(sha256) as handle:
        content = handle.read()
    content_type = sniff_type(content) or "application/octet-stream"
    inline = content_type.startswith("image/") or content_type == "application/pdf"
    name = sanitise_filename(request.args.get("name", "附件"))
    return send_file(io.BytesIO(content), mimetype=content_type, as_attachment=not inline, download_name=name)
