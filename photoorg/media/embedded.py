"""The XMP packet and IPTC record inside a photo file: parsed safely, read as text lists.

(XMP sidecars next to the photos are ``media.sidecars``.)
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeElementTree
from PIL import Image, IptcImagePlugin

# XMP packets larger than this are skipped rather than parsed (JPEG caps one at 64 KB;
# only Photoshop histories get near a megabyte).
_MAX_XMP_BYTES = 4 * 1024 * 1024

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"
LR = "{http://ns.adobe.com/lightroom/1.0/}"
XMP_DATE_TAGS = (
    "{http://ns.adobe.com/exif/1.0/}DateTimeOriginal",
    "{http://ns.adobe.com/photoshop/1.0/}DateCreated",
    "{http://ns.adobe.com/xap/1.0/}CreateDate",
)


def xmp_packet(img: Image.Image) -> bytes | None:
    # JPEG, TIFF, WebP, PNG (Pillow 11+) and pillow-heif all leave the packet here.
    raw = img.info.get("xmp") or img.info.get("XML:com.adobe.xmp")
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    return raw if isinstance(raw, bytes) else None


def parse_xmp(raw: bytes | None) -> Element | None:
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


def xmp_list(root: Element, tag: str) -> list[str]:
    """All values of one XMP property: the rdf:li items of a Bag/Seq, or a plain value."""
    values: list[str] = []
    for element in root.iter(tag):
        items = list(element.iter(f"{RDF}li"))
        for item in items:
            text = item.text if item.text and item.text.strip() else item.findtext(f"{RDF}value")
            if text and text.strip():
                values.append(text)
        if not items and element.text and element.text.strip():
            values.append(element.text)
    # Simple properties may also be written as attributes of rdf:Description.
    for description in root.iter(f"{RDF}Description"):
        value = description.get(tag)
        if value and value.strip():
            values.append(value)
    return values


def iptc_keywords(img: Image.Image) -> list[str]:
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
