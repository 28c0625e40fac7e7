#!/usr/bin/env python3
"""The face stage's cost per 12-megapixel photo, with and without faces.

Photos: bench_encode.py's generated 12 MP phone JPEGs (no faces), the same with one face
pasted in (a portrait-sized face, ~12% of the long side), and the six-person group photo
of the face tests enlarged to 12 MP. First the fixed costs: loading a face engine (the
first in a process unpacks dlib's detector; later ones copy it). Per photo, one thread,
the whole stage (``FaceEngine.find_in_bytes``: draft decode at ~1000 px, HOG on
luminance, landmarks, descriptors by torch, thumbnails), and, separately, decode + HOG
alone; then the stage's throughput as ``face_stage`` runs it: ``--threads`` workers
detect (dlib releases the GIL), each batch's faces are described at once (torch).

Then, with ``--model SPEC``, indexing throughput (``Library.index``: scan, thumbnail,
encode, tag, and the face stage or not) on the photos without faces and on those with
one, faces off and on, each on a fresh catalog; what the stage adds a photo, and of that
the end-of-stage grouping into people. With bench_encode.py's model (ViT-B-32) the
encoder dominates; with a small one (``local-dir:`` the tests' tiny CLIP) the face stage
shows plainly. About 2-3 minutes on an idle 2-core machine at the default 32 photos.

    python benchmarks/bench_faces.py [--photos 32] [--threads 2] [--model SPEC]
"""

from __future__ import annotations

import argparse
import io
import math
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_encode import phone_jpeg
from photoorg.media.decode import decode_upright, open_image
from photoorg.media.metadata import read_metadata
from photoorg.ml.faces import DETECT_LONG_SIDE, FaceEngine, _working_copy
from photoorg.services import face_stage
from tests.support.faces import face_crops, group_photo


def with_face(seed: int, person: str) -> bytes:
    base = Image.open(io.BytesIO(phone_jpeg(seed))).convert("RGB")
    face = face_crops()[person].resize((1100, 1100), Image.Resampling.LANCZOS)
    base.paste(face, (1400 + seed * 37 % 800, 900))
    out = io.BytesIO()
    base.save(out, "JPEG", quality=85)
    return out.getvalue()


def group_12mp() -> bytes:
    with Image.open(group_photo()) as img:
        big = img.convert("RGB").resize((4000, 2769), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    big.save(out, "JPEG", quality=85)
    return out.getvalue()


def detect_only(engine: FaceEngine, data: bytes) -> int:
    """Decode and HOG as the engine does them, without landmarks and descriptors."""
    img = open_image(data)
    meta = read_metadata(img)
    need = math.ceil(DETECT_LONG_SIDE * min(meta.width, meta.height) / max(meta.width, meta.height))
    work = _working_copy(decode_upright(img, need))
    rects = engine._detector(np.asarray(work.convert("L")), 0)
    return len(rects)


def per_photo(engine: FaceEngine, photos: list[bytes], what) -> tuple[float, float, int]:
    """Median wall and CPU seconds per photo (CPU time is what a loaded, shared machine
    distorts least: the process's, since torch runs the descriptor on its own threads
    too), and the faces found."""
    walls, cpus, found = [], [], 0
    for data in photos:
        start, cpu = time.perf_counter(), time.process_time()
        result = what(engine, data)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        found += result if isinstance(result, int) else len(result)
    return statistics.median(walls), statistics.median(cpus), found


def stage_seconds(photos: list[bytes], threads: int) -> float:
    """Wall seconds for the stage's detection and description of ``photos``, as
    ``face_stage.find_faces`` does them: batches detected by ``threads`` workers (one
    engine each), each batch's faces described at once on this thread."""
    local = threading.local()
    engines: list[FaceEngine] = [FaceEngine() for _ in range(threads)]

    def detect(data: bytes) -> list:
        if not hasattr(local, "engine"):
            local.engine = engines.pop()
        with open_image(data) as img:
            return local.engine.detect_in_opened(img, read_metadata(img))

    describer = FaceEngine()
    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        for first in range(0, len(photos), face_stage.BATCH):
            found = pool.map(detect, photos[first : first + face_stage.BATCH])
            describer.describe([face for faces in found for face in faces])
    return time.perf_counter() - start


def engine_load() -> tuple[float, float]:
    """Wall and CPU seconds to load one face engine."""
    start, cpu = time.perf_counter(), time.process_time()
    FaceEngine()
    return time.perf_counter() - start, time.process_time() - cpu


class GroupingTimer:
    """Times the stage's end-of-stage grouping by wrapping ``people.group_new_faces``."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._original = face_stage.people.group_new_faces

    def __enter__(self) -> GroupingTimer:
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return self._original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        face_stage.people.group_new_faces = timed
        return self

    def __exit__(self, *exc) -> None:
        face_stage.people.group_new_faces = self._original


def index_seconds(photos: list[bytes], model: str, faces: bool) -> tuple[float, float, float]:
    """Wall and process CPU seconds for ``Library.index`` of ``photos`` on a fresh
    catalog, and the wall seconds of the grouping into people."""
    from photoorg.services.library import Library

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "photos"
        folder.mkdir()
        for i, data in enumerate(photos):
            (folder / f"{i:04d}.jpg").write_bytes(data)
        with Library(Path(tmp) / "catalog", model=model, device="cpu") as library:
            library.model()  # loading the model is not indexing
            with GroupingTimer() as grouping:
                start, cpu = time.perf_counter(), time.process_time()
                library.index([folder], faces=faces)
                wall, cpu = time.perf_counter() - start, time.process_time() - cpu
                return wall, cpu, grouping.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--model", help="also time Library.index with this CLIP model")
    args = parser.parse_args()

    print(f"(machine load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    first, first_cpu = engine_load()
    later, later_cpu = engine_load()
    print(
        f"loading a face engine: the first in a process {first:.2f} s wall, {first_cpu:.2f} s "
        f"CPU; each further one (one a thread) {later:.2f} s wall, {later_cpu:.2f} s CPU"
    )
    people = list(face_crops())
    sets = {
        "no face": [phone_jpeg(i) for i in range(args.photos)],
        "one face": [with_face(i, people[i % len(people)]) for i in range(args.photos)],
        "six faces": [group_12mp()] * max(2, args.photos // 4),
    }
    engine = FaceEngine()
    engine.find_in_bytes(sets["no face"][0])  # warm up: first call loads code paths
    print(f"12 MP JPEGs, {args.photos} per set; median per photo, one thread")
    for name, photos in sets.items():
        stage, stage_cpu, faces = per_photo(engine, photos, lambda e, d: e.find_in_bytes(d))
        detect, detect_cpu, _ = per_photo(engine, photos, detect_only)
        print(
            f"  {name:9}: stage {stage * 1000:5.0f} ms wall, {stage_cpu * 1000:5.0f} ms CPU; "
            f"decode + HOG alone {detect * 1000:4.0f} ms wall, {detect_cpu * 1000:4.0f} ms CPU; "
            f"{faces / len(photos):.1f} faces a photo"
        )

    for name in ("no face", "one face"):
        seconds = stage_seconds(sets[name], args.threads)
        print(
            f"stage throughput, {name}, {args.threads} threads: "
            f"{len(sets[name]) / seconds:.1f} photos/s ({seconds / len(sets[name]) * 1000:.0f} "
            "ms a photo)"
        )
    if args.model:
        print(f"Library.index, {args.photos} photos a set, fresh catalogs; the face engines")
        print("load as in a process that has loaded one before (see above for the first):")
        for name in ("no face", "one face"):
            photos = sets[name]
            off, off_cpu, _ = index_seconds(photos, args.model, faces=False)
            on, on_cpu, grouping = index_seconds(photos, args.model, faces=True)
            added = (on - off) / len(photos) * 1000
            added_cpu = (on_cpu - off_cpu) / len(photos) * 1000
            print(
                f"  {name:8}: faces off {len(photos) / off:.2f} photos/s, on "
                f"{len(photos) / on:.2f} photos/s: the stage adds {added:.0f} ms a photo "
                f"({added_cpu:.0f} ms CPU), of which grouping {grouping * 1000:.0f} ms in all"
            )
    print(f"(machine load average at the end: {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
