"""What a photo's header says: size, orientation, capture date, camera, exposure, GPS
and keywords, read from EXIF, XMP and IPTC without decoding any pixels.

Call ``read_metadata`` before ``decode.decode_upright``: JPEG draft mode shrinks
``img.size``. A damaged block never raises; it leaves its fields None.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from xml.etree.ElementTree import Element

from PIL import ExifTags, Image

from photoorg.media.decode import exif_of, orientation_of, quietly
from photoorg.media.embedded import (
    DC,
    LR,
    XMP_DATE_TAGS,
    iptc_keywords,
    parse_xmp,
    xmp_list,
    xmp_packet,
)


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


def read_metadata(img: Image.Image) -> PhotoMetadata:
    """Read size, orientation, capture details, GPS and keywords from the header.

    Never raises: a broken EXIF, XMP or IPTC block just leaves its fields None. Decodes no
    pixels. Call it before ``decode_upright`` (draft mode changes ``img.size``).
    """
    is_heif = img.format == "HEIF"
    exif = quietly(lambda: exif_of(img)) or Image.Exif()
    exif_ifd: dict[int, Any] = quietly(lambda: dict(exif.get_ifd(ExifTags.IFD.Exif))) or {}
    gps_ifd: dict[int, Any] = quietly(lambda: dict(exif.get_ifd(ExifTags.IFD.GPSInfo))) or {}
    xmp = quietly(lambda: parse_xmp(xmp_packet(img)))

    orientation = orientation_of(img, exif)
    width, height = img.size
    # pillow-heif has already applied the HEIF transforms: its size is the upright one.
    if orientation in (5, 6, 7, 8) and not is_heif:
        width, height = height, width

    gps = quietly(lambda: _gps_position(gps_ifd)) or (None, None)
    keywords: list[str] = []
    if xmp is not None:
        keywords += quietly(lambda: xmp_list(xmp, f"{DC}subject")) or []
        keywords += quietly(lambda: xmp_list(xmp, f"{LR}hierarchicalSubject")) or []
    keywords += quietly(lambda: iptc_keywords(img)) or []

    return PhotoMetadata(
        format="JPEG" if img.format == "MPO" else (img.format or ""),
        width=width,
        height=height,
        orientation=orientation,
        taken_at=quietly(lambda: _taken_at(exif, exif_ifd, xmp)),
        camera_make=quietly(lambda: _text(exif.get(ExifTags.Base.Make))),
        camera_model=quietly(lambda: _text(exif.get(ExifTags.Base.Model))),
        lens=quietly(lambda: _text(exif_ifd.get(ExifTags.Base.LensModel))),
        iso=quietly(lambda: _iso(exif_ifd.get(ExifTags.Base.ISOSpeedRatings))),
        f_number=quietly(lambda: _positive(exif_ifd.get(ExifTags.Base.FNumber))),
        exposure_time=quietly(lambda: _positive(exif_ifd.get(ExifTags.Base.ExposureTime))),
        focal_length=quietly(lambda: _positive(exif_ifd.get(ExifTags.Base.FocalLength))),
        gps_lat=gps[0],
        gps_lon=gps[1],
        keywords=tuple(dict.fromkeys(k.strip() for k in keywords if k and k.strip())),
    )


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
    for tag in XMP_DATE_TAGS:
        for text in xmp_list(xmp, tag):
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
