"""Evidence files (photos, short videos) from on-site inspections.

`check_upload(name, data)` → EvidenceInfo or LuoshiError (400):

* photos: JPEG, PNG or WebP, at most LUOSHI_EVIDENCE_MAX_PHOTO bytes (default 15 MB) and 40 megapixels;
  the file must really decode as an image (Pillow verify + load: a renamed non-image, a truncated file
  or a decompression bomb is refused);
* videos: MP4/MOV/3GP (ISO base media, `ftyp` box) or WebM/Matroska (EBML header), at most
  LUOSHI_EVIDENCE_MAX_VIDEO bytes (default 60 MB).

The original bytes are kept unchanged (no re-encoding, so EXIF and any signature stay intact) under
MEDIA_ROOT/inspections/evidence/<sha256[:2]>/<sha256><ext>, SHA-256 recorded; from a photo's EXIF the
time taken (DateTimeOriginal) and GPS position (decimal degrees) are read into their own fields and
the readable EXIF tags kept as JSON. Files are served only through the scoped evidence view.
"""
from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass, field

from django.conf import settings

from luoshi.core.errors import LuoshiError

MAX_PIXELS = 40_000_000
PHOTO_FORMATS = {"JPEG": (".jpg", "image/jpeg"), "PNG": (".png", "image/png"), "WEBP": (".webp", "image/webp")}


def max_photo() -> int:
    return int(getattr(settings, "LUOSHI_EVIDENCE_MAX_PHOTO", 15 * 1024 * 1024))


def max_video() -> int:
    return int(getattr(settings, "LUOSHI_EVIDENCE_MAX_VIDEO", 60 * 1024 * 1024))


@dataclass
class EvidenceInfo:
    kind: str
    ext: str
    content_type: str
    sha256: str
    size: int
    width: int | None = None
    height: int | None = None
    taken_at: str = ""
    latitude: float | None = None
    longitude: float | None = None
    exif: dict = field(default_factory=dict)


def _ratio(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError, ZeroDivisionError):
        num, den = v
        return num / den if den else 0.0


def _gps(gps: dict) -> tuple[float | None, float | None]:
    try:
        lat = sum(_ratio(x) / 60 ** i for i, x in enumerate(gps[2]))
        lon = sum(_ratio(x) / 60 ** i for i, x in enumerate(gps[4]))
    except (KeyError, TypeError, ValueError, IndexError, ZeroDivisionError):
        return None, None
    if gps.get(1) in ("S", b"S"):
        lat = -lat
    if gps.get(3) in ("W", b"W"):
        lon = -lon
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return round(lat, 6), round(lon, 6)


def _jsonable(v):
    if isinstance(v, bytes):
        return v.decode("ascii", "replace")[:200]
    if isinstance(v, (int, str)):
        return v if not isinstance(v, str) else v[:200]
    if isinstance(v, tuple):
        return [_jsonable(x) for x in v][:20]
    try:
        return float(v)
    except (TypeError, ValueError):
        return str(v)[:200]


def _photo(data: bytes, info: EvidenceInfo) -> EvidenceInfo:
    from PIL import ExifTags, Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                fmt = im.format
                if fmt not in PHOTO_FORMATS:
                    raise LuoshiError(f"photos must be JPEG, PNG or WebP (got {fmt})",
                                      "照片应为JPEG、PNG或WebP格式", field="files")
                w, h = im.size
                if w * h > MAX_PIXELS:
                    raise LuoshiError("the photo has too many pixels", "照片像素过大(超过4000万像素)", field="files")
                im.verify()
            with Image.open(io.BytesIO(data)) as im:
                im.load()
                exif = im.getexif()
    except LuoshiError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            SyntaxError, ValueError) as exc:
        raise LuoshiError(f"not a readable image ({type(exc).__name__})", "文件不是有效的图片", field="files")
    info.ext, info.content_type = PHOTO_FORMATS[fmt]
    info.width, info.height = w, h
    tags = {}
    for k, v in exif.items():
        tags[ExifTags.TAGS.get(k, str(k))] = _jsonable(v)
    sub = exif.get_ifd(0x8769)
    for k, v in sub.items():
        tags[ExifTags.TAGS.get(k, str(k))] = _jsonable(v)
    taken = sub.get(36867) or exif.get(306) or ""
    info.taken_at = str(taken)[:32]
    gps = exif.get_ifd(0x8825)
    if gps:
        info.latitude, info.longitude = _gps(dict(gps))
        tags["GPS"] = {ExifTags.GPSTAGS.get(k, str(k)): _jsonable(v) for k, v in gps.items()}
    tags.pop("MakerNote", None)
    info.exif = tags
    return info


def _video_kind(data: bytes) -> tuple[str, str] | None:
    if len(data) >= 12 and data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand == b"qt  ":
            return ".mov", "video/quicktime"
        if brand.startswith(b"3g"):
            return ".3gp", "video/3gpp"
        return ".mp4", "video/mp4"
    if data[:4] == b"\x1a\x45\xdf\xa3":
        return ".webm", "video/webm"
    return None


def check_upload(name: str, data: bytes) -> EvidenceInfo:
    """Validate one uploaded file; see the module docstring. Raises LuoshiError(field="files")."""
    if not data:
        raise LuoshiError("the file is empty", "文件为空", field="files")
    sha = hashlib.sha256(data).hexdigest()
    video = _video_kind(data)
    if video:
        if len(data) > max_video():
            raise LuoshiError(f"videos are limited to {max_video() // 1024 // 1024} MB",
                              f"视频不能超过{max_video() // 1024 // 1024}MB", field="files")
        return EvidenceInfo("video", video[0], video[1], sha, len(data))
    if len(data) > max_photo():
        raise LuoshiError(f"photos are limited to {max_photo() // 1024 // 1024} MB",
                          f"照片不能超过{max_photo() // 1024 // 1024}MB", field="files")
    return _photo(data, EvidenceInfo("photo", "", "", sha, len(data)))


def thumbnail_jpeg(data: bytes, box: int = 1000) -> bytes:
    """A JPEG at most `box` px on its longer side (for documents; the original is untouched)."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as im:
        im = ImageOps.exif_transpose(im).convert("RGB")
        im.thumbnail((box, box))
        out = io.BytesIO()
        im.save(out, "JPEG", quality=80)
        return out.getvalue()
