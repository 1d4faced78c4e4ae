"""Petitioner privacy (信访人信息保护): keyed hashing of ID numbers, masking, and who may see what.

Rule (the 信访工作条例's ban on passing a petitioner's 检举/揭发 and particulars to the people or units
concerned, and the 个人信息保护法's minimum-necessary principle): the full name and phone of a petitioner are shown
only to the 信访 office (督查员/管理员, who register and reply) and to the petition's 包案领导 (who meets
the petitioner). The handling unit, other leaders and everyone else see 张* and 138****1234. Nobody sees a
full ID number: it is never stored, only `id_hash` (HMAC-SHA256 under a server key) for repeat detection
and `id_masked` for display.

The key: settings.LUOSHI_ID_HASH_KEY (env LUOSHI_ID_HASH_KEY) if set, else derived from SECRET_KEY.
Changing it breaks repeat detection against older petitions (the hashes no longer match).
"""
from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings

from luoshi.core.errors import LuoshiError

_ID_RE = re.compile(r"^(\d{17}[\dX]|\d{15})$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalise_id(raw: str) -> str:
    """A 居民身份证号 in canonical form (upper-case X, no spaces); LuoshiError if it is not one
    (GB 11643 check digit verified for 18-digit numbers)."""
    value = re.sub(r"\s+", "", raw or "").upper()
    if not _ID_RE.match(value):
        raise LuoshiError("the ID number must have 18 digits (or 15)", "身份证号应为18位(或15位)", field="id_number")
    if len(value) == 18:
        check = _ID_CHECK[sum(int(c) * w for c, w in zip(value[:17], _ID_WEIGHTS)) % 11]
        if check != value[17]:
            raise LuoshiError("the ID number's check digit is wrong", "身份证号校验位不正确", field="id_number")
    return value


def _key() -> bytes:
    key = getattr(settings, "LUOSHI_ID_HASH_KEY", "") or ""
    if key:
        return key.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"luoshi.petitions.id_hash", hashlib.sha256).digest()


def id_hash(normalised: str) -> str:
    """HMAC-SHA256 (hex) of a normalised ID number under the server key."""
    return hmac.new(_key(), normalised.encode(), hashlib.sha256).hexdigest()


def phone_hash(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    return hmac.new(_key(), f"tel:{digits}".encode(), hashlib.sha256).hexdigest() if digits else ""


def mask_id(normalised: str) -> str:
    """110101********1234 → first 3 and last 4 kept: 110***********1234."""
    return normalised[:3] + "*" * (len(normalised) - 7) + normalised[-4:] if normalised else ""


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***; empty stays empty."""
    name = (name or "").strip()
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""


def mask_phone(phone: str) -> str:
    """13812341234 → 138****1234; short numbers keep only their last 2 digits."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    if len(phone) >= 11:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    return "*" * max(1, len(phone) - 2) + phone[-2:]


def sees_identity(user, petition) -> bool:
    """May `user` see the petitioner's full name, phone and address?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.sees_everything:
        return True
    return bool(user.is_leader and petition.owner_leader_id == user.pk)


def petitioner_view(user, petition) -> dict:
    """The petitioner's fields as `user` may see them: full or masked; the ID number always masked.
    Keys: name, phone, address (None when withheld), id_number, masked (bool)."""
    p = petition.petitioner
    full = sees_identity(user, petition)
    return {
        "name": p.name if full else mask_name(p.name),
        "phone": p.phone if full else mask_phone(p.phone),
        "address": p.address if full else None,
        "id_number": p.id_masked,
        "masked": not full,
    }
