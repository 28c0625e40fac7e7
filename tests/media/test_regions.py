"""MWG face regions: orientation, reading what other tools write, merging, exiftool."""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image, ImageOps

from photoorg.media.regions import (
    area_to_box,
    box_to_area,
    merge_sidecar_regions,
    read_embedded_regions,
    read_sidecar_regions,
)
from photoorg.media.sidecars import XmpError, merge_sidecar, read_sidecar
from photoorg.model.face import FaceBox, NamedRegion

EXIFTOOL = shutil.which("exiftool")

# As digiKam 8 writes a face region into a sidecar (structure and namespaces; values ours).
DIGIKAM_SIDECAR = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
    xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#"
    xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#"
    xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:subject><rdf:Bag><rdf:li>beach</rdf:li></rdf:Bag></dc:subject>
   <mwg-rs:Regions rdf:parseType="Resource">
    <mwg-rs:AppliedToDimensions stDim:w="4000" stDim:h="3000" stDim:unit="pixel"/>
    <mwg-rs:RegionList>
     <rdf:Bag>
      <rdf:li>
       <rdf:Description mwg-rs:Name="Anna Müller" mwg-rs:Type="Face">
        <mwg-rs:Area stArea:x="0.25" stArea:y="0.5" stArea:w="0.1" stArea:h="0.2"
          stArea:unit="normalized"/>
       </rdf:Description>
      </rdf:li>
      <rdf:li>
       <rdf:Description mwg-rs:Name="Rex" mwg-rs:Type="Pet">
        <mwg-rs:Area stArea:x="0.8" stArea:y="0.8" stArea:w="0.1" stArea:h="0.1"
          stArea:unit="normalized"/>
       </rdf:Description>
      </rdf:li>
      <rdf:li rdf:parseType="Resource">
       <mwg-rs:Type>Face</mwg-rs:Type>
       <mwg-rs:Name>Ben</mwg-rs:Name>
       <mwg-rs:Area rdf:parseType="Resource">
        <stArea:x>0.75</stArea:x><stArea:y>0.25</stArea:y>
        <stArea:w>0.05</stArea:w><stArea:h>0.1</stArea:h>
        <stArea:unit>normalized</stArea:unit>
       </mwg-rs:Area>
      </rdf:li>
     </rdf:Bag>
    </mwg-rs:RegionList>
   </mwg-rs:Regions>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>
"""


@pytest.mark.parametrize("orientation", range(1, 9))
def test_areas_and_boxes_convert_both_ways(orientation):
    size = (3000, 4000) if orientation >= 5 else (4000, 3000)
    box = FaceBox(600, 900, 400, 500)
    area = box_to_area(box, orientation, size)
    back = area_to_box(area, orientation, size)
    assert back == box
    assert all(0 < v < 1 for v in area)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_a_region_of_the_stored_image_lands_on_the_same_pixels_upright(orientation):
    # Stored pixels: one white square on black. Its region in the stored frame must,
    # after conversion, cover the white square of the picture turned upright.
    stored = np.zeros((300, 400, 3), dtype=np.uint8)
    stored[60:120, 240:300] = 255  # rows 60-120, columns 240-300
    img = Image.fromarray(stored)
    exif = Image.Exif()
    exif[0x0112] = orientation
    img.info["exif"] = exif.tobytes()
    img.getexif()[0x0112] = orientation
    upright = ImageOps.exif_transpose(img)
    area = ((240 + 30) / 400, (60 + 30) / 300, 60 / 400, 60 / 300)
    box = area_to_box(area, orientation, upright.size)
    pixels = np.asarray(upright)
    inside = pixels[box.y : box.y + box.h, box.x : box.x + box.w]
    assert inside.size and inside.min() == 255
    assert pixels.sum() == inside.sum()  # and nothing white outside it


def test_reads_regions_as_digikam_and_lightroom_write_them(tmp_path):
    sidecar = tmp_path / "photo.jpg.xmp"
    sidecar.write_text(DIGIKAM_SIDECAR, encoding="utf-8")
    regions = read_sidecar_regions(sidecar, 1, (4000, 3000))
    assert regions == [
        NamedRegion("Anna Müller", FaceBox(800, 1200, 400, 600)),
        NamedRegion("Ben", FaceBox(2900, 600, 200, 300)),
    ]  # the Pet region is not a face


def test_reads_regions_of_a_rotated_photo_upright(tmp_path):
    sidecar = tmp_path / "photo.jpg.xmp"
    sidecar.write_text(DIGIKAM_SIDECAR, encoding="utf-8")
    # Orientation 6: stored 4000x3000, shown 3000x4000; stored (0.25, 0.5) -> (0.5, 0.25).
    anna = read_sidecar_regions(sidecar, 6, (3000, 4000))[0]
    assert anna == NamedRegion("Anna Müller", FaceBox(1200, 800, 600, 400))


def test_regions_round_trip_through_a_new_sidecar(tmp_path):
    regions = [
        NamedRegion("Anna", FaceBox(100, 200, 300, 300)),
        NamedRegion("Ben", FaceBox(2000, 500, 250, 260)),
    ]
    for orientation in (1, 6, 8):
        sidecar = tmp_path / f"photo{orientation}.jpg.xmp"
        size = (3000, 4000) if orientation >= 5 else (4000, 3000)
        assert merge_sidecar_regions(sidecar, regions, orientation, size)
        assert read_sidecar_regions(sidecar, orientation, size) == regions
        assert not merge_sidecar_regions(sidecar, regions, orientation, size)  # unchanged


def test_merging_keeps_keywords_pets_and_other_faces(tmp_path):
    sidecar = tmp_path / "photo.jpg.xmp"
    sidecar.write_text(DIGIKAM_SIDECAR, encoding="utf-8")
    # Ours overlaps Anna's region (replaces it, renamed) and adds a new face.
    ours = [
        NamedRegion("Anna M.", FaceBox(810, 1210, 390, 590)),
        NamedRegion("Carl", FaceBox(1800, 1800, 300, 300)),
    ]
    assert merge_sidecar_regions(sidecar, ours, 1, (4000, 3000))
    names = {r.name for r in read_sidecar_regions(sidecar, 1, (4000, 3000))}
    assert names == {"Anna M.", "Ben", "Carl"}
    assert "Rex" in sidecar.read_text(encoding="utf-8")  # the pet region stays
    assert read_sidecar(sidecar).subjects == ("beach",)
    # And keyword merging afterwards keeps the regions.
    merge_sidecar(sidecar, ["beach", "sea"], [], [])
    assert len(read_sidecar_regions(sidecar, 1, (4000, 3000))) == 3


def test_a_damaged_sidecar_is_reported_and_left_alone(tmp_path):
    sidecar = tmp_path / "photo.jpg.xmp"
    sidecar.write_bytes(b"<x:xmpmeta><rdf:RDF>")
    with pytest.raises(XmpError, match="damaged"):
        read_sidecar_regions(sidecar, 1, (100, 100))
    with pytest.raises(XmpError):
        merge_sidecar_regions(sidecar, [NamedRegion("A", FaceBox(1, 1, 5, 5))], 1, (100, 100))
    assert sidecar.read_bytes() == b"<x:xmpmeta><rdf:RDF>"


def test_nonsense_areas_are_skipped_not_fatal(tmp_path):
    sidecar = tmp_path / "photo.jpg.xmp"
    broken = DIGIKAM_SIDECAR.replace('stArea:x="0.25"', 'stArea:x="oops"')
    sidecar.write_text(broken, encoding="utf-8")
    assert [r.name for r in read_sidecar_regions(sidecar, 1, (4000, 3000))] == ["Ben"]


def test_reads_regions_embedded_in_the_photo(tmp_path):
    packet = DIGIKAM_SIDECAR.encode("utf-8")
    path = tmp_path / "photo.jpg"
    Image.new("RGB", (400, 300), "gray").save(path, "JPEG", xmp=packet)
    with Image.open(path) as img:
        regions = read_embedded_regions(img, 1, (400, 300))
    assert [r.name for r in regions] == ["Anna Müller", "Ben"]
    assert regions[0].box == FaceBox(80, 120, 40, 60)


@pytest.mark.skipif(EXIFTOOL is None, reason="exiftool is not installed")
def test_exiftool_reads_our_regions_as_digikam_writes_them(tmp_path):
    ours, theirs = tmp_path / "ours.jpg.xmp", tmp_path / "digikam.jpg.xmp"
    theirs.write_text(DIGIKAM_SIDECAR, encoding="utf-8")
    regions = read_sidecar_regions(theirs, 1, (4000, 3000))
    merge_sidecar_regions(ours, regions, 1, (4000, 3000))
    read = json.loads(
        subprocess.run(
            [EXIFTOOL, "-json", "-struct", "-XMP-mwg-rs:RegionInfo", str(ours), str(theirs)],
            capture_output=True, check=True, text=True,
        ).stdout
    )  # fmt: skip
    mine, digikam = (r["RegionInfo"] for r in read)
    assert mine["AppliedToDimensions"] == {"W": 4000, "H": 3000, "Unit": "pixel"}
    faces = [r for r in digikam["RegionList"] if r["Type"] == "Face"]
    assert len(mine["RegionList"]) == len(faces) == 2
    for a, b in zip(mine["RegionList"], faces, strict=True):
        assert (a["Name"], a["Type"], a["Area"]["Unit"]) == (b["Name"], "Face", "normalized")
        for key in "XYWH":
            assert a["Area"][key] == pytest.approx(b["Area"][key], abs=1e-4)


@pytest.mark.skipif(EXIFTOOL is None, reason="exiftool is not installed")
def test_regions_exiftool_writes_are_read(tmp_path):
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (400, 300), "gray").save(photo, "JPEG")
    info = (
        "{AppliedToDimensions={W=400,H=300,Unit=pixel},RegionList=[{Area={X=0.5,Y=0.5,"
        "W=0.25,H=0.2,Unit=normalized},Name=Zoë,Type=Face}]}"
    )
    subprocess.run(
        [EXIFTOOL, "-q", "-overwrite_original", f"-XMP-mwg-rs:RegionInfo={info}", str(photo)],
        check=True,
    )
    with Image.open(photo) as img:
        assert read_embedded_regions(img, 1, (400, 300)) == [
            NamedRegion("Zoë", FaceBox(150, 120, 100, 60))
        ]
