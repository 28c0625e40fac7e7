"""Face SQL: progress per photo, what renames and new pixels do, search by people."""

from __future__ import annotations

import numpy as np
import pytest

from photoorg.model.face import FaceBox, FaceDecision
from photoorg.store import faces as store
from photoorg.store.catalog import Catalog
from photoorg.store.photos import PhotoRecord, add_root, delete_photos, insert_photo, update_photo
from tests.support.records import photo_record


def _record(name: str, sha: str) -> PhotoRecord:
    return photo_record(f"/photos/{name}", sha)


@pytest.fixture
def catalog(tmp_path):
    with Catalog(tmp_path / "catalog.db") as catalog:
        with catalog.write() as db:
            root = add_root(db, "/photos").id
            ids = [insert_photo(db, root, _record(f"{i}.jpg", f"sha{i}")) for i in range(3)]
        catalog.root, catalog.ids = root, ids
        yield catalog


def _face(x: int, person: int | None = None, seed: int = 0) -> store.NewFace:
    vector = np.random.default_rng(seed).normal(size=128).astype(np.float32)
    return store.NewFace(FaceBox(x, 0, 10, 10), 1.0, store.to_blob(vector), b"jpeg", person)


def test_progress_counts_photos_done_with_this_engine(catalog):
    db = catalog.db
    assert store.progress(db, "e1") == (0, 3)
    store.mark_done(db, catalog.ids[0], "e1", 2)
    store.mark_done(db, catalog.ids[1], "e1", 0, "cannot read")
    assert store.progress(db, "e1") == (2, 3)
    assert [p for p, _ in store.photos_to_do(db, "e1", 10)] == [catalog.ids[2]]
    assert len(store.photos_to_do(db, "e2", 10)) == 3  # a new engine looks again


def test_a_renamed_photo_keeps_its_faces_and_new_pixels_are_looked_at_again(catalog):
    db = catalog.db
    photo = catalog.ids[0]
    person = store.create_person(db, "Anna")
    store.add_faces(db, photo, [_face(0, person)])
    store.mark_done(db, photo, "e1", 1)
    update_photo(db, photo, catalog.root, _record("renamed.jpg", "sha0"))
    assert store.photos_to_do(db, "e1", 10) == [(catalog.ids[1], "/photos/1.jpg"),
                                                (catalog.ids[2], "/photos/2.jpg")]  # fmt: skip
    assert store.photos_with_people(db, [person]) == [photo]
    update_photo(db, photo, catalog.root, _record("renamed.jpg", "edited"))
    assert (photo, "/photos/renamed.jpg") in store.photos_to_do(db, "e1", 10)
    delete_photos(db, [photo])
    assert store.faces_of_photo(db, photo) == []
    assert store.list_people(db)[0].name == "Anna"  # a name is never swept


def test_photos_with_people_needs_all_of_them(catalog):
    db = catalog.db
    anna, ben = store.create_person(db, "Anna"), store.create_person(db, "Ben")
    store.add_faces(db, catalog.ids[0], [_face(0, anna), _face(50, ben)])
    store.add_faces(db, catalog.ids[1], [_face(0, anna)])
    ignored = store.add_faces(db, catalog.ids[2], [_face(0, ben)])
    store.set_person(db, ignored, None, FaceDecision.IGNORED)
    assert store.photos_with_people(db, [anna]) == catalog.ids[:2]
    assert store.photos_with_people(db, [anna, ben]) == [catalog.ids[0]]
    assert store.photos_with_people(db, [ben]) == [catalog.ids[0]]
    people = {p.name: p for p in store.list_people(db)}
    assert (people["Anna"].faces, people["Anna"].photos) == (2, 2)


def test_descriptors_round_trip(catalog):
    db = catalog.db
    faces = [_face(i, seed=i) for i in range(3)]
    store.add_faces(db, catalog.ids[0], faces)
    _stored, vectors = store.descriptors(db)
    assert vectors.shape == (3, 128)
    for row, face in zip(vectors, faces, strict=True):
        assert store.to_blob(row) == face.descriptor
