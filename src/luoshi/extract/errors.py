"""Errors raised for unreadable input, with English and Chinese messages.

The CLI prints ``message_en``; the web app shows ``message_zh``.
"""
from __future__ import annotations


class ExtractError(Exception):
    """Base class: input that cannot be read (无法读取的输入)."""

    code = "unreadable"

    def __init__(self, message_en: str, message_zh: str):
        super().__init__(message_en)
        self.message_en = message_en
        self.message_zh = message_zh

    def to_dict(self) -> dict:
        return {"code": self.code, "message_en": self.message_en, "message_zh": self.message_zh}


class MissingFileError(ExtractError):
    code = "missing"


class UnsupportedTypeError(ExtractError):
    code = "unsupported"


class TooLargeError(ExtractError):
    code = "too_large"


class CorruptFileError(ExtractError):
    code = "corrupt"


class ZipBombError(ExtractError):
    code = "zip_bomb"


class EncodingError(ExtractError):
    code = "encoding"
