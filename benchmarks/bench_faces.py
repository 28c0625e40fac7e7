#!/usr/bin/env python3
"""The face stage's cost per 12-megapixel photo, with and without faces.

Photos: bench_encode.py's generated 12 MP phone JPEGs (no faces), the same with one face
pasted in (a portrait-sized face, ~12% of the long side), and the six-person group photo
of the face tests enlarged to 12 MP. Per photo it measures the whole stage
(``FaceEngine.find_in_bytes``: draft decode at ~1000 px, HOG, landmarks, descriptors,
thumbnails), and, separately, decode + HOG alone; then the stage's throughput with one
engine per thread on ``--threads`` threads (dlib releases the GIL in its heavy calls).

Then, with ``--model SPEC``, indexing throughput (``Library.index``: scan, thumbnail,
encode, tag, and the face stage or not) on the photos with one face and those with none,
faces off and on, each on a fresh catalog. With bench_encode.py's model (ViT-B-32) the
encoder dominates; with a small one (``local-dir:`` the tests' tiny CLIP) the face stage
shows plainly.

    python benchmarks/bench_faces.py [--photos 8] [--threads 2] [--model SPEC]
"""

from __future__ import annotations

import argparse
import io
import math
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_encode import phone_jpeg
from photoorg.media.decode import decode_upright, open_image
from photoorg.media.metadata import read_metadata
from photoorg.ml.faces import DETECT_LONG_SIDE, FaceEngine
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
    img = open_image(data)
    meta = read_metadata(img)
    need = math.ceil(DETECT_LONG_SIDE * min(meta.width, meta.height) / max(meta.width, meta.height))
    upright = decode_upright(img, need)
    scale = DETECT_LONG_SIDE / max(upright.size)
    if scale < 1:
        upright = upright.resize((round(upright.width * scale), round(upright.height * scale)))
    rects = engine._detector(np.asarray(upright), 0)
    return len(rects)


def per_photo(engine: FaceEngine, photos: list[bytes], what) -> tuple[float, float, int]:
    """Median wall and CPU seconds per photo (CPU time is what a loaded, shared machine
    distorts least), and the faces found."""
    walls, cpus, found = [], [], 0
    for data in photos:
        start, cpu = time.perf_counter(), time.thread_time()
        result = what(engine, data)
        walls.append(time.perf_counter() - start)
        cpus.append(time.thread_time() - cpu)
        found += result if isinstance(result, int) else len(result)
    return statistics.median(walls), statistics.median(cpus), found


def index_seconds(photos: list[bytes], model: str, faces: bool) -> float:
    from photoorg.services.library import Library

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "photos"
        folder.mkdir()
        for i, data in enumerate(photos):
            (folder / f"{i:04d}.jpg").write_bytes(data)
        with Library(Path(tmp) / "catalog", model=model, device="cpu") as library:
            library.model()  # loading the model is not indexing
            start = time.perf_counter()
            library.index([folder], faces=faces)
            return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--model", help="also time Library.index with this CLIP model")
    args = parser.parse_args()

    people = list(face_crops())
    sets = {
        "no face": [phone_jpeg(i) for i in range(args.photos)],
        "one face": [with_face(i, people[i % len(people)]) for i in range(args.photos)],
        "six faces": [group_12mp()] * max(2, args.photos // 4),
    }
    engine = FaceEngine()
    engine.find_in_bytes(sets["no face"][0])  # warm up: first call loads code paths
    print(f"12 MP JPEGs, {args.photos} per set; median per photo, one thread")
    print(f"(machine load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    for name, photos in sets.items():
        stage, stage_cpu, faces = per_photo(engine, photos, lambda e, d: e.find_in_bytes(d))
        detect, detect_cpu, _ = per_photo(engine, photos, detect_only)
        print(
            f"  {name:9}: stage {stage * 1000:5.0f} ms wall, {stage_cpu * 1000:5.0f} ms CPU; "
            f"decode + HOG alone {detect * 1000:4.0f} ms wall, {detect_cpu * 1000:4.0f} ms CPU; "
            f"{faces / len(photos):.1f} faces a photo"
        )

    mixed = sets["no face"] + sets["one face"]
    engines = [FaceEngine() for _ in range(args.threads)]

    def work(index: int) -> int:
        return len(engines[index % args.threads].find_in_bytes(mixed[index]))

    start = time.perf_counter()
    with ThreadPoolExecutor(args.threads) as pool:
        list(pool.map(work, range(len(mixed))))
    seconds = time.perf_counter() - start
    print(
        f"throughput, half without faces, half with one, {args.threads} threads: "
        f"{len(mixed) / seconds:.1f} photos/s ({seconds / len(mixed) * 1000:.0f} ms a photo)"
    )
    if args.model:
        off = index_seconds(mixed, args.model, faces=False)
        on = index_seconds(mixed, args.model, faces=True)
        print(
            f"Library.index of the same {len(mixed)} photos: faces off {len(mixed) / off:.2f} "
            f"photos/s, on {len(mixed) / on:.2f} photos/s "
            f"(the stage adds {(on - off) / len(mixed) * 1000:.0f} ms a photo)"
        )


if __name__ == "__main__":
    main()
