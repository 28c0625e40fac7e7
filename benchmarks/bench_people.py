#!/usr/bin/env python3
"""Grouping faces at library scale: a full regroup, and a batch of new faces joining.

Descriptors are made up (people as tight clouds ~0.3 across, ~0.8 apart, as dlib's
descriptors of one person and of different people sit), so no photos are needed. Times
``chinese_whispers`` over all faces (what ``people.regroup`` spends its time in) and
``nearest`` for 20 new faces against all (what ``people.group_new_faces`` does).

    python benchmarks/bench_people.py [--faces 2000 20000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from photoorg.services.face_clusters import chinese_whispers, nearest
from photoorg.services.people import JOIN_DISTANCE


def made_up_faces(count: int, per_person: int = 10, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    people = rng.normal(0, 0.8 / np.sqrt(2 * 128), (count // per_person, 128))
    faces = np.repeat(people, per_person, axis=0)
    faces += rng.normal(0, 0.15 / np.sqrt(128), faces.shape)
    return faces.astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=int, nargs="+", default=[2000, 20000])
    args = parser.parse_args()
    for count in args.faces:
        faces = made_up_faces(count)
        start = time.perf_counter()
        labels = chinese_whispers(faces, JOIN_DISTANCE)
        regroup = time.perf_counter() - start
        start = time.perf_counter()
        nearest(faces[:20] + 0.01, faces, JOIN_DISTANCE)
        join = time.perf_counter() - start
        groups = len(set(labels.tolist()))
        print(
            f"{count:7d} faces: regroup {regroup:6.2f} s ({groups} groups of "
            f"{count // 10} people), 20 new faces joining {join * 1000:5.0f} ms"
        )


if __name__ == "__main__":
    main()
