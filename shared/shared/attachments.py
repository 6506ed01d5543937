"""A content-addressed attachment store on the filesystem (营业执照, 证明材料, 变更附件).

Files are kept under ``root/ab/cd/<sha256>``: the hash is the identity, so an upload retried by a
flaky connection stores nothing twice, and a stored file can never change under a reference held
by an application. Metadata (file name, type) lives with the business record that refers to it.

The content type is sniffed from the bytes, never taken from the browser or the file name: a clerk
will preview the file in the portal, so it has to be what it claims to be.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

from shared.errors import InvalidInput, NotFound

MIB = 1024 * 1024
PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLS = "application/vnd.ms-excel"
DOC = "application/msword"
DEFAULT_ALLOWED_TYPES = frozenset({PDF, PNG, JPEG, GIF, XLSX, DOCX, XLS, DOC})

# Names browsers and old Office installs send for the same types.
_ALIASES = {"image/jpg": JPEG, "image/pjpeg": JPEG, "image/x-png": PNG, "application/x-pdf": PDF}
# What a browser sends when it does not know: no claim, so nothing to contradict.
_UNDECLARED = {"", "application/octet-stream", "binary/octet-stream"}
_SHA256 = re.compile(r"[0-9a-f]{64}")
_CHUNK = 64 * 1024
_FIELD = "attachment"


@dataclass(frozen=True, slots=True)
class StoredFile:
    """What the caller records about a stored attachment."""

    sha256: str
    size: int
    content_type: str
    filename: str


class AttachmentStore:
    """Stores and serves attachments by SHA-256; see the module docstring."""

    def __init__(self, root: Path | str, max_bytes: int = 10 * MIB,
                 allowed_types: frozenset[str] = DEFAULT_ALLOWED_TYPES) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        self.allowed_types = frozenset(allowed_types)

    def put(self, data: bytes | IO[bytes], filename: str, declared_type: str | None = None) -> StoredFile:
        """Validate and store one file; storing the same bytes again returns the same record.

        Refused with ``InvalidInput``: ``attachment.empty``, ``attachment.too_large`` (detected
        while reading: at most ``max_bytes + 1`` bytes are ever read from a stream),
        ``attachment.type_not_allowed`` (sniffed type unknown or not allowed) and
        ``attachment.type_mismatch`` (``declared_type`` names another type than the content's).
        """
        content = self._read_limited(data)
        if not content:
            raise InvalidInput.field(_FIELD, "attachment.empty", "附件不能为空")
        content_type = sniff_type(content)
        if content_type is None or content_type not in self.allowed_types:
            raise InvalidInput.field(_FIELD, "attachment.type_not_allowed",
                                     "附件格式不支持，请上传PDF、图片（JPG/PNG/GIF）或Word、Excel文件")
        declared = _normalise_type(declared_type)
        if declared not in _UNDECLARED and declared != content_type:
            raise InvalidInput.field(_FIELD, "attachment.type_mismatch", "附件内容与声明的文件类型不一致")
        digest = hashlib.sha256(content).hexdigest()
        target = self.path_of(digest)
        if not target.exists():
            _write_atomically(target, content)
        return StoredFile(sha256=digest, size=len(content), content_type=content_type,
                          filename=sanitise_filename(filename))

    def put_data_file(self, data: bytes | IO[bytes]) -> str:
        """Store a data file whose format the consuming service checks itself (a CSV bank statement
        has no magic bytes to sniff); only the size limit applies here. Returns its SHA-256."""
        content = self._read_limited(data)
        if not content:
            raise InvalidInput.field(_FIELD, "attachment.empty", "附件不能为空")
        digest = hashlib.sha256(content).hexdigest()
        target = self.path_of(digest)
        if not target.exists():
            _write_atomically(target, content)
        return digest

    def open(self, sha256: str) -> BinaryIO:
        """Open a stored file for reading; ``NotFound`` if the store has no such file."""
        try:
            return self.path_of(sha256).open("rb")
        except FileNotFoundError:
            raise NotFound("附件不存在或已被删除", code="attachment.not_found") from None

    def exists(self, sha256: str) -> bool:
        """Whether a file with this hash is stored (``InvalidInput`` for a malformed hash)."""
        return self.path_of(sha256).is_file()

    def path_of(self, sha256: str) -> Path:
        """Where the file with this hash lives. The hash is checked first, so a crafted id can
        never point outside the store."""
        key = sha256.lower() if isinstance(sha256, str) else ""
        if not _SHA256.fullmatch(key):
            raise InvalidInput.field(_FIELD, "attachment.invalid_id", "附件标识不正确")
        return self.root / key[:2] / key[2:4] / key

    def _read_limited(self, data: bytes | IO[bytes]) -> bytes:
        if isinstance(data, bytes | bytearray | memoryview):
            content = bytes(data)
            if len(content) > self.max_bytes:
                raise self._too_large()
            return content
        buf = io.BytesIO()
        while True:
            want = min(_CHUNK, self.max_bytes + 1 - buf.tell())
            chunk = data.read(want)
            if not chunk:
                return buf.getvalue()
            buf.write(chunk)
            if buf.tell() > self.max_bytes:
                raise self._too_large()

    def _too_large(self) -> InvalidInput:
        message = f"附件大小不能超过{_human_size(self.max_bytes)}"
        return InvalidInput.field(_FIELD, "attachment.too_large", message)


def _human_size(n: int) -> str:
    if n % MIB == 0:
        return f"{n // MIB}MB"
    if n % 1024 == 0:
        return f"{n // 1024}KB"
    return f"{n}字节"


def _normalise_type(declared: str | None) -> str:
    base = (declared or "").split(";", 1)[0].strip().lower()
    return _ALIASES.get(base, base)


def _write_atomically(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".upload-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # other services (preview, export) may run as another user
        os.replace(tmp, target)  # a concurrent identical upload just replaces equal bytes
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sanitise_filename(filename: str, max_length: int = 100) -> str:
    """A display-safe file name: last path component only, no control characters, at most
    ``max_length`` characters keeping the extension; ``"附件"`` when nothing usable is left."""
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = name.strip().lstrip(".").strip()  # no hidden files, no "..": names travel to downloads
    if len(name) > max_length:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: max_length - len(ext) - 1] + "." + ext
        else:
            name = name[:max_length]
    return name or "附件"


# --- sniffing ---------------------------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_type(content: bytes) -> str | None:
    """The MIME type of ``content`` from its magic bytes, or ``None`` if not one we recognise."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if content.startswith(b"PK\x03\x04"):
        return _sniff_ooxml(content)
    if content.startswith(_OLE_MAGIC):
        return _sniff_ole(content)
    return None


def _sniff_ooxml(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None  # a plain zip, not an Office document
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


_ENDOFCHAIN_OR_SPECIAL = 0xFFFFFFFA  # sector ids at or above this are markers, not sectors


def _sniff_ole(content: bytes) -> str | None:
    """Tell a legacy .doc from a .xls by the streams at the root of the compound file.

    Only root entries count: an .xls with an embedded Word object has ``WordDocument`` deeper down.
    """
    try:
        names = _ole_root_names(content)
    except (struct.error, IndexError, ValueError):
        return None
    if "WordDocument" in names:
        return DOC
    if "Workbook" in names or "Book" in names:  # "Book": Excel 5/95
        return XLS
    return None


def _ole_root_names(content: bytes) -> set[str]:
    """Names of the root storage's children in an OLE2 compound file (MS-CFB), bounded loops."""
    sector_shift, = struct.unpack_from("<H", content, 0x1E)
    if sector_shift not in (9, 12):
        raise ValueError("bad sector size")
    size = 1 << sector_shift
    max_sectors = len(content) // size + 1

    def sector(n: int) -> bytes:
        start = (n + 1) * size
        if n >= _ENDOFCHAIN_OR_SPECIAL or start >= len(content):
            raise ValueError("sector out of range")
        return content[start:start + size]

    fat_sector_ids = [s for s in struct.unpack_from("<109I", content, 0x4C) if s < _ENDOFCHAIN_OR_SPECIAL]
    difat, = struct.unpack_from("<I", content, 0x44)
    per = size // 4
    for _ in range(max_sectors):  # a DIFAT chain only exists for files over ~7 MB
        if difat >= _ENDOFCHAIN_OR_SPECIAL:
            break
        entries = struct.unpack(f"<{per}I", sector(difat))
        fat_sector_ids += [s for s in entries[:-1] if s < _ENDOFCHAIN_OR_SPECIAL]
        difat = entries[-1]
    fat: list[int] = []
    for s in fat_sector_ids:
        fat += struct.unpack(f"<{per}I", sector(s))

    directory = b""
    current, = struct.unpack_from("<I", content, 0x30)
    for _ in range(max_sectors):  # bounded: a crafted FAT may loop
        if current >= _ENDOFCHAIN_OR_SPECIAL:
            break
        directory += sector(current)
        current = fat[current]

    def entry(i: int) -> tuple[str, int, int, int]:
        raw = directory[i * 128:(i + 1) * 128]
        if len(raw) < 128:
            raise ValueError("directory entry out of range")
        name_len, = struct.unpack_from("<H", raw, 64)
        name = raw[:max(0, min(name_len, 64) - 2)].decode("utf-16-le", errors="replace")
        left, right, child = struct.unpack_from("<III", raw, 68)
        return name, left, right, child

    names: set[str] = set()
    pending = [entry(0)[3]]  # entry 0 is the root storage; its children form a red-black tree
    seen: set[int] = set()
    while pending:
        i = pending.pop()
        if i >= _ENDOFCHAIN_OR_SPECIAL or i in seen or len(seen) > 4096:
            continue
        seen.add(i)
        name, left, right, _child = entry(i)
        names.add(name)
        pending += [left, right]
    return names


# --- kinds and ids: who keeps the record of an attachment -----------------------------------------------

REGISTRATION_TYPES = frozenset({PDF, JPEG, PNG})


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of attachment (附件类型): its label, the service that keeps its records (and decides who
    may read it: whoever may read the record that references it), the accepted types and size.
    ``public``: may be uploaded on a registration form before the uploader has an account."""

    key: str
    label: str
    owner: str
    types: frozenset[str] = REGISTRATION_TYPES
    max_bytes: int = 5 * MIB
    public: bool = False


KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("business_license", "企业营业执照", "unit_registry", public=True),
    Kind("unit_other", "其它", "unit_registry", public=True),
    Kind("proof", "证明材料", "unit_registry", public=True),
    Kind("application_material", "申请材料", "subsidy_review"),
    # line B (housing_fund): 注册新单位 uploads before any account exists
    Kind("employer_license", "单位营业执照", "housing_fund", public=True),
    Kind("employer_other", "单位其它材料", "housing_fund", public=True),
    Kind("employer_change", "单位信息变更材料", "housing_fund"),
    Kind("employee_material", "职工材料", "housing_fund"),
    Kind("payment_proof", "缴款证明材料", "housing_fund"),       # 缴款历史补录
    Kind("withdrawal_proof", "支取证明材料", "housing_fund"),    # 支取申请
)}
#: the prefix of an attachment id names the service that keeps its record
OWNER_CODES = {"unit_registry": "ur", "subsidy_review": "sr", "housing_fund": "hf"}
_ID = re.compile(r"(?P<owner>[a-z]{2})-[0-9a-f]{32}")


def default_root() -> Path:
    """Where every process of one deployment finds the store: ``$PLATFORM_VAR_DIR/attachments``."""
    return Path(os.environ.get("PLATFORM_VAR_DIR", "var")) / "attachments"


def kind_of(key: object) -> Kind:
    """The attachment kind ``key`` or 400 ``attachment.kind_unknown``."""
    kind = KINDS.get(key) if isinstance(key, str) else None
    if kind is None:
        labels = "、".join(k.label for k in KINDS.values())
        raise InvalidInput.field("kind", "attachment.kind_unknown", f"附件类型不正确，应为：{labels}")
    return kind


def new_attachment_id(owner: str) -> str:
    """A fresh id whose prefix names the service keeping the record (``ur-…``)."""
    import uuid

    return f"{OWNER_CODES[owner]}-{uuid.uuid4().hex}"


def owner_of(attachment_id: object) -> str:
    """The service keeping the record of ``attachment_id``; 404 for anything that is no attachment id."""
    match = _ID.fullmatch(attachment_id) if isinstance(attachment_id, str) else None
    owners = {code: name for name, code in OWNER_CODES.items()}
    if match is None or match["owner"] not in owners:
        raise NotFound("附件不存在", code="attachment.not_found")
    return owners[match["owner"]]
