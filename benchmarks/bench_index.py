"""Benchmark the HNSW vector index on CLIP-like synthetic embeddings.

    python benchmarks/bench_index.py --sizes 100000 1000000 --ef 50 100 200 --M 16

For each size: build time (streamed in chunks, as the library builds from the catalog),
single-query latency for k=10 (p50/p95 after warm-up, through VectorIndex.search and
through raw hnswlib), recall@10 against exact brute force, memory (RSS growth and the
saved file), save/verify/load times and, with --filtered, the cost of restricted searches.

The vectors are not uniform noise, which is both unrealistic and unusually hard for a
graph index: like CLIP image embeddings they share a common direction, gather in clusters
of very uneven size and spread, and vary mostly along a low-dimensional subspace. Queries
are either stored photos slightly perturbed ("more like this") or points near a cluster
but off the photos' manifold (a text query's embedding).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from photoorg.store.vectors import index as vectors_module
from photoorg.store.vectors.index import VectorIndex

CHUNK = 20_000
RANK = 32  # dimension of the subspace most variation lives in


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


@dataclass
class Corpus:
    """A deterministic synthetic library; chunks are regenerated instead of kept."""

    n: int
    dim: int
    seed: int

    def __post_init__(self) -> None:
        rng = np.random.default_rng([self.seed, 0])
        self.n_clusters = max(8, self.n // 100)
        self.mean = unit(rng.standard_normal(self.dim))
        self.centres = unit(rng.standard_normal((self.n_clusters, self.dim)))
        self.spread = rng.uniform(0.4, 1.0, self.n_clusters).astype(np.float32)
        basis, _ = np.linalg.qr(rng.standard_normal((self.dim, RANK)))
        self.basis = basis.astype(np.float32)  # orthonormal columns
        weights = 1 / np.sqrt(np.arange(1, self.n_clusters + 1))  # a few big themes
        self.weights = weights / weights.sum()

    def chunk(self, start: int) -> np.ndarray:
        n = min(CHUNK, self.n - start)
        rng = np.random.default_rng([self.seed, 1, start])
        which = rng.choice(self.n_clusters, n, p=self.weights)
        z = rng.standard_normal((n, RANK)).astype(np.float32) / np.sqrt(RANK)
        iso = rng.standard_normal((n, self.dim)).astype(np.float32) / np.sqrt(self.dim)
        x = 0.6 * self.mean + self.centres[which]
        x += self.spread[which, None] * (z @ self.basis.T) + 0.3 * iso
        return unit(x)

    def chunks(self) -> Iterator[tuple[int, np.ndarray]]:
        for start in range(0, self.n, CHUNK):
            yield start, self.chunk(start)

    def text_like_queries(self, n: int, rng: np.random.Generator) -> np.ndarray:
        which = rng.choice(self.n_clusters, n, p=self.weights)
        z = rng.standard_normal((n, RANK)).astype(np.float32) / np.sqrt(RANK)
        iso = rng.standard_normal((n, self.dim)).astype(np.float32) / np.sqrt(self.dim)
        return unit(0.6 * self.mean + self.centres[which] + 0.5 * (z @ self.basis.T) + 0.6 * iso)


def rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: peak RSS is the best we have
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


def exact_top_k(corpus: Corpus, queries: np.ndarray, k: int) -> np.ndarray:
    best_ids = np.zeros((len(queries), 0), np.int64)
    best_scores = np.zeros((len(queries), 0), np.float32)
    for start, chunk in corpus.chunks():
        scores = queries @ chunk.T
        ids = np.broadcast_to(np.arange(start, start + len(chunk)), scores.shape)
        best_ids = np.concatenate([best_ids, ids], axis=1)
        best_scores = np.concatenate([best_scores, scores], axis=1)
        top = np.argpartition(-best_scores, k - 1, axis=1)[:, :k]
        best_ids = np.take_along_axis(best_ids, top, axis=1)
        best_scores = np.take_along_axis(best_scores, top, axis=1)
    return best_ids


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    hits = [len(set(f.tolist()) & set(t.tolist())) for f, t in zip(found, truth, strict=True)]
    return float(np.sum(hits) / truth.size)


def latencies_ms(search, queries: np.ndarray, warmup: int = 100) -> dict[str, float]:
    for q in queries[:warmup]:
        search(q)
    times = []
    for q in queries:
        t = time.perf_counter()
        search(q)
        times.append((time.perf_counter() - t) * 1000)
    return {
        "p50_ms": float(np.percentile(times, 50)),
        "p95_ms": float(np.percentile(times, 95)),
        "mean_ms": float(np.mean(times)),
    }


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def bench(n: int, args: argparse.Namespace) -> dict:
    corpus = Corpus(n, args.dim, args.seed)
    rng = np.random.default_rng([args.seed, 2])
    log(f"== {n:,} x {args.dim}-d, M={args.M}, ef_construction={args.ef_construction}")

    load_average = os.getloadavg()[0]
    rss0 = rss_bytes()
    index = VectorIndex(
        args.dim, max_elements=n, M=args.M, ef_construction=args.ef_construction, ef=args.ef[0]
    )
    sample_rows: list[np.ndarray] = []  # a few stored photos, for "more like this" queries
    t0 = time.perf_counter()
    gen_seconds = 0.0
    for start in range(0, n, CHUNK):
        g = time.perf_counter()
        chunk = corpus.chunk(start)
        gen_seconds += time.perf_counter() - g
        pick = rng.choice(len(chunk), max(1, args.queries * len(chunk) // n), replace=False)
        sample_rows.append(chunk[pick])
        index.add(np.arange(start, start + len(chunk)), chunk)
        done = start + len(chunk)
        elapsed = time.perf_counter() - t0 - gen_seconds
        log(f"  built {done:>9,}/{n:,}  {elapsed:7.1f} s  ({done / elapsed:,.0f} vectors/s)")
    build_s = time.perf_counter() - t0 - gen_seconds
    rss_index = rss_bytes() - rss0

    stored = np.concatenate(sample_rows)
    noise = rng.standard_normal(stored.shape).astype(np.float32) / np.sqrt(args.dim)
    like_this = unit(stored + 0.3 * noise)
    text_like = corpus.text_like_queries(len(like_this), rng)
    queries = np.concatenate([like_this, text_like])
    is_text = np.repeat([False, True], [len(like_this), len(text_like)])
    order = rng.permutation(len(queries))[: args.queries]
    queries, is_text = queries[order], is_text[order]

    log("  exact ground truth ...")
    recall_queries = queries[: args.recall_queries]
    recall_is_text = is_text[: args.recall_queries]
    t = time.perf_counter()
    truth = exact_top_k(corpus, recall_queries, args.k)
    brute_s = (time.perf_counter() - t) / len(recall_queries)

    result: dict = {
        "n": n,
        "dim": args.dim,
        "M": args.M,
        "ef_construction": args.ef_construction,
        "build_s": round(build_s, 1),
        "build_vectors_per_s": round(n / build_s),
        "threads": os.cpu_count(),
        "load_average_at_start": round(load_average, 2),  # other work on the machine skews timings
        "rss_delta_mb": round(rss_index / 2**20, 1),
        "brute_force_ms_per_query_batched": round(brute_s * 1000, 2),
        "per_ef": [],
    }
    raw = index._index  # the hnswlib object, to show what the wrapper costs
    for ef in args.ef:
        index.ef = ef
        found, _ = index.search(recall_queries, args.k)
        lat = latencies_ms(lambda q: index.search(q, args.k), queries)
        lat_raw = latencies_ms(lambda q: raw.knn_query(q, k=args.k, num_threads=1), queries)
        row = {
            "ef": ef,
            f"recall@{args.k}": round(recall(found, truth), 4),
            "recall_like_this": round(recall(found[~recall_is_text], truth[~recall_is_text]), 4),
            "recall_text_like": round(recall(found[recall_is_text], truth[recall_is_text]), 4),
            **{k: round(v, 3) for k, v in lat.items()},
            "raw_hnswlib_p50_ms": round(lat_raw["p50_ms"], 3),
        }
        result["per_ef"].append(row)
        log(f"  {row}")
    index.ef = args.ef[0]

    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        path = Path(tmp) / "vectors.hnsw"
        t = time.perf_counter()
        manifest = index.save(path, "bench")
        result["save_s"] = round(time.perf_counter() - t, 2)
        result["file_mb"] = round(manifest.size / 2**20, 1)
        result["file_bytes_per_vector"] = round(manifest.size / n)
        index = raw = None  # free the built index before loading its copy
        t = time.perf_counter()
        loaded = VectorIndex.load(path, dim=args.dim, model="bench", expected=manifest)
        result["load_verified_s"] = round(time.perf_counter() - t, 2)
        found, _ = loaded.search(recall_queries, args.k)
        result["recall_after_load"] = round(recall(found, truth), 4)
        if args.filtered:
            result["filtered"] = bench_filtered(loaded, n, queries[:50], args.k, rng)
    log(f"  {json.dumps(result)}")
    return result


def bench_filtered(
    index: VectorIndex, n: int, queries: np.ndarray, k: int, rng: np.random.Generator
) -> list[dict]:
    """Restricted searches (an album, a folder): exact numpy scoring vs the graph walk."""
    rows = []
    default_factor = vectors_module.EXACT_FACTOR
    for size in (100, 1_000, 10_000):
        if size > n // 2:
            continue
        allowed = set(rng.choice(n, size, replace=False).tolist())
        row: dict = {"allowed": size}
        for name, factor in (("exact", 10**9), ("graph", 0)):
            vectors_module.EXACT_FACTOR = factor
            lat = latencies_ms(lambda q, a=allowed: index.search(q, k, allowed=a), queries, 5)
            row[f"{name}_p50_ms"] = round(lat["p50_ms"], 2)
        rows.append(row)
        log(f"  filtered {row}")
    vectors_module.EXACT_FACTOR = default_factor
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--dim", type=int, default=512)
    parser.add_argument("--M", type=int, default=32, help="as VectorIndex")
    parser.add_argument("--ef-construction", type=int, default=200)
    parser.add_argument("--ef", type=int, nargs="+", default=[100], help="search ef values")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--queries", type=int, default=1000, help="latency queries")
    parser.add_argument("--recall-queries", type=int, default=300)
    parser.add_argument("--filtered", action="store_true", help="also time allowed-set search")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tmp", default=None, help="folder for the saved index")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    results = [bench(n, args) for n in args.sizes]
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
