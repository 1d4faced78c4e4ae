"""Errors that carry a message for each audience: Chinese for the UI, English for CLI/API."""
from __future__ import annotations

import re


class LuoshiError(ValueError):
    """A refused operation. Nothing was written when this is raised."""

    def __init__(self, message_en: str, message_zh: str, *, field: str | None = None):
        super().__init__(message_en)
        self.message_en = message_en
        self.message_zh = message_zh
        self.field = field


class NotAllowed(LuoshiError):
    """The user may not do this to this object (无权操作)."""


def deny(what_en: str, what_zh: str):
    """Refuse: "you are not allowed to <what_en>" / "您无权<what_zh>"."""
    raise NotAllowed(f"you are not allowed to {what_en}", f"您无权{what_zh}")


def decode_table_text(raw: bytes) -> str | None:
    """Text of an uploaded CSV: UTF-8 (with or without BOM) or GB18030, as Excel on
    Chinese Windows saves it; None when it is neither."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


# A tag-like "<x", "</x" or "<!" — markup has no business in ledger text.
_MARKUP = re.compile(r"<\s*[/!]?\s*[A-Za-z]")


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Labels that do not say which field is meant ("字段中不能包含HTML…" helps nobody)
GENERIC_LABELS = frozenset({"字段", "内容", "文本", "输入", "数据", "值", "该字段", "此项"})


def check_plain_text(value: str | None, label_zh: str, label_en: str, *, max_length: int | None = None,
                     required: bool = False) -> str:
    """Strip and validate a free-text field; refuse HTML/script and oversize text. Every message names the
    field by `label_zh` (its Chinese label, e.g. "具体要求"), so a generic label is a programming error."""
    if not label_zh or label_zh.strip() in GENERIC_LABELS or not any("\u4e00" <= c <= "\u9fff" for c in label_zh):
        raise ValueError(f"check_plain_text needs the field's own label, not {label_zh!r} ({label_en})")
    value = (value or "").strip()
    if required and not value:
        raise LuoshiError(f"{label_en} is required", f"{label_zh}不能为空", field=label_en)
    # PostgreSQL cannot store NUL; the other C0 controls (tab, newline and carriage return aside) are not
    # allowed in XML 1.0 or in .xlsx cells, so one of them would break every Open311 XML feed and export
    # that carries the text: refuse them all, on every database alike.
    if _CONTROL.search(value):
        raise LuoshiError(f"{label_en} must not contain NUL or other control characters",
                          f"{label_zh}中包含无法识别的控制字符", field=label_en)
    if _MARKUP.search(value):
        raise LuoshiError(f"{label_en} must not contain HTML or script tags",
                          f"{label_zh}中不能包含HTML或脚本标签", field=label_en)
    if max_length and len(value) > max_length:
        raise LuoshiError(f"{label_en} is longer than {max_length} characters",
                          f"{label_zh}超过{max_length}字", field=label_en)
    return value
