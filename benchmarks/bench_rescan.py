#!/usr/bin/env python3
"""Rescanning an unchanged library: the cost of `photoorg index` when nothing changed.

Builds a library of N small, distinct JPEG files in nested folders (100 per folder),
catalogues it once, then times rescans, which must stat every file and compare with
the catalog without reading a byte of any photo. Goal: 50,000 files in under 5 s on
the 2-core build machine.

    python benchmarks/bench_rescan.py --files 50000 [--keep DIR]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from photoorg.services.library import Library


def make_library(root: Path, count: int) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (120, 80, 40)).save(buf, "JPEG", quality=80)
    base = buf.getvalue()
    for i in range(count):
        folder = root / f"{i // 10000:02d}" / f"{(i // 100) % 100:02d}"
        if i % 100 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        # A distinct JPEG comment segment right after SOI keeps every file's hash unique.
        comment = f"photo {i}".encode()
        segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
        (folder / f"IMG_{i:06d}.jpg").write_bytes(base[:2] + segment + base[2:])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="reuse/keep the generated library here")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="photoorg-bench-"))
    photos, catalog = work / "photos", work / "catalog"
    if not photos.exists():
        start = time.perf_counter()
        make_library(photos, args.files)
        print(f"generated {args.files} files in {time.perf_counter() - start:.1f} s")
    with Library(catalog) as library:
        start = time.perf_counter()
        first = library.index([photos], encode=False)
        print(f"first scan: {first['added']} added in {time.perf_counter() - start:.1f} s")
    times = []
    for _ in range(args.runs):
        # A fresh Library each time: the rescan pays for opening the catalog too.
        start = time.perf_counter()
        with Library(catalog) as library:
            summary = library.index([photos], encode=False)
        times.append(time.perf_counter() - start)
        assert summary["unchanged"] == args.files and summary["added"] == 0, summary
    print(
        f"rescan of {args.files} unchanged files: median {statistics.median(times):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)})"
    )


if __name__ == "__main__":
    main()
