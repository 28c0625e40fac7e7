"""XMP sidecars: reading keywords from them and merging tags into them, atomically.

Naming: PhotoOrg writes ``photo.jpg.xmp`` (the full file name plus ``.xmp``), the
convention of darktable and of digiKam's default, because it cannot be shared by two
photos: ``IMG_1.jpg`` and ``IMG_1.heic`` would both claim ``IMG_1.xmp``. It reads both
forms; when only ``photo.xmp`` exists (Lightroom, digiKam's "commercial programs" option)
and no other photo in the folder has the same stem, it merges into that file instead of
starting a second sidecar that would disagree with it. (Lightroom itself reads sidecars
only for raw files; for JPEG and HEIC it wants keywords inside the file, which PhotoOrg
never writes.)

Keywords: ``dc:subject`` (a Bag of leaf names, as digiKam writes it) and
``lr:hierarchicalSubject`` (a Bag of ``parent|name`` paths), which digiKam, darktable,
Lightroom and exiftool all read. Tags PhotoOrg found by itself are also listed in
``photoorg:autoSubject``, so that (a) a later export can take back an automatic tag that
no longer applies without touching keywords a person wrote, and (b) a rescan does not
import PhotoOrg's own guesses back as the user's keywords.

Merging: the existing sidecar is parsed (defusedxml: no entities, no external
references) and only those three properties change; every other property, namespace and
attribute stays. An unparsable sidecar is left alone and reported. The result is written
to a temporary file in the same folder and renamed over the old one, so a crash never
leaves half a sidecar; the photo itself is never opened for writing.

Why ElementTree and not python-xmp-toolkit: the toolkit wraps the native Exempi library,
which pip cannot install (it is not on this machine, and would have to be bundled for
Windows and macOS builds); ElementTree writes real RDF/XML (not string templates), and
the tests check the result with exiftool.
"""

from __future__ import annotations

import contextlib
import os
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from defusedxml import ElementTree as SafeET

from photoorg import __version__
from photoorg.errors import PhotoOrgError
from photoorg.media import files

MAX_SIDECAR_BYTES = 4 * 1024 * 1024
SUFFIX = ".xmp"

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "lr": "http://ns.adobe.com/lightroom/1.0/",
    "photoorg": "https://photoorg.invalid/xmp/1.0/",  # .invalid: an identifier, never fetched
    # Common in sidecars; registered only so their prefixes survive a rewrite.
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "stEvt": "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#",
    "exif": "http://ns.adobe.com/exif/1.0/",
    "tiff": "http://ns.adobe.com/tiff/1.0/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "crs": "http://ns.adobe.com/camera-raw-settings/1.0/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "darktable": "http://darktable.sf.net/",
    "digiKam": "http://www.digikam.org/ns/1.0/",
    "MicrosoftPhoto": "http://ns.microsoft.com/photo/1.0/",
    "acdsee": "http://ns.acdsee.com/iptc/1.0/",
    "mwg-rs": "http://www.metadataworkinggroup.com/schemas/regions/",
}
RDF = f"{{{NS['rdf']}}}"
SUBJECT = f"{{{NS['dc']}}}subject"
HIERARCHICAL = f"{{{NS['lr']}}}hierarchicalSubject"
AUTO = f"{{{NS['photoorg']}}}autoSubject"
DESCRIPTION = RDF + "Description"

_PACKET_START = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
_PACKET_END = '\n<?xpacket end="w"?>\n'

# ElementTree keeps namespace prefixes in one process-wide table; serialising under a
# lock keeps two exports from registering clashing prefixes mid-write.
_SERIALISE_LOCK = threading.Lock()
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)


class XmpError(PhotoOrgError):
    """A sidecar cannot be read or written; the message names the file and says why."""


@dataclass(frozen=True)
class SidecarKeywords:
    subjects: tuple[str, ...] = ()
    hierarchical: tuple[str, ...] = ()
    auto: tuple[str, ...] = ()  # hierarchical paths PhotoOrg wrote as automatic tags

    @property
    def keywords(self) -> tuple[str, ...]:
        """Every keyword, flat and hierarchical, as the scanner reads embedded XMP."""
        return tuple(dict.fromkeys(self.subjects + self.hierarchical))


# -- naming -------------------------------------------------------------------------


def sidecar_names(photo_name: str) -> tuple[str, str]:
    """``(photo.jpg.xmp, photo.xmp)``: the name PhotoOrg writes, and the other convention."""
    return photo_name + SUFFIX, os.path.splitext(photo_name)[0] + SUFFIX


def find_sidecar(photo: Path, listing: dict[str, str] | None = None) -> Path | None:
    """The sidecar of ``photo`` that exists, preferring ``photo.jpg.xmp``.

    ``listing`` maps lower-cased file names of the photo's folder to real names (one
    ``scandir`` per folder instead of two ``stat`` calls per photo); the match ignores
    case, since cameras write ``IMG_1.JPG`` and tools ``IMG_1.xmp``.
    """
    if listing is None:
        listing = folder_listing(photo.parent)
    for name in sidecar_names(photo.name):
        real = listing.get(name.lower())
        if real is not None:
            return photo.parent / real
    return None


def target_sidecar(photo: Path, listing: dict[str, str], stems: dict[str, int]) -> Path:
    """Where to write ``photo``'s sidecar (see the module notes)."""
    full, short = sidecar_names(photo.name)
    if full.lower() in listing:
        return photo.parent / listing[full.lower()]
    stem = os.path.splitext(photo.name)[0].lower()
    if short.lower() in listing and stems.get(stem, 0) <= 1:
        return photo.parent / listing[short.lower()]
    return photo.parent / full


def folder_listing(folder: Path) -> dict[str, str]:
    try:
        with os.scandir(folder) as entries:
            return {e.name.lower(): e.name for e in entries}
    except OSError:
        return {}


# -- reading ------------------------------------------------------------------------


def read_sidecar(path: Path) -> SidecarKeywords:
    """The keywords in one sidecar; XmpError when it cannot be read or parsed."""
    root = _parse(_read_bytes(path), path)
    return SidecarKeywords(
        subjects=tuple(_items(root, SUBJECT)),
        hierarchical=tuple(_items(root, HIERARCHICAL)),
        auto=tuple(_items(root, AUTO)),
    )


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_SIDECAR_BYTES:
            raise XmpError(
                f"{path}: sidecar larger than {MAX_SIDECAR_BYTES // 1024 // 1024} MB, skipped"
            )
        return path.read_bytes()
    except OSError as exc:
        raise XmpError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def _parse(data: bytes, path: Path) -> ET.Element:
    start, end = data.find(b"<"), data.rfind(b">")
    if start < 0 or end < start:
        raise XmpError(f"{path}: not an XMP file")
    try:
        root = SafeET.fromstring(data[start : end + 1])
    except Exception as exc:  # ParseError, DTD/entity refusals from defusedxml
        raise XmpError(f"{path}: damaged XMP ({exc})") from exc
    if root.tag not in (f"{{{NS['x']}}}xmpmeta", RDF + "RDF", f"{{{NS['x']}}}xapmeta"):
        raise XmpError(f"{path}: not an XMP file (root element {root.tag})")
    return root


def _items(root: ET.Element, tag: str) -> list[str]:
    values: list[str] = []
    for element in root.iter(tag):
        items = list(element.iter(RDF + "li"))
        values += [i.text.strip() for i in items if i.text and i.text.strip()]
        if not items and element.text and element.text.strip():
            values.append(element.text.strip())
    for description in root.iter(DESCRIPTION):  # attribute form of a simple value
        value = description.get(tag)
        if value and value.strip():
            values.append(value.strip())
    return list(dict.fromkeys(values))


# -- merging and writing -----------------------------------------------------------------


def merge_sidecar(
    path: Path, subjects: Iterable[str], hierarchical: Iterable[str], auto: Iterable[str]
) -> bool:
    """Merge keywords into the sidecar at ``path`` (created if missing).

    ``subjects``/``hierarchical``: every tag the photo carries now; ``auto``: the
    hierarchical paths of those PhotoOrg found itself. Keywords that PhotoOrg wrote as
    automatic before and that no longer apply are taken out; everything else in the
    file stays. Returns False when the file already said exactly this (not rewritten).
    """
    subjects, hierarchical, auto = list(subjects), list(hierarchical), sorted(set(auto))
    existing: bytes | None = None
    if path.exists():
        existing = _read_bytes(path)
        root = _parse(existing, path)
        prefixes = _declared_prefixes(existing)
    else:
        if not subjects and not hierarchical:
            return False  # nothing to say: do not create an empty sidecar
        root = ET.Element(
            f"{{{NS['x']}}}xmpmeta", {f"{{{NS['x']}}}xmptk": f"PhotoOrg {__version__}"}
        )
        ET.SubElement(root, RDF + "RDF")
        prefixes = {}
    before_auto = set(_items(root, AUTO))
    stale = before_auto - set(hierarchical)
    # A flat subject goes with its stale automatic path unless something else in the
    # file still names that leaf: a tag the photo carries, or a person's own
    # hierarchical keyword ("Holidays|beach" keeps "beach" when "nature|beach" goes).
    staying = set(_items(root, HIERARCHICAL)) - stale
    keep_leaves = {s.casefold() for s in subjects} | {
        p.rsplit("|", 1)[-1].casefold() for p in staying
    }
    stale_leaves = {p.rsplit("|", 1)[-1].casefold() for p in stale} - keep_leaves

    _set_bag(root, SUBJECT, subjects, drop={s.casefold() for s in stale_leaves})
    _set_bag(root, HIERARCHICAL, hierarchical, drop={p.casefold() for p in stale})
    _replace_bag(root, AUTO, auto)

    return save_if_changed(path, root, prefixes, existing)


def save_if_changed(
    path: Path, root: ET.Element, prefixes: dict[str, str], existing: bytes | None
) -> bool:
    """Write ``root`` to ``path`` atomically unless the file already says exactly that
    (``existing``: its bytes, or None when there is no file). Returns whether it wrote."""
    text = _serialise(root, prefixes)
    if existing is not None and text.encode("utf-8") == existing:
        return False
    try:
        files.write_atomically(path, text.encode("utf-8"))
    except OSError as exc:
        raise XmpError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    return True


def _description(root: ET.Element, prefer: str) -> ET.Element:
    """The rdf:Description holding ``prefer`` already, else the first one, else a new one."""
    rdf = root if root.tag == RDF + "RDF" else root.find(RDF + "RDF")
    if rdf is None:
        rdf = ET.SubElement(root, RDF + "RDF")
    descriptions = rdf.findall(DESCRIPTION)
    for description in descriptions:
        if description.find(prefer) is not None or description.get(prefer) is not None:
            return description
    if descriptions:
        return descriptions[0]
    return ET.SubElement(rdf, DESCRIPTION, {RDF + "about": ""})


def _bag(root: ET.Element, tag: str, create: bool) -> ET.Element | None:
    description = _description(root, tag)
    element = description.find(tag)
    loose = description.attrib.pop(tag, None)  # a bag written as an attribute: make it proper
    if element is None:
        if not create and loose is None:
            return None
        element = ET.SubElement(description, tag)
    bag = element.find(RDF + "Bag")
    if bag is None:
        bag = element.find(RDF + "Seq")
    if bag is None:
        old_text = (element.text or "").strip()
        element.text = None
        bag = ET.SubElement(element, RDF + "Bag")
        for value in filter(None, [old_text, (loose or "").strip()]):
            ET.SubElement(bag, RDF + "li").text = value
    return bag


def _set_bag(root: ET.Element, tag: str, values: list[str], drop: set[str]) -> None:
    bag = _bag(root, tag, create=bool(values))
    if bag is None:
        return
    for item in list(bag.findall(RDF + "li")):
        if (item.text or "").strip().casefold() in drop:
            bag.remove(item)
    present = {(item.text or "").strip().casefold() for item in bag.findall(RDF + "li")}
    for value in values:
        if value.casefold() not in present:
            ET.SubElement(bag, RDF + "li").text = value
            present.add(value.casefold())
    if not present:  # every keyword taken back: drop the empty property
        for description in root.iter(DESCRIPTION):
            for element in description.findall(tag):
                if not list(element.iter(RDF + "li")):
                    description.remove(element)


def _replace_bag(root: ET.Element, tag: str, values: list[str]) -> None:
    for description in root.iter(DESCRIPTION):
        for element in description.findall(tag):
            description.remove(element)
    if values:
        bag = _bag(root, tag, create=True)
        assert bag is not None
        for value in values:
            ET.SubElement(bag, RDF + "li").text = value


def _declared_prefixes(data: bytes) -> dict[str, str]:
    """prefix -> URI as the existing file declares them, so a rewrite keeps its prefixes."""
    prefixes: dict[str, str] = {}
    start = data.find(b"<")
    with contextlib.suppress(Exception):
        for _, (prefix, uri) in SafeET.iterparse(BytesIO(data[start:]), events=("start-ns",)):
            prefixes.setdefault(prefix, uri)
    return prefixes


def _serialise(root: ET.Element, prefixes: dict[str, str]) -> str:
    with _SERIALISE_LOCK:
        known = set(NS.values())
        for prefix, uri in prefixes.items():
            if uri in known or not prefix or prefix in NS:
                continue
            with contextlib.suppress(ValueError):  # ElementTree refuses ns0-style prefixes
                ET.register_namespace(prefix, uri)
        ET.indent(root, space=" ")
        body = ET.tostring(root, encoding="unicode")
    return _PACKET_START + body + _PACKET_END
