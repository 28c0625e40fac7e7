"""The torch port of dlib's face descriptor gives dlib's own descriptors."""

from __future__ import annotations

import dlib
import numpy as np
import pytest
from PIL import Image

from photoorg.ml.face_descriptor import (
    CHIP_PADDING,
    CHIP_SIZE,
    DescriptorFileError,
    DescriptorNet,
)
from photoorg.ml.faces import MODEL_FILES, models_dir
from tests.support.faces import group_photo


def test_descriptors_match_dlibs_on_the_six_faces_of_the_group_photo():
    landmarks_file, descriptor_file = (models_dir() / name for name in MODEL_FILES)
    pixels = np.asarray(Image.open(group_photo()).convert("RGB"))
    shapes = dlib.full_object_detections()
    predictor = dlib.shape_predictor(str(landmarks_file))
    for rect in dlib.get_frontal_face_detector()(pixels, 0):
        shapes.append(predictor(pixels, rect))
    assert len(shapes) == 6
    dlibs = np.array(dlib.face_recognition_model_v1(str(descriptor_file))
                     .compute_face_descriptor(pixels, shapes))  # fmt: skip
    chips = dlib.get_face_chips(pixels, shapes, CHIP_SIZE, CHIP_PADDING)
    ours = DescriptorNet(descriptor_file).describe([np.asarray(chip) for chip in chips])
    assert ours.shape == (6, 128) and ours.dtype == np.float32
    # Float rounding only: faces of one person lie ~0.3-0.5 apart, of two people > 0.6.
    assert np.linalg.norm(ours - dlibs, axis=1).max() < 1e-4


def test_a_file_that_is_not_the_network_is_a_clear_error(tmp_path):
    damaged = tmp_path / "damaged.dat"
    good = (models_dir() / MODEL_FILES[1]).read_bytes()
    for data in (b"", b"damaged", good[: len(good) // 2]):
        damaged.write_bytes(data)
        with pytest.raises(DescriptorFileError):
            DescriptorNet(damaged)
