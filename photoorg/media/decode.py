"""Opening photos safely and decoding them upright.

Every photo comes in as the bytes the scanner has already read and hashed. ``open_image``
reads only the header, limited to the formats PhotoOrg supports and to ``MAX_PIXELS``;
``decode_upright`` decodes (JPEG and HEIF at reduced size when that is all the caller
needs) and turns the picture the way the camera was held. Metadata is read from the same
opened image by ``media.metadata`` (before decoding: JPEG draft mode shrinks ``img.size``).
Every failure a file can cause is an ``ImageError`` with a message fit for the user.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import TypeVar

import pillow_heif
from PIL import ExifTags, Image, UnidentifiedImageError

from photoorg.errors import ImageError

pillow_heif.register_heif_opener()

# .hif is Fujifilm's name for HEIF.
SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(
    {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".tif", ".tiff", ".bmp", ".gif"}
    | {".heic", ".heif", ".hif"}
)

MAX_PIXELS: int = 200_000_000
"""Images declaring more pixels than this are refused before any pixel is decoded."""
_LIMIT = f"limit {MAX_PIXELS // 1_000_000} megapixels"

# Pillow's own guard warns between MAX_IMAGE_PIXELS and twice that and raises above. With
# its limit equal to ours, nothing we accept ever warns, and Pillow still guards the sizes
# it only learns while decoding (GIF frames growing the canvas, TIFF tiles). Headers past
# our limit are refused right after Image.open. We do not wrap Image.open in
# warnings.catch_warnings: it swaps the process-wide filter list and is not thread-safe,
# and decoding runs in a thread pool.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

# The only decoders that may look at untrusted bytes (names as Pillow registers them).
_PIL_FORMATS = ("JPEG", "PNG", "WEBP", "TIFF", "BMP", "GIF", "HEIF")

# EXIF orientation -> the transpose that makes the picture upright (as ImageOps.exif_transpose).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

_T = TypeVar("_T")

# --------------------------------------------------------------------------- opening


def open_image(data: bytes, name: str = "") -> Image.Image:
    """Identify ``data`` as a supported image and read its header (no pixels yet).

    Raises ImageError for empty data, unknown or unsupported formats, damaged headers and
    declared sizes above MAX_PIXELS. ``name`` is only used in messages.
    """
    if not data:
        raise _error(name, "empty file")
    try:
        img = Image.open(io.BytesIO(data), formats=list(_PIL_FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Past twice MAX_PIXELS Pillow refuses before we see the size (or a caller has
        # turned the warning into an error); its message carries the pixel count.
        found = re.search(r"(\d+) pixels", str(exc))
        size = f"{int(found[1]) // 1_000_000} megapixels" if found else "too many pixels"
        raise _error(name, f"image too large: {size} ({_LIMIT})") from exc
    except UnidentifiedImageError as exc:
        raise _error(name, _unidentified_reason(data)) from exc
    except Exception as exc:  # plugins raise OSError, ValueError, EOFError... on bad headers
        kind = _sniff(data) or "image"
        raise _error(name, f"damaged {kind} header: {exc}") from exc
    width, height = img.size
    if width <= 0 or height <= 0:
        img.close()
        raise _error(name, f"invalid image size {width}x{height}")
    if width * height > MAX_PIXELS:
        img.close()
        raise _error(name, f"image too large: {width}x{height} pixels ({_LIMIT})")
    return img


def _error(name: str, reason: str) -> ImageError:
    return ImageError(f"{name}: {reason}" if name else reason)


def _sniff(data: bytes) -> str | None:
    """The supported format the first bytes claim, whatever Pillow made of the rest."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if data.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return "TIFF"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp" and data[8:12] in {b"heic", b"heix", b"heim", b"heis", b"mif1"}:
        return "HEIF"
    if data.startswith(b"BM") and len(data) >= 26:
        return "BMP"
    return None


def _unidentified_reason(data: bytes) -> str:
    kind = _sniff(data)
    if kind is not None:
        return f"damaged {kind} header"
    if data[4:8] == b"ftyp":  # an ISO media file: AVIF, a video, ...
        brand = data[8:12].decode("ascii", "replace").strip()
        return f"unsupported format (ISO media brand {brand!r})"
    return "not a supported image (unknown format or random bytes?)"


def quietly(read: Callable[[], _T]) -> _T | None:
    """Run one metadata reader; a damaged block yields None instead of an exception."""
    try:
        return read()
    except Exception:
        return None


def exif_of(img: Image.Image) -> Image.Exif:
    # The generic getexif, not PngImageFile's override: that one decodes all the pixels to
    # look for an eXIf chunk after the image data.
    return Image.Image.getexif(img)


def orientation_of(img: Image.Image, exif: Image.Exif | None = None) -> int:
    """The EXIF orientation stored in the file, 1 when absent or invalid."""
    if img.format == "HEIF":
        # pillow-heif resets EXIF orientation to 1 and keeps what the file said here.
        value = img.info.get("original_orientation")
    else:
        if exif is None:
            exif = quietly(lambda: exif_of(img))
        value = exif.get(ExifTags.Base.Orientation) if exif is not None else None
    if isinstance(value, (tuple, list)) and value:
        value = value[0]
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


# --------------------------------------------------------------------------- pixels


def decode_upright(img: Image.Image, min_side: int) -> Image.Image:
    """Decode ``img`` to an upright RGB picture, no bigger than ``min_side`` needs.

    JPEG decodes at 1/2, 1/4 or 1/8 scale (libjpeg draft mode) and HEIF from an embedded
    thumbnail when one is big enough; other formats decode fully and are then box-reduced
    by a whole factor. Either way both sides stay >= ``min_side`` when the original's are
    (``min_side <= 0``: full size). Multi-frame files give their first frame; transparency
    is composited onto white. Raises ImageError on truncated or corrupt data.
    """
    # Read before decoding; pillow-heif has already applied the HEIF transforms.
    orientation = 1 if img.format == "HEIF" else orientation_of(img)
    try:
        if img.tell() != 0:  # not n_frames: counting GIF frames reads the whole file
            img.seek(0)
        if min_side > 0:
            img.draft("RGB", (min_side, min_side))  # a no-op for formats without draft
        img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError(f"image too large: {exc}") from exc
    except Exception as exc:  # OSError("image file is truncated"), SyntaxError, ValueError...
        raise ImageError(f"truncated or corrupt image data: {exc}") from exc
    rgb = to_rgb(img)
    factor = min(rgb.size) // min_side if min_side > 0 else 1
    if factor >= 2:  # what draft mode does for JPEG, after the fact: cheaper from here on
        rgb = rgb.reduce(factor)
    transpose = _UPRIGHT.get(orientation)
    if transpose is not None:
        rgb = rgb.transpose(transpose)
    # Hand back a plain image, never the open file object the caller may close.
    return rgb.copy() if rgb is img else rgb


def to_rgb(img: Image.Image) -> Image.Image:
    """``img`` as 8-bit RGB (itself if it already is), transparency composited onto white."""
    try:
        if img.mode == "RGB":
            return img
        if img.mode in ("I", "F") or img.mode.startswith("I;16"):
            img = _to_8bit_gray(img)
        if img.has_transparency_data:
            # RGBA handles every alpha source: LA, PA, RGBa, and tRNS on P/L/RGB.
            rgba = img.convert("RGBA")
            white = Image.new("RGB", rgba.size, (255, 255, 255))
            white.paste(rgba, mask=rgba.getchannel("A"))
            return white
        return img.convert("RGB")
    except Exception as exc:  # a mode Pillow cannot convert (rare: 'LAB' in a TIFF...)
        raise ImageError(f"unsupported colour mode {img.mode}: {exc}") from exc


def _to_8bit_gray(img: Image.Image) -> Image.Image:
    # Pillow's own I;16 -> L conversion clips at 255 instead of scaling: a 16-bit photo
    # would come out almost white.
    _, high = img.getextrema()
    if img.mode == "F":
        scale = 255.0 if high <= 1.0 else 255.0 / high  # float data is usually 0..1
    else:
        img = img.convert("I")
        scale = 1.0 if high <= 255 else 255.0 / 65535 if high <= 65535 else 255.0 / high
    return img.point(lambda value: value * scale).convert("L")
