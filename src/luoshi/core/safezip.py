"""Bounded inflation of uploads (上传文件解压检查): Office Open XML files (.docx, .xlsx) and PDF streams.

A .docx or .xlsx is a zip archive. Nothing in it is trusted: the sizes in its headers may lie (a member
that claims 4 KB and inflates to 1 GiB), a member may honestly be enormous (a 1 GiB cell or shared
string compresses to about 1 MB), or it may hold thousands of members. Before any parser (python-docx,
openpyxl) touches an upload, :func:`check_ooxml` reads every member once, as a stream, in 1 MiB pieces,
counting the bytes that really come out:

* more members than ``max_members``                               → refused (too many parts);
* a member whose declared size exceeds ``max_member``, or declared sizes summing above ``max_total``
  → refused at once, before inflating anything;
* a member that inflates to more than ``max_member`` bytes, or all members to more than ``max_total``
  → refused as soon as the count passes the cap (never more than one piece in memory);
* a member that inflates to more or fewer bytes than its header says, or whose CRC does not match
  → refused as "the sizes in the zip headers are false" (zipfile stops at the declared size, so a
  header that understates the size gives a CRC mismatch);
* the part the format needs (``word/document.xml``, ``xl/workbook.xml``) missing → refused as corrupt.

The parsers then only ever see archives whose real sizes are bounded, so the process peak stays within
what the caps allow (measured in README "Upload bounds"; ≤ 300 MB for any accepted upload).

Pure Python (standard library only), so the extractor (`luoshi.extract`, which may not import Django)
can use it as well as the Django apps. Errors carry an English message (CLI, API, logs) and a Chinese one
(pages).
"""
from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass

MiB = 1024 * 1024
CHUNK = MiB


@dataclass(frozen=True)
class Limits:
    """Caps of one kind of archive: bytes of one member, of all members together (both uncompressed,
    as really inflated), and the number of members."""

    max_member: int
    max_total: int
    max_members: int = 2000


# The XML parsers hold about 5x the XML size (python-docx builds a whole lxml tree of word/document.xml;
# openpyxl's read-only mode keeps every shared string): these caps keep an accepted file under ~200 MB of
# parser memory. Real documents are far smaller (a 100-page .docx has 1-3 MB of XML).
LIMITS = {
    "docx": Limits(max_member=8 * MiB, max_total=24 * MiB),
    "xlsx": Limits(max_member=32 * MiB, max_total=64 * MiB),
}
REQUIRED = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
NOUN = {"docx": "document", "xlsx": "workbook"}
LABEL_ZH = {"docx": "Word(.docx)", "xlsx": "Excel(.xlsx)"}


class UnsafeArchive(Exception):
    """An upload refused before parsing. `code`: "corrupt", "too_large", "false_headers" or "too_many"."""

    def __init__(self, code: str, message_en: str, message_zh: str):
        super().__init__(message_en)
        self.code, self.message_en, self.message_zh = code, message_en, message_zh


def _mb(n: int) -> str:
    return f"{n / MiB:.0f} MB"


def _open(source):
    """A seekable binary file for bytes, a path or a file-like object (Django UploadedFile included)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return io.BytesIO(source), False
    if isinstance(source, (str, os.PathLike)):
        return open(source, "rb"), True
    f = getattr(source, "file", source)  # UploadedFile → its underlying file
    if hasattr(f, "seek"):
        f.seek(0)
    return f, False


def check_ooxml(source, kind: str, limits: Limits | None = None) -> None:
    """Refuse `source` (bytes, path or file) unless it is a sane `kind` ("docx" or "xlsx") archive; see
    the module docstring. Reads each member once as a stream: memory O(1 MiB), time O(inflated bytes,
    at most `max_total`). Raises UnsafeArchive. A file-like source is left at position 0."""
    lim = limits or LIMITS[kind]
    label = LABEL_ZH[kind]
    f, close = _open(source)
    try:
        try:
            zf = zipfile.ZipFile(f)
            infos = zf.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise UnsafeArchive("corrupt", f"not a valid .{kind} {NOUN[kind]} (not a zip archive: {exc})",
                                f"文件已损坏:不是有效的{label}文件") from None
        if len(infos) > lim.max_members:
            raise UnsafeArchive("too_many", f"refused .{kind}: {len(infos)} parts (at most {lim.max_members})",
                                f"拒绝处理:文件内部包含{len(infos)}个部件,超过上限{lim.max_members}个")
        declared = 0
        for info in infos:
            declared += info.file_size
            if info.file_size > lim.max_member:
                raise UnsafeArchive("too_large", f"refused .{kind}: part {info.filename} expands to "
                                    f"{_mb(info.file_size)} (at most {_mb(lim.max_member)} per part)",
                                    f"拒绝处理:文件解压后过大(单个部件超过{_mb(lim.max_member)},疑似压缩炸弹)")
        if declared > lim.max_total:
            raise UnsafeArchive("too_large", f"refused .{kind}: expands to {_mb(declared)} "
                                f"(at most {_mb(lim.max_total)})",
                                f"拒绝处理:文件解压后过大(超过{_mb(lim.max_total)},疑似压缩炸弹)")
        names = {i.filename for i in infos}
        if REQUIRED[kind] not in names:
            raise UnsafeArchive("corrupt", f"not a valid .{kind} {NOUN[kind]} ({REQUIRED[kind]} missing)",
                                f"文件已损坏:不是有效的{label}文件(缺少 {REQUIRED[kind]})")
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            real = 0
            try:
                with zf.open(info) as member:
                    while True:
                        piece = member.read(CHUNK)
                        if not piece:
                            break
                        real += len(piece)
                        total += len(piece)
                        if real > lim.max_member or total > lim.max_total:
                            raise UnsafeArchive("too_large", f"refused .{kind}: part {info.filename} inflates "
                                                f"past {_mb(min(lim.max_member, lim.max_total))}",
                                                f"拒绝处理:文件解压后过大(超过{_mb(lim.max_total)},疑似压缩炸弹)")
            except UnsafeArchive:
                raise
            except zipfile.BadZipFile as exc:  # CRC mismatch: the data is not what the header says
                raise UnsafeArchive("false_headers", f"refused .{kind}: the sizes or checksums in its zip headers "
                                    f"are false ({info.filename}: {exc})",
                                    f"拒绝处理:文件的压缩包头信息与实际内容不符(文件已损坏或被篡改)") from None
            except (zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
                raise UnsafeArchive("corrupt", f"not a valid .{kind} {NOUN[kind]} ({info.filename}: {exc})"[:300],
                                    f"文件已损坏:无法读取{label}文件的内容") from None
            if real != info.file_size:
                raise UnsafeArchive("false_headers", f"refused .{kind}: part {info.filename} holds {real} bytes, "
                                    f"its header says {info.file_size}",
                                    "拒绝处理:文件的压缩包头信息与实际内容不符(文件已损坏或被篡改)")
    finally:
        if close:
            f.close()
        elif hasattr(f, "seek"):
            f.seek(0)


# ---- PDF ------------------------------------------------------------------------------------------------

PDF_MAX_STREAM = 16 * MiB   # one inflated stream (a page's content, an image, an object stream)
PDF_MAX_TOTAL = 96 * MiB    # all of them together
_STREAM = re.compile(rb"stream\r?\n")


def check_pdf(data: bytes, max_stream: int = PDF_MAX_STREAM, max_total: int = PDF_MAX_TOTAL) -> None:
    """Refuse a PDF whose compressed (FlateDecode) streams inflate past the caps: pdfminer inflates
    each stream whole in memory, so a 1 MB stream of zeros would cost 1 GiB there. Every stream whose
    dictionary names FlateDecode is inflated here as a stream, in 1 MiB pieces, counting. Streams that
    do not inflate (other filters, damage) are left to the parser. Raises UnsafeArchive."""
    total = 0
    view = memoryview(data)
    for m in _STREAM.finditer(data):
        start = m.end()
        if b"/FlateDecode" not in data[max(0, m.start() - 400):m.start()]:
            continue
        d = zlib.decompressobj()
        pos, real = start, 0
        try:
            while pos < len(data) and not d.eof:
                piece = d.decompress(view[pos:pos + 65536], CHUNK)
                pos += 65536
                while True:
                    real += len(piece)
                    total += len(piece)
                    if real > max_stream or total > max_total:
                        raise UnsafeArchive("too_large", f"refused .pdf: a compressed stream inflates past "
                                            f"{_mb(min(max_stream, max_total))}",
                                            "拒绝处理:PDF 内部数据解压后过大(疑似压缩炸弹)")
                    if not d.unconsumed_tail:
                        break
                    piece = d.decompress(d.unconsumed_tail, CHUNK)
        except zlib.error:
            continue
