"""Photo intake: real images only (Pillow), bounded size and pixels (decompression
bombs refused), EXIF/GPS kept for the office, a metadata-free copy for everything public."""
from __future__ import annotations

import io
import warnings

from django.core.files.base import ContentFile
from PIL import ExifTags, Image, UnidentifiedImageError

from luoshi.core.errors import LuoshiError
from luoshi.core.images import reduced_upright, too_big_to_decode

MAX_PHOTOS = 5
MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000          # 40 MP; Pillow's own bomb check is at 2x this
PUBLIC_BOX = 2560                # the public copy's longer side, px (a page shows far less)
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def _bad(en: str, zh: str):
    raise LuoshiError(en, zh, field="photos")


def _exif(img) -> dict:
    out = {}
    try:
        exif = img.getexif()
    except Exception:  # noqa: BLE001 - broken EXIF is just dropped
        return out
    for tag, value in exif.items():
        name = ExifTags.TAGS.get(tag, str(tag))
        if isinstance(value, (str, int, float)):
            out[name] = value if not isinstance(value, str) else value.replace("\x00", "")[:200]
    try:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:  # noqa: BLE001
        gps = {}
    if gps:
        out["GPS"] = {ExifTags.GPSTAGS.get(k, str(k)): (str(v)[:100]) for k, v in gps.items()}
    return out


def check_photo(upload) -> dict:
    """Validate one upload; return {"original": bytes, "public": bytes, "ext", "exif", "width", "height"}.

    "public" is an upright JPEG without metadata, at most PUBLIC_BOX px on its longer side; "width" and
    "height" are the original's. Peak memory stays bounded (core.images.reduced_upright).

    Errors (LuoshiError, field "photos"): too big, not an image (e.g. a renamed file),
    unsupported format, too many pixels / decompression bomb."""
    name = getattr(upload, "name", "photo")
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        _bad(f"{name}: larger than {MAX_BYTES // 1024 // 1024} MB", f"照片“{name}”超过{MAX_BYTES // 1024 // 1024}MB")
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        _bad(f"{name}: larger than {MAX_BYTES // 1024 // 1024} MB", f"照片“{name}”超过{MAX_BYTES // 1024 // 1024}MB")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data))
            if img.format not in FORMATS:
                _bad(f"{name}: format {img.format} is not accepted", f"照片“{name}”格式不支持(仅限JPG/PNG/WEBP/GIF)")
            if img.width * img.height > MAX_PIXELS or too_big_to_decode(img):
                _bad(f"{name}: too many pixels ({img.width}x{img.height})", f"照片“{name}”像素过大")
            img.verify()
            img = Image.open(io.BytesIO(data))
            exif = _exif(img)
            fmt, width, height = img.format, img.width, img.height
            clean = reduced_upright(img, PUBLIC_BOX)  # decodes (a broken file raises here), bounded memory
        except LuoshiError:  # a ValueError too: keep its own message
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            _bad(f"{name}: image too large (decompression bomb)", f"照片“{name}”像素过大,已拒绝")
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            _bad(f"{name}: not a valid image", f"文件“{name}”不是有效的图片")
    # Re-encode the pixels only: no EXIF, GPS, comments or ICC text survive in the public copy.
    out = io.BytesIO()
    bare = Image.new(clean.mode, clean.size)
    bare.paste(clean)
    bare.save(out, "JPEG", quality=85)
    return {"original": data, "public": out.getvalue(), "ext": FORMATS[fmt], "exif": exif,
            "width": width, "height": height}


def check_photos(uploads) -> list[dict]:
    uploads = [u for u in (uploads or []) if u]
    if len(uploads) > MAX_PHOTOS:
        _bad(f"at most {MAX_PHOTOS} photos", f"最多上传{MAX_PHOTOS}张照片")
    return [check_photo(u) for u in uploads]


def save_photos(case, checked: list[dict]) -> None:
    from .models import CasePhoto

    for i, p in enumerate(checked, start=1):
        photo = CasePhoto(case=case, exif=p["exif"], width=p["width"], height=p["height"])
        photo.original.save(f"orig-{i}.{p['ext']}", ContentFile(p["original"]), save=False)
        photo.public.save(f"pub-{i}.jpg", ContentFile(p["public"]), save=False)
        photo.save()
