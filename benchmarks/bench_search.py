#!/usr/bin/env python3
"""A whole text query through ``Library.search``, on a catalog of N stored photos.

What a user waits for after typing: the text tower encodes the query (the default
model's architecture, random weights: speed does not depend on them), the HNSW index
is searched, the relevance cutoff is read off the score sample, and the hits are
loaded from the catalog. Every query is a new text, so the text-embedding cache never
answers. The catalog holds N fake photos (``fake_library``) with the clustered
CLIP-like vectors of ``bench_index``; the index is built from it by the library, as
on a first search after opening.

    python benchmarks/bench_search.py [--photos 100000] [--queries 200] [--arch ViT-B-32]

The index look-up alone, recall and memory at 100k and 1M are ``bench_index.py``'s.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

# As the app has it (photoorg/__init__.py), before numpy loads OpenBLAS: here numpy is
# imported before photoorg.
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import fake_library
from benchmarks.bench_encode import load_random_model
from benchmarks.bench_index import CHUNK, Corpus
from photoorg.services.library import Library
from photoorg.store import embeddings

WORDS = [
    "dog",
    "beach",
    "sunset",
    "mountain",
    "snow",
    "city",
    "night",
    "car",
    "birthday",
    "cake",
    "kayak",
    "forest",
]


def percentiles(seconds: list[float]) -> dict[str, float]:
    ms = np.array(seconds) * 1000
    return {
        "p50_ms": round(float(np.percentile(ms, 50)), 2),
        "p95_ms": round(float(np.percentile(ms, 95)), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--arch", default="ViT-B-32")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    model = load_random_model(args.arch, "cpu")
    queries = [f"{WORDS[i % len(WORDS)]} number {i}" for i in range(args.queries + 10)]
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        library = Library(Path(tmp))
        library.use_loaded_model(model)
        started = time.perf_counter()
        corpus = Corpus(args.photos, model.dim, seed=0)
        with library.catalog.write() as db:
            ids = fake_library.add_photos(db, args.photos)
            for start, chunk in corpus.chunks():
                embeddings.save(db, model.id, ids[start : start + CHUNK], chunk)
        print(f"catalog of {args.photos:,} photos written in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        library._index_keeper().index()
        build = time.perf_counter() - started
        print(f"index built from the catalog in {build:.1f} s")

        for text in queries[:10]:  # warm-up: first-call costs, the score sample
            library.search(text)
        whole, encode = [], []
        for text in queries[10:]:
            started = time.perf_counter()
            library.search(text)
            whole.append(time.perf_counter() - started)
        for text in queries[10:]:
            started = time.perf_counter()
            model.encode_texts([text + " again"])
            encode.append(time.perf_counter() - started)
        library.close()

    figures = {
        "photos": args.photos,
        "arch": args.arch,
        "cores": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2),
        "index_build_s": round(build, 1),
        "whole_text_query": percentiles(whole),
        "text_encoding_alone": percentiles(encode),
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
