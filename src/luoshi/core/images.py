"""Bounded-memory photo reduction (照片缩略): an upright RGB copy no larger than a box.

Used for every copy luoshi makes of an uploaded photo (the metadata-free public copy of a case photo, the
pictures in generated documents). The original upload is never changed.
"""
from __future__ import annotations

from PIL import Image

# The most pixel memory one fully decoded photo may take: with the rest of a request it stays under the
# 300 MB bound of issue 8 §3. Pillow keeps RGB/RGBA/CMYK at 4 bytes a pixel, L/P at 1, I;16 at 2, so a PNG
# or WebP may have up to ~33 megapixels; a JPEG is decoded at a reduced scale and only MAX_PIXELS binds it.
MAX_DECODED_BYTES = 128 * 1024 * 1024
_PIXEL_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2}


def decoded_bytes(img: Image.Image) -> int:
    """Bytes the pixels of an opened image take once fully decoded by Pillow."""
    return img.width * img.height * _PIXEL_BYTES.get(img.mode, 4)


def too_big_to_decode(img: Image.Image) -> bool:
    """True for a non-JPEG image whose full decode would exceed MAX_DECODED_BYTES (JPEGs decode reduced)."""
    return img.format != "JPEG" and decoded_bytes(img) > MAX_DECODED_BYTES


# EXIF Orientation (tag 0x0112) → the operation that makes the picture upright (as ImageOps.exif_transpose).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def reduced_upright(img: Image.Image, box: int) -> Image.Image:
    """Return an upright copy of an opened, not yet loaded `img`, at most `box`×`box` px, mode RGB or L.

    Memory: a JPEG is decoded at a reduced DCT scale (`Image.draft`), so a 40-megapixel JPEG never holds
    its full pixels; other formats hold them once, shrunk in place before rotation and conversion (the
    old order — transpose, convert, copy at full size — held three to four full copies, ~535 MB peak for
    a 40 MP photo). Raises what Pillow raises for a broken file (OSError, ValueError, SyntaxError)."""
    try:
        orientation = int(img.getexif().get(0x0112, 1))
    except Exception:  # noqa: BLE001 - unreadable EXIF: treat as upright
        orientation = 1
    w, h = img.size
    ratio = min(box / w, box / h, 1.0)
    target = (max(1, round(w * ratio)), max(1, round(h * ratio)))
    if img.format == "JPEG":
        img.draft("RGB", target)  # the exact target: Pillow then picks the largest DCT scale that still fits
    img.load()
    factor = -(-max(img.size) // box)  # ceil: the reduced picture already fits the box
    if factor >= 2:
        try:
            img = _reduce_in_strips(img, factor)
        except ValueError:  # a mode reduce() does not take (palette, 16-bit): thumbnail() alone
            pass
    img.thumbnail((box, box))
    if orientation in _UPRIGHT:
        img = img.transpose(_UPRIGHT[orientation])
    if img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    return img


def _reduce_in_strips(img: Image.Image, factor: int, rows: int = 256) -> Image.Image:
    """An opaque (RGB, or L for L) `img.reduce(factor)`, a strip at a time: Pillow reduces RGBA/LA through
    a premultiplied copy of the whole image, which would double the peak; a strip's copy is small."""
    w, h = img.size
    mode = "L" if img.mode == "L" else "RGB"  # the copies made here are opaque: alpha goes strip by strip
    out = Image.new(mode, (-(-w // factor), -(-h // factor)))
    step = factor * rows
    for top in range(0, h, step):
        strip = img.crop((0, top, w, min(h, top + step))).reduce(factor)
        out.paste(strip if strip.mode == mode else strip.convert(mode), (0, top // factor))
    return out
