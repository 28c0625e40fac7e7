"""The faces stage: progress, cancel and resume, bad files, names from XMP regions."""

from __future__ import annotations

import shutil

import pytest

from photoorg.errors import Cancelled
from photoorg.media.regions import merge_sidecar_regions
from photoorg.ml.faces import ENGINE_ID
from photoorg.model.face import FaceBox, NamedRegion
from photoorg.services import face_stage, people
from photoorg.store import faces as store
from photoorg.store.catalog import Catalog
from photoorg.store.photos import add_root, insert_photo
from tests.support.faces import GROUP_PHOTO, group_photo, make_faceless_photos
from tests.support.records import photo_record


class CancelAfter:
    """A cancel token that fires at its n-th check."""

    def __init__(self, checks: int) -> None:
        self.left = checks

    def check(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise Cancelled("cancelled")


@pytest.fixture
def catalog(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    shutil.copyfile(group_photo(), folder / GROUP_PHOTO)
    make_faceless_photos(folder, count=2)
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff not really a jpeg")
    # digiKam named two of the six in a sidecar: Ross (over his face) and a region
    # the detector has no face for.
    merge_sidecar_regions(
        folder / f"{GROUP_PHOTO}.xmp",
        [
            NamedRegion("Ross", FaceBox(445, 290, 135, 140)),
            NamedRegion("Lamp", FaceBox(600, 100, 80, 80)),
        ],
        1,
        (1280, 886),
    )
    with Catalog(tmp_path / "catalog.db") as catalog:
        with catalog.write() as db:
            root = add_root(db, str(folder)).id
            for photo in sorted(folder.glob("*.jpg")):
                insert_photo(db, root, photo_record(photo, photo.name, 1, 1))
        yield catalog


def test_the_stage_reports_progress_and_resumes_after_a_cancel(catalog, monkeypatch):
    monkeypatch.setattr(face_stage, "BATCH", 2)
    seen = []
    with pytest.raises(Cancelled):
        face_stage.find_faces(
            catalog, progress=lambda *p: seen.append(p), cancel=CancelAfter(1), workers=1
        )
    assert seen == [("faces", 0, 4), ("faces", 2, 4)]
    assert store.progress(catalog.read, ENGINE_ID) == (2, 4)  # the finished batch is kept
    seen.clear()
    summary = face_stage.find_faces(catalog, progress=lambda *p: seen.append(p), workers=2)
    assert seen == [("faces", 2, 4), ("faces", 4, 4)]
    assert store.progress(catalog.read, ENGINE_ID) == (4, 4)
    again = face_stage.find_faces(catalog)  # nothing left: nothing done twice
    assert (again.photos, again.errors) == (0, [])
    assert summary.photos + len(summary.errors) == 2


def test_faces_errors_and_names_from_xmp(catalog):
    summary = face_stage.find_faces(catalog, workers=1)
    assert summary.faces == 6 and summary.named == 2
    assert len(summary.errors) == 1 and "broken.jpg" in summary.errors[0]
    group = next(
        pid for pid, path in catalog.read.execute("SELECT id, path FROM photos")
        if path.endswith(GROUP_PHOTO)
    )  # fmt: skip
    assert people.photos_of(catalog.read, ["Ross"]) == [group]
    named = {r.name: r.box for r in people.named_regions(catalog.read, group)}
    assert named["Ross"].iou(FaceBox(452, 300, 126, 126)) > 0.5  # the detected box
    assert named["Lamp"] == FaceBox(600, 100, 80, 80)  # kept as it was drawn
    assert len(store.faces_of_photo(catalog.read, group)) == 7
