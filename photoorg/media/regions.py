"""Face regions in XMP (MWG ``mwg-rs:Regions``): read from sidecars and embedded XMP,
merged into sidecars.

This is the form digiKam, Lightroom, darktable and exiftool share for "who is where":
a ``RegionList`` Bag of structs, each with ``Name``, ``Type`` (``Face``) and an ``Area``
(``stArea:x/y`` the *centre* of the box, ``stArea:w/h`` its size, all ``normalized`` to
0..1), next to ``AppliedToDimensions`` (the image's pixel size when it was written).

Orientation: per the MWG guidelines (2.0, 5.9) regions apply to the *stored* image, so a
photo with EXIF orientation 6 has regions in the sideways frame. PhotoOrg keeps boxes in
upright pixels (model/face.py); both directions are converted here. (pillow-heif hands
HEIF photos over already turned, so their orientation is passed as 1.)

Writing follows sidecars.py's rules: the existing sidecar is parsed (defusedxml), regions of
other types (pets, focus points) and face regions that overlap none of ours are kept,
every other property stays, and the file is replaced atomically.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from photoorg import __version__
from photoorg.media.embedded import parse_xmp, xmp_packet
from photoorg.media.sidecars import (
    DESCRIPTION,
    NS,
    RDF,
    XmpError,
    _declared_prefixes,
    _parse,
    _read_bytes,
    save_if_changed,
)
from photoorg.model.face import FaceBox, NamedRegion

MWG = NS["mwg-rs"]
ST_AREA = "http://ns.adobe.com/xmp/sType/Area#"
ST_DIM = "http://ns.adobe.com/xap/1.0/sType/Dimensions#"
ET.register_namespace("stArea", ST_AREA)
ET.register_namespace("stDim", ST_DIM)

REGIONS = f"{{{MWG}}}Regions"
KEEP_IOU = 0.3  # an existing face region overlapping one of ours this much is replaced


def _mwg(name: str) -> str:
    return f"{{{MWG}}}{name}"


# -- orientation ----------------------------------------------------------------------
# Where a point of the stored image lands in the upright one, in 0..1 coordinates, per
# EXIF orientation (the transposes of media/decode.py's _UPRIGHT).
_TO_UPRIGHT = {
    1: lambda u, v: (u, v),
    2: lambda u, v: (1 - u, v),
    3: lambda u, v: (1 - u, 1 - v),
    4: lambda u, v: (u, 1 - v),
    5: lambda u, v: (v, u),
    6: lambda u, v: (1 - v, u),
    7: lambda u, v: (1 - v, 1 - u),
    8: lambda u, v: (v, 1 - u),
}
_INVERSE = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 8, 7: 7, 8: 6}


def area_to_box(
    area: tuple[float, float, float, float], orientation: int, upright_size: tuple[int, int]
) -> FaceBox:
    """A normalized centre-based area of the stored image -> a box in upright pixels."""
    cx, cy, w, h = area
    orientation = orientation if orientation in _TO_UPRIGHT else 1
    ux, uy = _TO_UPRIGHT[orientation](cx, cy)
    if orientation >= 5:
        w, h = h, w
    width, height = upright_size
    left, top = (ux - w / 2) * width, (uy - h / 2) * height
    return FaceBox(round(left), round(top), round(w * width), round(h * height))


def box_to_area(
    box: FaceBox, orientation: int, upright_size: tuple[int, int]
) -> tuple[float, float, float, float]:
    """A box in upright pixels -> the normalized centre-based area of the stored image."""
    width, height = upright_size
    cx, cy = (box.x + box.w / 2) / width, (box.y + box.h / 2) / height
    w, h = box.w / width, box.h / height
    orientation = orientation if orientation in _TO_UPRIGHT else 1
    sx, sy = _TO_UPRIGHT[_INVERSE[orientation]](cx, cy)
    if orientation >= 5:
        w, h = h, w
    return sx, sy, w, h


# -- reading ---------------------------------------------------------------------------


def regions_in(
    root: ET.Element, orientation: int, upright_size: tuple[int, int]
) -> list[NamedRegion]:
    """The face regions of a parsed XMP packet, boxes in upright pixels."""
    found: list[NamedRegion] = []
    for regions in root.iter(REGIONS):
        region_list = _child(_struct(regions), _mwg("RegionList"))
        if region_list is None:
            continue
        for item in _list_items(region_list):
            struct = _struct(item)
            kind = _value(struct, _mwg("Type"))
            if kind is not None and kind != "Face":
                continue
            area = _child(struct, _mwg("Area"))
            numbers = _area(_struct(area)) if area is not None else None
            if numbers is None:
                continue
            name = _value(struct, _mwg("Name"))
            box = area_to_box(numbers, orientation, upright_size)
            found.append(NamedRegion(name.strip() if name and name.strip() else None, box))
    return found


def read_sidecar_regions(
    path: Path, orientation: int, upright_size: tuple[int, int]
) -> list[NamedRegion]:
    """Face regions in a sidecar; XmpError when it cannot be read or parsed."""
    return regions_in(_parse(_read_bytes(path), path), orientation, upright_size)


def read_embedded_regions(
    img: Image.Image, orientation: int, upright_size: tuple[int, int]
) -> list[NamedRegion]:
    """Face regions in the photo's own XMP packet (none when it has none or it is broken)."""
    root = parse_xmp(xmp_packet(img))
    return regions_in(root, orientation, upright_size) if root is not None else []


def _struct(element: ET.Element) -> ET.Element:
    """A struct's fields live on the element (parseType Resource or attributes) or on a
    nested rdf:Description: return whichever holds them."""
    nested = element.find(DESCRIPTION)
    return nested if nested is not None else element


def _child(struct: ET.Element, tag: str) -> ET.Element | None:
    return struct.find(tag)


def _value(struct: ET.Element, tag: str) -> str | None:
    if tag in struct.attrib:
        return struct.attrib[tag]
    child = struct.find(tag)
    if child is None:
        return None
    alt = child.find(f"{RDF}Alt")  # a name written as a language alternative
    if alt is not None:
        first = alt.find(f"{RDF}li")
        return first.text if first is not None else None
    return child.text


def _area(struct: ET.Element) -> tuple[float, float, float, float] | None:
    unit = _value(struct, f"{{{ST_AREA}}}unit")
    if unit is not None and unit != "normalized":
        return None  # pixel areas are allowed by the schema but written by no tool we know
    try:
        x, y, w, h = (float(_value(struct, f"{{{ST_AREA}}}{k}") or "nan") for k in "xywh")
    except ValueError:
        return None
    if not all(0.0 <= v <= 1.0 for v in (x, y)) or not (0.0 < w <= 1.0 and 0.0 < h <= 1.0):
        return None  # NaN, missing or nonsense: skip the region, not the file
    return x, y, w, h


# -- writing ---------------------------------------------------------------------------


def merge_sidecar_regions(
    path: Path,
    regions: Sequence[NamedRegion],
    orientation: int,
    upright_size: tuple[int, int],
) -> bool:
    """Write named face regions into the sidecar at ``path`` (created if missing).

    Returns False when nothing changed. Raises XmpError for a sidecar that cannot be
    read, parsed or written; the file is then left as it was.
    """
    regions = [r for r in regions if r.name]
    existing: bytes | None = None
    if path.exists():
        existing = _read_bytes(path)
        root = _parse(existing, path)
        prefixes = _declared_prefixes(existing)
        kept = [
            item
            for item in _existing_items(root)
            if not _replaced(item, regions, orientation, upright_size)
        ]
    else:
        if not regions:
            return False
        root = ET.Element(
            f"{{{NS['x']}}}xmpmeta", {f"{{{NS['x']}}}xmptk": f"PhotoOrg {__version__}"}
        )
        ET.SubElement(root, RDF + "RDF")
        prefixes, kept = {}, []
    for description in root.iter(DESCRIPTION):
        for old in description.findall(REGIONS):
            description.remove(old)
    if kept or regions:
        _write_regions(root, kept, regions, orientation, upright_size)
    return save_if_changed(path, root, prefixes, existing)


def _existing_items(root: ET.Element) -> list[ET.Element]:
    items: list[ET.Element] = []
    for regions in root.iter(REGIONS):
        region_list = _child(_struct(regions), _mwg("RegionList"))
        if region_list is not None:
            items += _list_items(region_list)
    return items


def _list_items(region_list: ET.Element) -> list[ET.Element]:
    for kind in ("Bag", "Seq"):
        container = region_list.find(RDF + kind)
        if container is not None:
            return container.findall(RDF + "li")
    return []


def _replaced(
    item: ET.Element, ours: Sequence[NamedRegion], orientation: int, size: tuple[int, int]
) -> bool:
    struct = _struct(item)
    if (_value(struct, _mwg("Type")) or "Face") != "Face":
        return False
    area = _child(struct, _mwg("Area"))
    numbers = _area(_struct(area)) if area is not None else None
    if numbers is None:
        return False
    box = area_to_box(numbers, orientation, size)
    return any(box.iou(r.box) >= KEEP_IOU for r in ours)


def _write_regions(
    root: ET.Element,
    kept: list[ET.Element],
    regions: Sequence[NamedRegion],
    orientation: int,
    upright_size: tuple[int, int],
) -> None:
    rdf = root if root.tag == RDF + "RDF" else root.find(RDF + "RDF")
    if rdf is None:
        rdf = ET.SubElement(root, RDF + "RDF")
    description = rdf.find(DESCRIPTION)
    if description is None:
        description = ET.SubElement(rdf, DESCRIPTION, {RDF + "about": ""})
    container = ET.SubElement(description, REGIONS, {RDF + "parseType": "Resource"})
    stored = upright_size[::-1] if orientation >= 5 else upright_size
    ET.SubElement(
        container,
        _mwg("AppliedToDimensions"),
        {f"{{{ST_DIM}}}w": str(stored[0]), f"{{{ST_DIM}}}h": str(stored[1]),
         f"{{{ST_DIM}}}unit": "pixel"},
    )  # fmt: skip
    bag = ET.SubElement(ET.SubElement(container, _mwg("RegionList")), RDF + "Bag")
    bag.extend(kept)
    for region in regions:
        x, y, w, h = box_to_area(region.box, orientation, upright_size)
        item = ET.SubElement(bag, RDF + "li")
        fields = ET.SubElement(
            item, DESCRIPTION, {_mwg("Name"): region.name or "", _mwg("Type"): "Face"}
        )
        ET.SubElement(
            fields,
            _mwg("Area"),
            {f"{{{ST_AREA}}}{k}": f"{v:.6f}" for k, v in zip("xywh", (x, y, w, h), strict=True)}
            | {f"{{{ST_AREA}}}unit": "normalized"},
        )


__all__ = [
    "XmpError",
    "area_to_box",
    "box_to_area",
    "merge_sidecar_regions",
    "read_embedded_regions",
    "read_sidecar_regions",
    "regions_in",
]
