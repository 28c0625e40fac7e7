"""The face engine on real faces: found where they are, none where there are none,
one person's faces near each other and far from everyone else's."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from photoorg.errors import ImageError
from photoorg.ml.faces import MODEL_FILES, FaceEngine, FaceModelError, models_dir, self_check
from photoorg.model.face import FaceBox
from photoorg.services.people import JOIN_DISTANCE
from tests.support.faces import GROUP_FACES, detected_library, group_photo

TRUTH = {person: FaceBox(x, y, side, side) for person, (x, y, side) in GROUP_FACES.items()}


@pytest.fixture(scope="module")
def library():
    return detected_library()


@pytest.fixture(scope="module")
def engine():
    return FaceEngine()


def _matches(found, truth):
    """person -> the found face over that person's true box (IoU >= 0.5), each used once."""
    matched = {}
    for person, box in truth.items():
        best = max(found, key=lambda f: f.box.iou(box))
        if best.box.iou(box) >= 0.5:
            matched[person] = best
    return matched


def test_all_six_faces_of_the_group_photo_are_found(library):
    found = library.faces[library.photos[0].path]
    assert len(found) == 6
    matched = _matches(found, TRUTH)
    assert set(matched) == set(GROUP_FACES)
    assert len({id(f) for f in matched.values()}) == 6
    for face in found:
        assert face.descriptor.shape == (128,) and face.descriptor.dtype == np.float32
        with Image.open(io.BytesIO(face.thumbnail)) as thumb:
            assert thumb.format == "JPEG" and thumb.size == (128, 128)


def test_boxes_are_in_upright_pixels_of_the_original(tmp_path, engine):
    # The group photo doubled in size and stored on its side with EXIF orientation 8:
    # decoded small and turned upright, the boxes must still be the original's, doubled.
    with Image.open(group_photo()) as img:
        big = img.convert("RGB").resize((2560, 1772), Image.Resampling.LANCZOS)
    stored = big.transpose(Image.Transpose.ROTATE_270)  # orientation 8 turns it back
    exif = Image.Exif()
    exif[0x0112] = 8
    out = io.BytesIO()
    stored.save(out, "JPEG", quality=92, exif=exif.tobytes())
    found = engine.find_in_bytes(out.getvalue(), "sideways.jpg")
    doubled = {p: FaceBox(b.x * 2, b.y * 2, b.w * 2, b.h * 2) for p, b in TRUTH.items()}
    assert set(_matches(found, doubled)) == set(GROUP_FACES)


def test_each_sample_photo_of_a_person_shows_one_face(library):
    for photo in library.photos[1:]:
        expected = 0 if photo.person is None else 1
        assert len(library.faces[photo.path]) == expected, photo.path.name


def test_one_persons_faces_are_near_and_other_peoples_far(library):
    group = _matches(library.faces[library.photos[0].path], TRUTH)
    vectors, people = [], []
    for person, face in group.items():
        vectors.append(face.descriptor)
        people.append(person)
    for photo in library.photos[1:]:
        for face in library.faces[photo.path]:
            vectors.append(face.descriptor)
            people.append(photo.person)
    matrix = np.stack(vectors)
    d = np.linalg.norm(matrix[:, None] - matrix[None], axis=2)
    names = np.array(people, dtype=object)
    same = names[:, None] == names[None]
    np.fill_diagonal(same, False)
    assert d[same].max() < JOIN_DISTANCE  # every variant of a face stays with its person
    assert d[~same & ~np.eye(len(d), dtype=bool)].min() > JOIN_DISTANCE


def test_a_photo_without_faces_and_a_tiny_photo_give_none(engine):
    flat = Image.new("RGB", (1600, 1200), (120, 130, 140))
    noise = Image.fromarray(np.random.default_rng(1).integers(0, 255, (600, 800, 3), np.uint8))
    assert engine.find(flat, flat.size) == []
    assert engine.find(noise, noise.size) == []
    assert engine.find(Image.new("RGB", (3, 2)), (3, 2)) == []


def test_an_unreadable_photo_is_an_image_error(engine):
    with pytest.raises(ImageError):
        engine.find_in_bytes(b"not a photo", "broken.jpg")


def test_missing_model_files_are_a_clear_error(tmp_path):
    assert all((models_dir() / name).is_file() for name in MODEL_FILES)
    with pytest.raises(FaceModelError, match="cannot load"):
        FaceEngine(tmp_path)
    (tmp_path / MODEL_FILES[0]).write_bytes(b"damaged")
    (tmp_path / MODEL_FILES[1]).write_bytes(b"damaged")
    with pytest.raises(FaceModelError, match="cannot load"):
        FaceEngine(tmp_path)


def test_the_self_check_runs_every_model(engine):
    assert "detector, landmarks and descriptor ran" in self_check(engine)
