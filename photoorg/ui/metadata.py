"""Turning a photo's catalog row into the lines of the metadata panel."""

from __future__ import annotations

import os
from fractions import Fraction
from typing import Any

from photoorg.ui.text import human_size


def exposure_text(info: dict[str, Any]) -> str:
    """'f/2.8 · 1/250 s · ISO 200 · 35 mm', leaving out what is unknown."""
    parts = []
    if info.get("f_number"):
        parts.append(f"f/{info['f_number']:g}")
    seconds = info.get("exposure_time")
    if seconds:
        if seconds < 1:
            parts.append(f"1/{round(1 / seconds)} s" if 1 / seconds >= 2 else f"{seconds:g} s")
        else:
            parts.append(f"{Fraction(seconds).limit_denominator(10)} s")
    if info.get("iso"):
        parts.append(f"ISO {info['iso']}")
    if info.get("focal_length"):
        parts.append(f"{info['focal_length']:g} mm")
    return " · ".join(parts)


def date_text(info: dict[str, Any]) -> str:
    taken = str(info.get("taken_at") or "")
    if not taken:
        return ""
    shown = taken[:19].replace("T", " ")
    if info.get("taken_at_source") == "file":
        shown += "  (file date: no date in the photo)"
    return shown


def gps_text(info: dict[str, Any]) -> str:
    lat, lon = info.get("gps_lat"), info.get("gps_lon")
    if lat is None or lon is None:
        return ""
    return f"{abs(lat):.5f}° {'N' if lat >= 0 else 'S'}, {abs(lon):.5f}° {'E' if lon >= 0 else 'W'}"


def place_text(info: dict[str, Any]) -> str:
    """``Arezzo, Tuscany, Italy`` from ``info["place"]`` (empty without GPS)."""
    place = info.get("place") or {}
    parts = [place.get("city"), place.get("region"), place.get("country")]
    return ", ".join(dict.fromkeys(str(p) for p in parts if p))


def describe_metadata(info: dict[str, Any]) -> tuple[str, list[tuple[str, str]]]:
    """``(file name, [(field, value), ...])`` with only the fields that are known."""
    path = str(info.get("path") or "")
    camera = " ".join(p for p in (info.get("camera_make"), info.get("camera_model")) if p)
    size = ""
    if info.get("width") and info.get("height"):
        size = f"{info['width']} × {info['height']}"
    if info.get("size"):
        size = f"{size} · {human_size(info['size'])}" if size else human_size(info["size"])
    keywords = info.get("keywords") or []
    rows = [
        ("Date", date_text(info)),
        ("Camera", camera),
        ("Lens", str(info.get("lens") or "")),
        ("Exposure", exposure_text(info)),
        ("Size", size),
        ("Format", str(info.get("format") or "")),
        ("Place", place_text(info)),
        ("Location", gps_text(info)),
        ("Keywords", ", ".join(str(k) for k in keywords)),
        ("Folder", str(info.get("folder") or os.path.dirname(path))),
    ]
    return os.path.basename(path), [(k, v) for k, v in rows if v]
