"""Extraction engine: speech / work plan -> task ledger rows (讲话稿 → 台账).

Pure Python (no Django). Public API:

- ``extract_bytes(data, filename) -> dict``   raw upload (.txt/.html/.docx/.pdf)
- ``extract_text(text, source="text") -> dict``  already-decoded text
- ``extract_file(path) -> dict``
- ``find_units(sentence) -> list[UnitMention]``   unit mentions with roles
- ``find_deadline(sentence, doc_year=None, doc_month=None) -> dict | None``
- ``find_targets(sentence) -> list[dict]``
- ``split_sentences(text) -> list[tuple[int, int]]``  sentence offsets (annotation.md rule)
- ``ExtractError`` (and subclasses) carry ``message_en`` / ``message_zh``.

The dict follows schema ``luoshi.extract/1`` (shared/spec/extraction.md).
"""
from __future__ import annotations

import os

from .errors import (
    CorruptFileError,
    EncodingError,
    ExtractError,
    MissingFileError,
    TooLargeError,
    UnsupportedTypeError,
    ZipBombError,
)
from .deadlines import find_deadline
from .ingest import MAX_INPUT_BYTES, bytes_to_text
from .outline import sentence_spans as split_sentences
from .pipeline import SCHEMA, extract_clean_text
from .targets import find_targets
from .units import UnitMention, find_units, is_unit, split_roles

__all__ = [
    "SCHEMA", "extract_bytes", "extract_text", "extract_file", "find_units", "find_deadline",
    "find_targets", "split_sentences", "is_unit", "split_roles", "UnitMention", "ExtractError", "MissingFileError",
    "UnsupportedTypeError", "TooLargeError", "CorruptFileError", "ZipBombError", "EncodingError",
]


def extract_text(text: str, source: str = "text") -> dict:
    """Extract from already-decoded text (a whole file; may hold several speeches)."""
    return extract_clean_text(text, source)


def extract_bytes(data: bytes, filename: str) -> dict:
    """Extract from the raw bytes of an uploaded file; raises ExtractError if unreadable."""
    text, _kind = bytes_to_text(data, filename)
    return extract_clean_text(text, os.path.basename(filename))


def extract_file(path: str | os.PathLike) -> dict:
    path = os.fspath(path)
    if not os.path.exists(path):
        raise MissingFileError(f"no such file: {path}", f"文件不存在:{path}")
    if os.path.isdir(path):
        raise UnsupportedTypeError(f"is a directory: {path}", f"这是一个文件夹,不是文件:{path}")
    size = os.path.getsize(path)
    if size > MAX_INPUT_BYTES:
        raise TooLargeError(f"file too large ({size // (1024 * 1024)} MB > {MAX_INPUT_BYTES // (1024 * 1024)} MB)",
                            f"文件过大(超过 {MAX_INPUT_BYTES // (1024 * 1024)} MB)")
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise MissingFileError(f"cannot read {path}: {exc.strerror}", f"无法读取文件:{path}") from None
    return extract_bytes(data, path)
