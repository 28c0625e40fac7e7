"""XMP sidecars: naming, reading, merging into existing files, atomic writes, exiftool."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from photoorg.media import sidecars as xmp
from photoorg.services.tagging import keywords

EXIFTOOL = shutil.which("exiftool")

DARKTABLE_SIDECAR = """<?xml version="1.0" encoding="UTF-8"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:darktable="http://darktable.sf.net/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:acme="http://example.com/acme/1.0/"
   xmp:Rating="4"
   darktable:xmp_version="5"
   acme:Mood="sunny">
   <darktable:history>
    <rdf:Seq>
     <rdf:li darktable:operation="exposure" darktable:enabled="1"/>
    </rdf:Seq>
   </darktable:history>
   <dc:subject>
    <rdf:Bag>
     <rdf:li>holiday</rdf:li>
    </rdf:Bag>
   </dc:subject>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
"""


def test_sidecar_names_prefer_the_full_file_name():
    assert xmp.sidecar_names("IMG_1.JPG") == ("IMG_1.JPG.xmp", "IMG_1.xmp")


def test_find_sidecar_reads_both_conventions_ignoring_case(tmp_path):
    photo = tmp_path / "IMG_1.JPG"
    photo.write_bytes(b"")
    assert xmp.find_sidecar(photo) is None
    (tmp_path / "img_1.xmp").write_text("x")
    assert xmp.find_sidecar(photo) == tmp_path / "img_1.xmp"
    (tmp_path / "IMG_1.JPG.xmp").write_text("x")
    assert xmp.find_sidecar(photo) == tmp_path / "IMG_1.JPG.xmp"


def test_target_sidecar_reuses_an_unambiguous_short_sidecar(tmp_path):
    photo = tmp_path / "a.jpg"
    (tmp_path / "a.xmp").write_text("x")
    listing = xmp.folder_listing(tmp_path)
    assert xmp.target_sidecar(photo, listing, {"a": 1}) == tmp_path / "a.xmp"
    # a.jpg and a.heic would share a.xmp: write a.jpg.xmp instead
    assert xmp.target_sidecar(photo, listing, {"a": 2}) == tmp_path / "a.jpg.xmp"


def test_new_sidecar_round_trips_keywords(tmp_path):
    path = tmp_path / "p.jpg.xmp"
    assert xmp.merge_sidecar(path, ["dog", "beach"], ["animals|dog", "beach"], ["beach"])
    read = xmp.read_sidecar(path)
    assert read.subjects == ("dog", "beach")
    assert read.hierarchical == ("animals|dog", "beach")
    assert read.auto == ("beach",)
    assert path.read_text(encoding="utf-8").startswith("<?xpacket begin=")
    # Writing the same again changes nothing and does not touch the file.
    mtime = path.stat().st_mtime_ns
    assert not xmp.merge_sidecar(path, ["dog", "beach"], ["animals|dog", "beach"], ["beach"])
    assert path.stat().st_mtime_ns == mtime


def test_nothing_to_say_creates_no_file(tmp_path):
    assert not xmp.merge_sidecar(tmp_path / "p.jpg.xmp", [], [], [])
    assert not (tmp_path / "p.jpg.xmp").exists()


def test_merge_keeps_everything_else_in_an_existing_sidecar(tmp_path):
    path = tmp_path / "p.jpg.xmp"
    path.write_text(DARKTABLE_SIDECAR, encoding="utf-8")
    assert xmp.merge_sidecar(path, ["dog"], ["animals|dog"], [])
    text = path.read_text(encoding="utf-8")
    read = xmp.read_sidecar(path)
    assert read.subjects == ("holiday", "dog")
    assert read.hierarchical == ("animals|dog",)
    # Other properties, their namespaces and prefixes survive.
    for kept in (
        'xmp:Rating="4"',
        'darktable:xmp_version="5"',
        'acme:Mood="sunny"',
        "darktable:operation",
    ):
        assert kept in text
    assert 'xmlns:acme="http://example.com/acme/1.0/"' in text


def test_automatic_keywords_are_taken_back_but_people_s_stay(tmp_path):
    path = tmp_path / "p.jpg.xmp"
    path.write_text(DARKTABLE_SIDECAR, encoding="utf-8")
    xmp.merge_sidecar(path, ["dog", "beach"], ["animals|dog", "beach"], ["animals|dog", "beach"])
    # Later the photo no longer carries the automatic "beach"; "dog" became confirmed.
    xmp.merge_sidecar(path, ["dog"], ["animals|dog"], [])
    read = xmp.read_sidecar(path)
    assert read.subjects == ("holiday", "dog")
    assert read.hierarchical == ("animals|dog",)
    assert read.auto == ()


def test_damaged_sidecar_is_reported_and_left_alone(tmp_path):
    path = tmp_path / "p.jpg.xmp"
    path.write_bytes(b"<x:xmpmeta><rdf:RDF>broken")
    before = path.read_bytes()
    with pytest.raises(xmp.XmpError, match="damaged XMP"):
        xmp.merge_sidecar(path, ["dog"], ["dog"], [])
    assert path.read_bytes() == before


def test_entities_are_refused(tmp_path):
    path = tmp_path / "p.jpg.xmp"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">&a;</x:xmpmeta>'
    )
    with pytest.raises(xmp.XmpError):
        xmp.read_sidecar(path)


def test_write_is_atomic_and_keeps_permissions(tmp_path, monkeypatch):
    path = tmp_path / "p.jpg.xmp"
    xmp.merge_sidecar(path, ["a"], ["a"], [])
    path.chmod(0o640)
    before = path.read_bytes()

    def crash(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xmp.os, "replace", crash)
    with pytest.raises(xmp.XmpError, match="No space left"):
        xmp.merge_sidecar(path, ["b"], ["b"], [])
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["p.jpg.xmp"]  # no temp file left
    monkeypatch.undo()
    xmp.merge_sidecar(path, ["b"], ["b"], [])
    assert path.stat().st_mode & 0o777 == 0o640


@pytest.mark.skipif(EXIFTOOL is None, reason="exiftool is not installed")
def test_exiftool_reads_the_keywords(tmp_path):
    path = tmp_path / "p.jpg.xmp"
    path.write_text(DARKTABLE_SIDECAR, encoding="utf-8")
    xmp.merge_sidecar(path, ["dog", "Zürich"], ["animals|dog", "places|Zürich"], ["animals|dog"])
    out = subprocess.run(
        [
            EXIFTOOL,
            "-j",
            "-struct",
            "-XMP-dc:Subject",
            "-XMP-lr:HierarchicalSubject",
            "-XMP:Rating",
            str(path),
        ],
        check=True,
        capture_output=True,
    )
    data = json.loads(out.stdout)[0]
    assert data["Subject"] == ["holiday", "dog", "Zürich"]
    assert data["HierarchicalSubject"] == ["animals|dog", "places|Zürich"]
    assert data["Rating"] == 4


def test_read_keywords_like_embedded_xmp(tmp_path):
    path = Path(tmp_path / "a.xmp")
    xmp.merge_sidecar(path, ["dog"], ["animals|dog"], [])
    assert xmp.read_sidecar(path).keywords == ("dog", "animals|dog")


# -- the whole round trip on the real-camera corpus ------------------------------------------


def _sidecar_keywords_by_exiftool(paths):
    out = subprocess.run(
        [EXIFTOOL, "-j", "-XMP-dc:Subject", "-XMP-lr:HierarchicalSubject", *map(str, paths)],
        check=True,
        capture_output=True,
    )

    def as_list(value):
        return value if isinstance(value, list) else [] if value is None else [value]

    return {
        Path(d["SourceFile"]): (
            sorted(map(str, as_list(d.get("Subject")))),
            sorted(map(str, as_list(d.get("HierarchicalSubject")))),
        )
        for d in json.loads(out.stdout)
    }


def test_corpus_sidecars_are_read_back_by_the_scanner_and_exiftool(tmp_path):
    from photoorg.model.label import Label
    from photoorg.services.library import Library
    from photoorg.store import labels as label_store
    from photoorg.store import tags as tag_store
    from tests.support.corpus import copy_corpus, sha256_tree

    corpus = copy_corpus(tmp_path / "photos")
    originals = sha256_tree(corpus)
    with Library(tmp_path / "catalog") as library:
        library.index([corpus], encode=False)
        tagging = library.tagging
        tagging.add_label(Label(name="holiday"))
        tagging.add_label(Label(name="Zürich", parent="places"))
        photos = sorted(library.browse(), key=lambda h: h.path)
        assert len(photos) > 40
        ids = [p.id for p in photos]
        tagging.set_decision(ids[::2], "holiday", "manual", retag=False)
        tagging.set_decision(ids[::3], "Zürich", "confirmed", retag=False)
        tagging.set_decision(ids[1::4], "dog", "rejected", retag=False)  # never exported
        # An automatic tag: exported, marked as PhotoOrg's own, and not imported back.
        sunset = label_store.find_label(library.catalog.read, "sunset").id
        with library.catalog.write() as db:
            tag_store.write_auto(db, [(ids[0], sunset, 0.3, None)], [], [])
        # One photo already has a sidecar from another program.
        first = Path(photos[0].path)
        (first.parent / (first.name + ".xmp")).write_text(DARKTABLE_SIDECAR, encoding="utf-8")

        errors = []
        written = tagging.export_xmp(errors=errors)
        assert errors == []
        expected = {}
        for photo in photos:
            labels = {t["label"]: t for t in tagging.tags(photo.id) if t["source"] != "rejected"}
            if labels:
                expected[Path(photo.path)] = labels
        assert written == len(expected)
        assert tagging.export_xmp() == 0  # nothing changed: nothing rewritten

        sidecars = {p: p.parent / (p.name + ".xmp") for p in expected}
        if EXIFTOOL:
            seen = _sidecar_keywords_by_exiftool(sidecars.values())
            for photo, labels in expected.items():
                subjects, hierarchy = seen[sidecars[photo]]
                extra = ["holiday"] if photo == first else []  # the darktable file's own keyword
                assert subjects == sorted(set(labels) | set(extra))
                paths = [tagging.label(name).hierarchy for name in labels]
                assert hierarchy == sorted(paths)

        # Re-scanning: the files' keywords are now tags, people's decisions unchanged.
        library.index([corpus], encode=False)
        sources = {t["label"]: t["source"] for t in tagging.tags(ids[0])}
        assert (sources["holiday"], sources["Zürich"], sources["sunset"]) == (
            "manual",
            "confirmed",
            "auto",
        )

    # A fresh catalog of the same folder reads the same keywords back from the sidecars.
    with Library(tmp_path / "fresh") as fresh:
        fresh.index([corpus], encode=False)
        for photo, labels in expected.items():
            photo_id = fresh.photo_id(photo)
            found = {t["label"]: t["source"] for t in fresh.tagging.tags(photo_id)}
            wanted = {name for name, tag in labels.items() if tag["source"] != "auto"}
            assert set(found) == wanted | ({"holiday"} if photo == first else set())
            assert set(found.values()) <= {"imported"}
        assert fresh.tagging.label("Zürich").parent == "places"
        assert not fresh.tagging.label("Zürich").enabled  # a keyword label: never auto-tagged
        assert "sunset" not in {t["label"] for t in fresh.tagging.tags(fresh.photo_id(first))}

    after = {k: v for k, v in sha256_tree(corpus).items() if not k.endswith(".xmp")}
    assert after == originals


def test_a_person_s_keyword_sharing_a_leaf_with_an_automatic_tag_is_kept(tmp_path):
    path = tmp_path / "p.jpg.xmp"
    xmp.merge_sidecar(path, ["beach"], ["nature|beach"], ["nature|beach"])
    # Then the person adds their own keyword with the same leaf, in another tool.
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "<rdf:li>nature|beach</rdf:li>",
        "<rdf:li>nature|beach</rdf:li><rdf:li>Holidays|beach</rdf:li>",
        1,
    )
    path.write_text(text, encoding="utf-8")
    read = xmp.read_sidecar(path)
    assert "Holidays|beach" in read.hierarchical
    # Import: the person's keyword arrives, only PhotoOrg's own automatic one is skipped.
    names = keywords.parse_keywords([*read.subjects, *read.hierarchical], read.auto)
    assert names == {"beach": "Holidays"}
    # Export after the automatic tag no longer applies: the person's keyword stays.
    xmp.merge_sidecar(path, [], [], [])
    read = xmp.read_sidecar(path)
    assert read.hierarchical == ("Holidays|beach",)
    assert read.subjects == ("beach",)
    assert read.auto == ()
