"""Decoding photos safely, reading their metadata, and making upright thumbnails.

Every photo comes in as the bytes the scanner has already read and hashed. ``open_image``
reads only the header, limited to the formats PhotoOrg supports and to ``MAX_PIXELS``;
``read_metadata`` parses EXIF, XMP and IPTC without touching the pixels; ``decode_upright``
decodes (JPEG and HEIF at reduced size when that is all the caller needs) and turns the
picture the way the camera was held; ``make_thumbnail`` encodes the small JPEG we store.

Call ``read_metadata`` before ``decode_upright``: JPEG draft mode shrinks ``img.size``.
Every failure a file can cause is an ``ImageError`` with a message fit for the user.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar
from xml.etree.ElementTree import Element

import pillow_heif
from defusedxml import ElementTree as SafeElementTree
from PIL import ExifTags, Image, IptcImagePlugin, UnidentifiedImageError

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

# XMP packets larger than this are skipped rather than parsed (JPEG caps one at 64 KB;
# only Photoshop histories get near a megabyte).
_MAX_XMP_BYTES = 4 * 1024 * 1024

_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_LR = "{http://ns.adobe.com/lightroom/1.0/}"
_XMP_DATE_TAGS = (
    "{http://ns.adobe.com/exif/1.0/}DateTimeOriginal",
    "{http://ns.adobe.com/photoshop/1.0/}DateCreated",
    "{http://ns.adobe.com/xap/1.0/}CreateDate",
)

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


@dataclass(frozen=True)
class PhotoMetadata:
    """What a photo's header says about it. Absent or nonsensical values are None."""

    format: str  # Pillow's format name: JPEG, PNG, WEBP, TIFF, BMP, GIF, HEIF
    width: int  # upright, i.e. after EXIF orientation
    height: int
    orientation: int  # EXIF orientation 1..8 as stored in the file
    taken_at: str | None  # ISO 8601, with a UTC offset when the file records one
    camera_make: str | None
    camera_model: str | None
    lens: str | None
    iso: int | None
    f_number: float | None
    exposure_time: float | None  # seconds
    focal_length: float | None  # millimetres
    gps_lat: float | None  # decimal degrees, south negative
    gps_lon: float | None  # decimal degrees, west negative
    keywords: tuple[str, ...] = ()


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


# --------------------------------------------------------------------------- metadata


def read_metadata(img: Image.Image) -> PhotoMetadata:
    """Read size, orientation, capture details, GPS and keywords from the header.

    Never raises: a broken EXIF, XMP or IPTC block just leaves its fields None. Decodes no
    pixels. Call it before ``decode_upright`` (draft mode changes ``img.size``).
    """
    is_heif = img.format == "HEIF"
    exif = _quietly(lambda: _exif_of(img)) or Image.Exif()
    exif_ifd: dict[int, Any] = _quietly(lambda: dict(exif.get_ifd(ExifTags.IFD.Exif))) or {}
    gps_ifd: dict[int, Any] = _quietly(lambda: dict(exif.get_ifd(ExifTags.IFD.GPSInfo))) or {}
    xmp = _quietly(lambda: _parse_xmp(_xmp_bytes(img)))

    orientation = _orientation(img, exif)
    width, height = img.size
    # pillow-heif has already applied the HEIF transforms: its size is the upright one.
    if orientation in (5, 6, 7, 8) and not is_heif:
        width, height = height, width

    gps = _quietly(lambda: _gps_position(gps_ifd)) or (None, None)
    keywords: list[str] = []
    if xmp is not None:
        keywords += _quietly(lambda: _xmp_list(xmp, f"{_DC}subject")) or []
        keywords += _quietly(lambda: _xmp_list(xmp, f"{_LR}hierarchicalSubject")) or []
    keywords += _quietly(lambda: _iptc_keywords(img)) or []

    return PhotoMetadata(
        format="JPEG" if img.format == "MPO" else (img.format or ""),
        width=width,
        height=height,
        orientation=orientation,
        taken_at=_quietly(lambda: _taken_at(exif, exif_ifd, xmp)),
        camera_make=_quietly(lambda: _text(exif.get(ExifTags.Base.Make))),
        camera_model=_quietly(lambda: _text(exif.get(ExifTags.Base.Model))),
        lens=_quietly(lambda: _text(exif_ifd.get(ExifTags.Base.LensModel))),
        iso=_quietly(lambda: _iso(exif_ifd.get(ExifTags.Base.ISOSpeedRatings))),
        f_number=_quietly(lambda: _positive(exif_ifd.get(ExifTags.Base.FNumber))),
        exposure_time=_quietly(lambda: _positive(exif_ifd.get(ExifTags.Base.ExposureTime))),
        focal_length=_quietly(lambda: _positive(exif_ifd.get(ExifTags.Base.FocalLength))),
        gps_lat=gps[0],
        gps_lon=gps[1],
        keywords=tuple(dict.fromkeys(k.strip() for k in keywords if k and k.strip())),
    )


def _quietly(read: Callable[[], _T]) -> _T | None:
    """Run one metadata reader; a damaged block yields None instead of an exception."""
    try:
        return read()
    except Exception:
        return None


def _exif_of(img: Image.Image) -> Image.Exif:
    # The generic getexif, not PngImageFile's override: that one decodes all the pixels to
    # look for an eXIf chunk after the image data.
    return Image.Image.getexif(img)


def _orientation(img: Image.Image, exif: Image.Exif | None = None) -> int:
    """The EXIF orientation stored in the file, 1 when absent or invalid."""
    if img.format == "HEIF":
        # pillow-heif resets EXIF orientation to 1 and keeps what the file said here.
        value = img.info.get("original_orientation")
    else:
        if exif is None:
            exif = _quietly(lambda: _exif_of(img))
        value = exif.get(ExifTags.Base.Orientation) if exif is not None else None
    if isinstance(value, (tuple, list)) and value:
        value = value[0]
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _text(value: Any) -> str | None:
    """A clean display string from an EXIF text value (NUL padded, sometimes bytes)."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    value = value.strip().strip("\x00").split("\x00", 1)[0]
    value = re.sub(r"[\x00-\x1f\x7f]", "", value).strip()
    return value or None


def _number(value: Any) -> float | None:
    """A finite float from an EXIF number or rational (0/0 becomes NaN in Pillow)."""
    if isinstance(value, (tuple, list)):
        value = value[0] if value else None
    if value is None or isinstance(value, (str, bytes)):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _positive(value: Any) -> float | None:
    number = _number(value)
    return number if number is not None and number > 0 else None


def _iso(value: Any) -> int | None:
    number = _positive(value)
    return round(number) if number is not None else None


# --- dates

_EXIF_DATE = re.compile(r"\s*(\d{4})[:-](\d{2})[:-](\d{2})[ T]\s*(\d{1,2}):(\d{2}):(\d{2})")
_EXIF_OFFSET = re.compile(r"\s*([+-])(\d{2}):(\d{2})\s*$")

# (date tag, its offset tag, whether the date lives in IFD0 rather than the Exif IFD)
_DATE_TAGS = (
    (ExifTags.Base.DateTimeOriginal, ExifTags.Base.OffsetTimeOriginal, False),
    (ExifTags.Base.DateTimeDigitized, ExifTags.Base.OffsetTimeDigitized, False),
    (ExifTags.Base.DateTime, ExifTags.Base.OffsetTime, True),
)


def _taken_at(exif: Image.Exif, exif_ifd: dict[int, Any], xmp: Element | None) -> str | None:
    for date_tag, offset_tag, in_ifd0 in _DATE_TAGS:
        moment = _exif_datetime((exif if in_ifd0 else exif_ifd).get(date_tag))
        if moment is None:
            continue  # absent or invalid ("0000:00:00 00:00:00"): try the next tag
        offset = _exif_offset(exif_ifd.get(offset_tag))
        if offset is None and xmp is not None:
            # Older cameras record no offset, but the XMP copy of the same local time
            # written by Lightroom and friends often does.
            offset = _xmp_offset_for(xmp, moment)
        if offset is not None:
            moment = moment.replace(tzinfo=offset)
        return moment.isoformat()
    return None


def _exif_datetime(value: Any) -> datetime | None:
    text = _text(value)
    match = _EXIF_DATE.match(text) if text else None
    if match is None:
        return None
    try:
        moment = datetime(*(int(part) for part in match.groups()))
    except ValueError:  # month 13, day 0, year 0...
        return None
    return moment if moment.year >= 1800 else None


def _exif_offset(value: Any) -> timezone | None:
    text = _text(value)
    match = _EXIF_OFFSET.match(text) if text else None
    if match is None:
        return None
    sign, hours, minutes = match[1], int(match[2]), int(match[3])
    if hours > 14 or minutes >= 60:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if sign == "-" else delta)


def _xmp_offset_for(xmp: Element, local: datetime) -> timezone | None:
    for tag in _XMP_DATE_TAGS:
        for text in _xmp_list(xmp, tag):
            try:
                moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
            except ValueError:
                continue
            same_moment = moment.replace(microsecond=0, tzinfo=None) == local
            if same_moment and isinstance(moment.tzinfo, timezone):
                return moment.tzinfo
    return None


# --- GPS


def _gps_position(gps: dict[int, Any]) -> tuple[float | None, float | None]:
    lat = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), 90)
    lon = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), 180)
    # Half a position is no position; exactly 0/0 is what receivers without a fix write.
    if lat is None or lon is None or (lat == 0 and lon == 0):
        return None, None
    return lat, lon


def _degrees(value: Any, ref: Any, limit: float) -> float | None:
    """Decimal degrees from EXIF (degrees, minutes, seconds) rationals and N/S/E/W."""
    parts = value if isinstance(value, (tuple, list)) else (value,)
    if not 1 <= len(parts) <= 3:
        return None
    numbers = [_number(part) for part in parts]
    if any(n is None or n < 0 for n in numbers):
        return None
    degrees, minutes, seconds = ([*numbers, 0.0, 0.0])[:3]
    if minutes > 60 or seconds > 60:
        return None
    result = degrees + minutes / 60 + seconds / 3600
    if result > limit:
        return None
    direction = (_text(ref) or "").upper()[:1]
    if direction in ("S", "W"):
        return -result
    if direction in ("N", "E", ""):  # a missing reference is read as north / east
        return result
    return None


# --- XMP and IPTC


def _xmp_bytes(img: Image.Image) -> bytes | None:
    # JPEG, TIFF, WebP, PNG (Pillow 11+) and pillow-heif all leave the packet here.
    raw = img.info.get("xmp") or img.info.get("XML:com.adobe.xmp")
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    return raw if isinstance(raw, bytes) else None


def _parse_xmp(raw: bytes | None) -> Element | None:
    if not raw or len(raw) > _MAX_XMP_BYTES:
        return None
    # Some writers pad the packet with NULs or leave bytes around it.
    start, end = raw.find(b"<"), raw.rfind(b">")
    if start < 0 or end < start:
        return None
    try:
        # defusedxml refuses entity expansion and external references (billion laughs).
        return SafeElementTree.fromstring(raw[start : end + 1])
    except Exception:
        return None


def _xmp_list(root: Element, tag: str) -> list[str]:
    """All values of one XMP property: the rdf:li items of a Bag/Seq, or a plain value."""
    values: list[str] = []
    for element in root.iter(tag):
        items = list(element.iter(f"{_RDF}li"))
        for item in items:
            text = item.text if item.text and item.text.strip() else item.findtext(f"{_RDF}value")
            if text and text.strip():
                values.append(text)
        if not items and element.text and element.text.strip():
            values.append(element.text)
    # Simple properties may also be written as attributes of rdf:Description.
    for description in root.iter(f"{_RDF}Description"):
        value = description.get(tag)
        if value and value.strip():
            values.append(value)
    return values


def _iptc_keywords(img: Image.Image) -> list[str]:
    """IPTC-IIM Keywords (2:25) from a JPEG's Photoshop block or a TIFF tag."""
    info = IptcImagePlugin.getiptcinfo(img)
    if not info:
        return []
    raw = info.get((2, 25))
    items: Iterable[bytes] = raw if isinstance(raw, list) else [raw] if raw else []
    utf8 = info.get((1, 90)) == b"\x1b%G"  # CodedCharacterSet: ESC % G means UTF-8
    return [_iptc_text(item, utf8) for item in items if isinstance(item, bytes)]


def _iptc_text(raw: bytes, utf8: bool) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Without the UTF-8 marker IIM text is usually Windows-1252.
        return raw.decode("utf-8" if utf8 else "cp1252", "replace")


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
    orientation = 1 if img.format == "HEIF" else _orientation(img)
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


def make_thumbnail(upright: Image.Image, size: int = 256) -> bytes:
    """JPEG bytes of ``upright`` with its longest side ``size`` (never enlarged)."""
    if size <= 0:
        raise ValueError(f"thumbnail size must be positive, not {size}")
    img = to_rgb(upright)
    width, height = img.size
    if max(width, height) > size:
        scale = size / max(width, height)
        new_size = (max(1, round(width * scale)), max(1, round(height * scale)))
        # reducing_gap: a fast box reduction first, then Lanczos over the last 3x; the
        # Pillow docs call the result indistinguishable from a full Lanczos.
        img = img.resize(new_size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()
