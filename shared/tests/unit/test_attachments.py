"""The content-addressed attachment store: sniffed types, size limit while streaming, atomic writes."""
from __future__ import annotations

import hashlib
import io
import itertools
import struct
import zipfile

import pytest

from shared import attachments as att
from shared import errors

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
GIF = b"GIF89a" + b"\x00" * 32


def ooxml(kind: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buf.getvalue()


def cfb(root_children: list[str], nested: str | None = None) -> bytes:
    """A minimal OLE2 compound file (512-byte sectors): sector 0 the FAT, sector 1 the directory.

    ``root_children`` become streams under the root; ``nested`` a stream inside a sub-storage.
    """
    free, end, fatsect, nostream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9)  # minor, major, byte order, shift
    struct.pack_into("<H", header, 0x20, 6)
    struct.pack_into("<I", header, 0x2C, 1)  # one FAT sector
    struct.pack_into("<I", header, 0x30, 1)  # directory starts in sector 1
    struct.pack_into("<I", header, 0x38, 4096)
    struct.pack_into("<IIII", header, 0x3C, end, 0, end, 0)  # no mini FAT, no DIFAT sectors
    struct.pack_into("<109I", header, 0x4C, 0, *([free] * 108))
    fat = struct.pack("<128I", fatsect, end, *([free] * 126))

    entries: list[tuple[str, int, int, int, int]] = []  # name, type, left, right, child

    def add(name: str, kind: int) -> int:
        entries.append((name, kind, nostream, nostream, nostream))
        return len(entries) - 1

    add("Root Entry", 5)
    members = [add(n, 2) for n in root_children]
    if nested:
        storage = add("MBD0001", 1)
        inner = add(nested, 2)
        entries[storage] = entries[storage][:4] + (inner,)
        members.append(storage)
    # root's children as a degenerate tree: each member's right sibling is the next one
    for a, b in itertools.pairwise(members):
        entries[a] = entries[a][:3] + (b,) + entries[a][4:]
    entries[0] = entries[0][:4] + ((members[0] if members else nostream),)

    directory = bytearray()
    for name, kind, left, right, child in entries:
        raw = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        raw[:len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, left, right, child)
        directory += raw
    directory += b"\0" * (512 - len(directory))
    return bytes(header) + fat + bytes(directory)


@pytest.fixture
def store(tmp_path):
    return att.AttachmentStore(tmp_path / "files")


@pytest.mark.parametrize(("content", "content_type"), [
    (PDF, att.PDF), (PNG, att.PNG), (JPEG, att.JPEG), (GIF, att.GIF),
    (ooxml("xlsx"), att.XLSX), (ooxml("docx"), att.DOCX),
    (cfb(["Workbook", "SummaryInformation"]), att.XLS), (cfb(["Book"]), att.XLS),
    (cfb(["1Table", "WordDocument"]), att.DOC),
])
def test_sniffed_types_are_stored(store, content, content_type):
    stored = store.put(content, "营业执照.bin")
    assert stored.content_type == content_type
    assert stored.size == len(content)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    path = store.path_of(stored.sha256)
    assert path == store.root / stored.sha256[:2] / stored.sha256[2:4] / stored.sha256
    assert path.read_bytes() == content
    with store.open(stored.sha256) as fh:
        assert fh.read() == content


def test_an_xls_with_an_embedded_word_object_is_still_an_xls():
    assert att.sniff_type(cfb(["Workbook"], nested="WordDocument")) == att.XLS


def test_an_ole_file_that_is_neither_word_nor_excel_is_refused(store):
    with pytest.raises(errors.InvalidInput) as info:
        store.put(cfb(["PowerPoint Document"]), "a.ppt")
    assert info.value.code == "attachment.type_not_allowed"


@pytest.mark.parametrize("content", [
    b"MZ\x90\x00 this is an exe",
    b"plain text",
    b"PK\x03\x04 not really a zip",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 truncated",
])
def test_unknown_content_is_refused(store, content):
    with pytest.raises(errors.InvalidInput) as info:
        store.put(content, "x.pdf", declared_type="application/pdf")
    assert info.value.code == "attachment.type_not_allowed"
    assert "attachment" in info.value.details["fields"]


def test_a_plain_zip_is_refused(store):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "hi")
    with pytest.raises(errors.InvalidInput) as info:
        store.put(buf.getvalue(), "a.zip")
    assert info.value.code == "attachment.type_not_allowed"


def test_allowed_types_are_configurable(tmp_path):
    images_only = att.AttachmentStore(tmp_path, allowed_types=frozenset({att.PNG, att.JPEG}))
    assert images_only.put(PNG, "a.png").content_type == att.PNG
    with pytest.raises(errors.InvalidInput) as info:
        images_only.put(PDF, "a.pdf")
    assert info.value.code == "attachment.type_not_allowed"


def test_declared_type_must_agree(store):
    assert store.put(JPEG, "a.jpg", declared_type="image/jpg").content_type == att.JPEG
    assert store.put(PDF, "a.pdf", declared_type="application/pdf; charset=binary").content_type == att.PDF
    assert store.put(PDF, "a.pdf", declared_type="application/octet-stream").content_type == att.PDF
    with pytest.raises(errors.InvalidInput) as info:
        store.put(PNG, "a.pdf", declared_type="application/pdf")
    assert info.value.code == "attachment.type_mismatch"
    assert not store.exists(hashlib.sha256(PNG).hexdigest())  # nothing stored for a refused file


def test_empty_is_refused(store):
    for empty in (b"", io.BytesIO(b"")):
        with pytest.raises(errors.InvalidInput) as info:
            store.put(empty, "a.pdf")
        assert info.value.code == "attachment.empty"
        assert info.value.message == "附件不能为空"


class CountingStream(io.RawIOBase):
    """An endless stream that records how much was read from it."""

    def __init__(self) -> None:
        self.read_total = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        assert n is not None and n >= 0, "the store must never read without a limit"
        self.read_total += n
        return (b"%PDF-" + b"x" * n)[:n]


def test_oversize_is_refused_while_streaming(tmp_path):
    store = att.AttachmentStore(tmp_path, max_bytes=200_000)
    stream = CountingStream()
    with pytest.raises(errors.InvalidInput) as info:
        store.put(stream, "big.pdf")
    assert info.value.code == "attachment.too_large"
    assert stream.read_total == 200_001
    assert not list(tmp_path.rglob("*"))


def test_size_limit_boundary_and_message(tmp_path):
    store = att.AttachmentStore(tmp_path, max_bytes=1024)
    exact = PDF + b"x" * (1024 - len(PDF))
    assert store.put(io.BytesIO(exact), "ok.pdf").size == 1024
    with pytest.raises(errors.InvalidInput) as info:
        store.put(exact + b"x", "big.pdf")
    assert info.value.message == "附件大小不能超过1KB"
    with pytest.raises(errors.InvalidInput) as info:
        att.AttachmentStore(tmp_path).put(b"%PDF-" + b"x" * (10 * att.MIB), "big.pdf")
    assert info.value.message == "附件大小不能超过10MB"


def test_identical_content_is_stored_once(store):
    a = store.put(PDF, "a.pdf")
    b = store.put(io.BytesIO(PDF), "b.pdf")
    assert a.sha256 == b.sha256
    assert (a.filename, b.filename) == ("a.pdf", "b.pdf")
    files = [p for p in store.root.rglob("*") if p.is_file()]
    assert files == [store.path_of(a.sha256)]  # and no temp file left behind


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\张三\\营业执照.pdf", "营业执照.pdf"),
    ("a\x00b\n.pdf", "ab.pdf"),
    ("..", "附件"),
    ("", "附件"),
    (".hidden.pdf", "hidden.pdf"),
])
def test_filenames_are_sanitised(name, expected):
    assert att.sanitise_filename(name) == expected


def test_long_filenames_keep_their_extension():
    name = att.sanitise_filename("证" * 300 + ".docx")
    assert len(name) == 100
    assert name.endswith(".docx")
    assert len(att.sanitise_filename("x" * 300)) == 100


def test_lookup_validates_the_hash(store):
    stored = store.put(PDF, "a.pdf")
    assert store.exists(stored.sha256)
    assert store.exists(stored.sha256.upper())
    assert not store.exists("0" * 64)
    for bad in ("../" * 10, "abc", "g" * 64, "0" * 63, None):
        with pytest.raises(errors.InvalidInput) as info:
            store.path_of(bad)
        assert info.value.code == "attachment.invalid_id"
    with pytest.raises(errors.NotFound):
        store.open("0" * 64)


def test_a_real_openpyxl_workbook_is_an_xlsx(store):
    import openpyxl  # platform-shared[test]: a workbook as the services write them
    wb = openpyxl.Workbook()
    wb.active["A1"] = "职工姓名"
    buf = io.BytesIO()
    wb.save(buf)
    assert store.put(buf.getvalue(), "职工批量导入.xlsx", declared_type=att.XLSX).content_type == att.XLSX
