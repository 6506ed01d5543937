"""Attachments uploaded from portal forms (证明材料, 营业执照), stored content-addressed by
``shared.attachments.AttachmentStore`` under ``$PLATFORM_VAR_DIR/attachments``. Stands in for
``POST /api/v1/attachments`` until that route exists; the answer has the same shape.

Authorisation: until attachments are linked to records (and readable by whoever may read the record),
a file is served only to the accounts that uploaded it (``owners/<sha256>``); anyone else gets 404,
as for a record outside their jurisdiction."""
from __future__ import annotations

import io
import os
from pathlib import Path

from flask import current_app, jsonify, request, send_file

from gateway import session as portal_session
from gateway.portal.blueprint import bp
from gateway.portal.guard import login_required
from shared.attachments import AttachmentStore, sanitise_filename, sniff_type
from shared.errors import InvalidInput, NotFound


def store() -> AttachmentStore:
    if "portal_attachments" not in current_app.extensions:
        root = Path(os.environ.get("PLATFORM_VAR_DIR", "var")) / "attachments"
        current_app.extensions["portal_attachments"] = AttachmentStore(root)
    return current_app.extensions["portal_attachments"]


def _owners_file(sha256: str) -> Path:
    return store().root / "owners" / sha256


def _add_owner(sha256: str, account_id: str) -> None:
    path = _owners_file(sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    if account_id not in _owners(sha256):
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(account_id + "\n")


def _owners(sha256: str) -> set[str]:
    try:
        return set(_owners_file(sha256).read_text(encoding="utf-8").split())
    except FileNotFoundError:
        return set()


@bp.route("/portal/attachments", methods=["POST"])
@login_required
def upload():
    upload = request.files.get("file")
    if upload is None:
        raise InvalidInput.field("file", "attachment.missing", "请选择要上传的文件")
    stored = store().put(upload.stream, upload.filename or "附件", upload.mimetype)
    _add_owner(stored.sha256, portal_session.account()["id"])
    return jsonify({"id": stored.sha256, "size": stored.size, "content_type": stored.content_type,
                    "filename": stored.filename}), 201


@bp.route("/portal/attachments/<sha256>", methods=["GET"])
@login_required
def download(sha256):
    """预览或下载 right after the upload (images and PDF inline, other types as a download)."""
    store().path_of(sha256)  # a malformed id is a 400 before anything else
    if portal_session.account()["id"] not in _owners(sha256):
        raise NotFound("附件不存在", code="attachment.not_found")
    with store().open(sha256) as handle:
        content = handle.read()
    content_type = sniff_type(content) or "application/octet-stream"
    inline = content_type.startswith("image/") or content_type == "application/pdf"
    name = sanitise_filename(request.args.get("name", "附件"))
    return send_file(io.BytesIO(content), mimetype=content_type, as_attachment=not inline, download_name=name)
