"""The blueprint of /api/v1 line B part 2 and what its routes share: documents out, statements in."""
from __future__ import annotations

import base64
import os
from pathlib import Path

import marshmallow as ma
from flask import Response
from flask_smorest import Blueprint

from gateway.portal import export
from shared.attachments import AttachmentStore

bp = Blueprint("remittances", __name__, url_prefix="/api/v1",
               description="住房补贴汇缴：汇缴申请、缴费通知、到账匹配、缴款历史补录、支取申请（housing_fund）")

SERVICE = "housing_fund"
MAX_STATEMENT = 30 * 1024 * 1024
MONTH = ma.validate.Regexp(r"^\d{6}$", error="月份应为6位年月，如202601")


def file_answer(answer: dict) -> Response:
    """A document the service built (``{"filename", "content_b64", "content_type"}``) as a download."""
    return export.file_response(base64.b64decode(answer["content_b64"]), answer["filename"], answer["content_type"])


def statement_store() -> AttachmentStore:
    return AttachmentStore(Path(os.environ.get("PLATFORM_VAR_DIR", "var")) / "attachments", max_bytes=MAX_STATEMENT)


PDF_DOC = {"responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}}}}
XLSX_DOC = {"responses": {"200": {"description": "Excel", "content": {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}}}
