"""The face engine: find faces in a photo and describe each by a 128-number vector.

dlib, from the prebuilt ``dlib-bin`` wheel, with the model files that the
``face_recognition_models`` package ships (public domain): the HOG frontal-face detector
(built into dlib), the 5-point landmark predictor that aligns a face, and the ResNet that
turns an aligned 150x150 face chip into a 128-d descriptor where two photos of one person
lie closer than ~0.6 (Euclidean); dlib cuts the chips, torch runs the ResNet with dlib's
weights (``face_descriptor``: the same descriptors, ~8x less CPU than dlib-bin's). The
68-point predictor in the same package is for non-commercial use only and is never
loaded. The CNN (mmod) detector finds more turned and tiny faces but costs 5-11 s per
photo on two cores: not used.

``face_recognition_models`` imports ``pkg_resources`` (gone since setuptools 82), so its
folder is located with ``importlib.util.find_spec``, which does not run the package.

Detection runs on the photo decoded upright at about ``DETECT_LONG_SIDE`` pixels on its
long side (JPEG draft mode makes that decode cheap; HOG's cost grows with the pixels, and
at this size it finds faces down to ~8% of the long side). Photos under ``ENLARGE_BELOW``
pixels are enlarged to that size (at most ``MAX_ENLARGE`` times), since HOG misses faces
under ~80 px; photos in between are taken as they are. Boxes come
back in upright pixels of the original, whatever size was decoded.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import math
import pickle
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from photoorg.errors import PhotoOrgError
from photoorg.media.decode import decode_upright, open_image
from photoorg.media.metadata import PhotoMetadata, read_metadata
from photoorg.ml.face_descriptor import CHIP_PADDING, CHIP_SIZE, DescriptorFileError, DescriptorNet
from photoorg.model.face import FaceBox

ENGINE_ID = "dlib-hog-0+resnet-v1@1000"
"""Recorded with each photo's face results: a different engine means detect again."""

DETECT_LONG_SIDE = 1000
ENLARGE_BELOW = 500
MAX_ENLARGE = 4.0
DESCRIPTOR_SIZE = 128
DESCRIBE_BATCH = 32  # chips a torch call: ~100 MB of activations at most
THUMBNAIL_SIZE = 128
THUMBNAIL_MARGIN = 0.3  # of the box size on each side: hair and chin, as people expect

_LANDMARKS = "shape_predictor_5_face_landmarks.dat"
_DESCRIPTOR = "dlib_face_recognition_resnet_model_v1.dat"
MODEL_FILES = (_LANDMARKS, _DESCRIPTOR)
"""What the engine needs from face_recognition_models (what a standalone build packs)."""


class FaceModelError(PhotoOrgError):
    """The face models or dlib are missing or unreadable; the message says what to install."""


@dataclass(frozen=True)
class FoundFace:
    box: FaceBox  # upright pixels of the original photo
    score: float  # HOG detection confidence (0 is dlib's default threshold)
    descriptor: np.ndarray  # float32, (DESCRIPTOR_SIZE,)
    thumbnail: bytes  # JPEG, square, THUMBNAIL_SIZE px


@dataclass(frozen=True)
class DetectedFace:
    """A face found and aligned, not yet described (``FaceEngine.describe``)."""

    box: FaceBox
    score: float
    chip: np.ndarray  # CHIP_SIZE x CHIP_SIZE x 3 uint8, aligned on the 5 landmarks
    thumbnail: bytes


def models_dir() -> Path:
    """The folder holding face_recognition_models' .dat files, without importing it."""
    candidates: list[Path] = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:  # a PyInstaller build packs the files under the package's own name
        candidates.append(Path(frozen) / "face_recognition_models" / "models")
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is not None and spec.submodule_search_locations:
        candidates += [Path(p) / "models" for p in spec.submodule_search_locations]
    for folder in candidates:
        if all((folder / name).is_file() for name in MODEL_FILES):
            return folder
    raise FaceModelError(
        "face models not found: install the face_recognition_models package "
        "(pip install face_recognition_models)"
    )


class FaceEngine:
    """Detector, landmarks and descriptor, loaded once. Not thread-safe: one per thread."""

    def __init__(self, folder: Path | None = None, min_score: float = 0.0) -> None:
        try:
            import dlib
        except ImportError as exc:
            raise FaceModelError("dlib is not installed: pip install dlib-bin") from exc
        folder = folder if folder is not None else models_dir()
        try:
            self._detector = _new_detector(dlib)
            self._landmarks = dlib.shape_predictor(str(folder / _LANDMARKS))
            self._descriptor = _descriptor_net(folder / _DESCRIPTOR)
        except (RuntimeError, OSError, DescriptorFileError) as exc:  # missing or damaged
            raise FaceModelError(f"cannot load the face models in {folder}: {exc}") from exc
        self._dlib = dlib
        self.min_score = min_score

    def find_in_bytes(self, data: bytes, name: str = "") -> list[FoundFace]:
        """Faces in an encoded photo (the bytes the scanner read); ImageError if unreadable."""
        with open_image(data, name) as img:
            return self.describe(self.detect_in_opened(img, read_metadata(img)))

    def find(self, upright: Image.Image, original_size: tuple[int, int]) -> list[FoundFace]:
        """Faces in ``upright`` (any size), boxes scaled to ``original_size`` (upright)."""
        return self.describe(self.detect(upright, original_size))

    def detect_in_opened(self, img: Image.Image, meta: PhotoMetadata) -> list[DetectedFace]:
        """Faces in a photo ``open_image`` opened and ``read_metadata`` read (so a caller
        that needs its header too parses it once); decodes it, so read the header first."""
        long_side, short_side = max(meta.width, meta.height), min(meta.width, meta.height)
        need = math.ceil(DETECT_LONG_SIDE * short_side / long_side)
        return self.detect(decode_upright(img, need), (meta.width, meta.height))

    def detect(self, upright: Image.Image, original_size: tuple[int, int]) -> list[DetectedFace]:
        """Faces found and aligned in ``upright``, boxes scaled to ``original_size``."""
        work = _working_copy(upright)
        # HOG on luminance: on RGB dlib takes each pixel's strongest channel gradient, which
        # costs a third more and found no face more on the tests' photos (docs/benchmarks.md).
        gray = np.asarray(work.convert("L"), dtype=np.uint8)
        rects, scores, _ = self._detector.run(gray, 0, self.min_score)
        if not rects:
            return []
        pixels = np.asarray(work, dtype=np.uint8)
        shapes = self._dlib.full_object_detections()
        for rect in rects:
            shapes.append(self._landmarks(pixels, rect))
        chips = self._dlib.get_face_chips(pixels, shapes, CHIP_SIZE, CHIP_PADDING)
        sx, sy = original_size[0] / work.width, original_size[1] / work.height
        found = []
        for rect, score, chip in zip(rects, scores, chips, strict=True):
            left, top = max(0, rect.left()), max(0, rect.top())
            right, bottom = min(work.width, rect.right() + 1), min(work.height, rect.bottom() + 1)
            box = FaceBox(
                round(left * sx), round(top * sy), round((right - left) * sx),
                round((bottom - top) * sy),
            )  # fmt: skip
            thumbnail = _thumbnail(work, (left, top, right, bottom))
            found.append(DetectedFace(box, float(score), np.asarray(chip), thumbnail))
        return found

    def describe(self, faces: list[DetectedFace]) -> list[FoundFace]:
        """The detected faces with their descriptors. Unlike detection this may run on any
        thread (the network keeps no state): the face stage detects on its workers and
        describes a batch's faces on its own thread, torch's threads alone on the cores
        (2 workers each running torch on 2 threads stalled each other: docs/benchmarks)."""
        found = []
        for start in range(0, len(faces), DESCRIBE_BATCH):
            chunk = faces[start : start + DESCRIBE_BATCH]
            vectors = self._descriptor.describe([face.chip for face in chunk])
            for face, vector in zip(chunk, vectors, strict=True):
                descriptor = vector.astype(np.float32).reshape(DESCRIPTOR_SIZE)
                found.append(FoundFace(face.box, face.score, descriptor, face.thumbnail))
        return found


@functools.lru_cache(maxsize=1)
def _descriptor_net(path: Path) -> DescriptorNet:
    """One network a process: torch's forward pass keeps no state, so engines share it."""
    return DescriptorNet(path)


_detector_lock = threading.Lock()
_pickled_detector: bytes | None = None


def _new_detector(dlib):
    """dlib's frontal detector, unpacked once a process: ``get_frontal_face_detector``
    decompresses its built-in model on every call (~0.7 s CPU, most of an engine's
    loading), a pickled copy loads in ~2 ms. Each engine still gets its own copy."""
    global _pickled_detector
    with _detector_lock:
        if _pickled_detector is None:
            _pickled_detector = pickle.dumps(dlib.get_frontal_face_detector())
    return pickle.loads(_pickled_detector)  # our own bytes, never a file's


def _working_copy(upright: Image.Image) -> Image.Image:
    rgb = upright if upright.mode == "RGB" else upright.convert("RGB")
    long_side = max(rgb.size)
    if long_side >= ENLARGE_BELOW:
        scale = min(1.0, DETECT_LONG_SIDE / long_side)
    else:  # a small photo: its faces are small too, and HOG misses those under ~80 px
        scale = min(MAX_ENLARGE, ENLARGE_BELOW / long_side)
    if abs(scale - 1.0) < 0.05:
        return rgb
    size = (max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale)))
    return rgb.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)


def _thumbnail(work: Image.Image, box: tuple[int, int, int, int]) -> bytes:
    left, top, right, bottom = box
    side = max(right - left, bottom - top) * (1 + 2 * THUMBNAIL_MARGIN)
    cx, cy = (left + right) / 2, (top + bottom) / 2
    crop = (round(cx - side / 2), round(cy - side / 2), round(cx + side / 2), round(cy + side / 2))
    face = work.crop(crop)  # outside the photo Pillow fills black: the face stays centred
    face = face.resize((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    face.save(out, "JPEG", quality=85)
    return out.getvalue()


def self_check(engine: FaceEngine | None = None) -> str:
    """Run every model once on generated pixels (for ``--self-test`` in a frozen build,
    where a missing .dat file or native library only shows when it runs); a summary."""
    engine = engine or FaceEngine()
    blank = Image.new("RGB", (640, 480), (128, 128, 128))
    if engine.find(blank, blank.size):
        raise FaceModelError("the face detector found a face in a blank picture")
    chip = np.random.default_rng(0).integers(0, 255, (150, 150, 3), dtype=np.uint8)
    shapes = engine._dlib.full_object_detections()
    shapes.append(engine._landmarks(chip, engine._dlib.rectangle(0, 0, 149, 149)))
    chips = engine._dlib.get_face_chips(chip, shapes, CHIP_SIZE, CHIP_PADDING)
    vector = engine._descriptor.describe([np.asarray(c) for c in chips])[0]
    if vector.shape != (DESCRIPTOR_SIZE,) or not np.all(np.isfinite(vector)):
        raise FaceModelError("the face descriptor model gave no usable vector")
    return f"faces: detector, landmarks and descriptor ran ({ENGINE_ID})"
