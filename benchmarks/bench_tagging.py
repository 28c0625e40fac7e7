"""Re-tagging speed: N photos x L labels through ``Library.tagging.tag``.

A real catalog is built through the store layer: N photos with random normalised
float32 embeddings (one per photo, as the encoder stores them) and L labels whose
prompt embeddings are random normalised vectors put into the prompt-embedding cache, so
no model is loaded (the text tower's cost is per edited prompt, not per photo, and is
measured by the search benchmarks). Thresholds are set so each label tags about 2% of
the photos (about 4 tags a photo for 200 labels, 400,000 tags in all).

Timed, in one process:
  cold      first tag: vectors read from SQLite, every tag inserted
  warm      re-tag with nothing changed: the product, thresholds, the diff, no writes
  edit      one label's prompt edited: its tags rewritten, nothing re-encoded
  reread    re-tag after the in-memory matrix was dropped (what SQLite costs)
and, for the warm case, its parts: the product alone, reading the tags back.

With ``--auto`` the labels have automatic thresholds instead (read off the library,
plus the neutral-prompt baseline each tag must beat: one more column of the product).

    python benchmarks/bench_tagging.py [--photos 100000] [--labels 200] [--dim 512] [--auto]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import fake_library
from photoorg.model.label import Label
from photoorg.services.library import Library
from photoorg.services.tagging.learning import NEUTRAL_PROMPTS
from photoorg.store import embeddings
from photoorg.store import labels as label_store
from photoorg.store import prompt_vectors as prompt_store
from photoorg.store import tags as tag_store

MODEL = "local-dir:/nonexistent/bench-model"  # never loaded: every prompt is cached


def unit(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    x = rng.standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def build(home: Path, n: int, labels: int, dim: int, threshold: float | None) -> Library:
    rng = np.random.default_rng(0)
    library = Library(home, model=MODEL)
    model_id = library.model_name_id()
    with library.catalog.write() as db:
        ids = fake_library.add_photos(db, n)
        for start in range(0, n, 10_000):
            chunk = ids[start : start + 10_000]
            embeddings.save(db, model_id, chunk, unit(rng, len(chunk), dim))
        db.execute("INSERT INTO settings(key, value) VALUES ('labels:defaults', '1')")
        texts = []
        for k in range(labels):
            label = Label(name=f"label{k:03d}", prompts=("a photo of a {}.",), threshold=threshold)
            label_store.insert_label(db, label)
            texts += label.texts()
        texts += NEUTRAL_PROMPTS
        prompt_store.save_text_vectors(db, model_id, texts, unit(rng, len(texts), dim))
    return library


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def cpu_timed(fn):
    """Wall and CPU seconds (on a busy machine, CPU time bounds the idle wall time)."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--labels", type=int, default=200)
    parser.add_argument("--dim", type=int, default=512)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="also write the figures here")
    parser.add_argument("--auto", action="store_true", help="automatic thresholds")
    args = parser.parse_args()
    # Random unit vectors in d dimensions have cosines ~ N(0, 1/sqrt(d)): 2.05 sd -> 2%.
    threshold = None if args.auto else 2.054 / np.sqrt(args.dim)

    with tempfile.TemporaryDirectory(prefix="bench-tagging-") as tmp:
        t_build, library = timed(
            lambda: build(Path(tmp), args.photos, args.labels, args.dim, threshold)
        )
        tagging = library.tagging
        t_cold, cold = timed(lambda: tagging.tag())
        tags = sum(r["total"] for r in cold.values())
        warm_runs = [cpu_timed(lambda: tagging.tag()) for _ in range(args.repeat)]
        warm = [w for w, _ in warm_runs]
        warm_cpu = min(c for _, c in warm_runs)
        load = os.getloadavg()[0]

        snapshot = tagging._snapshot()
        label_matrix = np.stack(
            [
                np.asarray(v)
                for v in prompt_store.text_vectors(
                    library.catalog.read,
                    snapshot.model,
                    [f"a photo of a label{k:03d}." for k in range(args.labels)],
                    args.dim,
                ).values()
            ]
        )
        product = [timed(lambda: snapshot.matrix @ label_matrix.T)[0] for _ in range(args.repeat)]
        read_tags = [
            timed(lambda: tag_store.all_tags(library.catalog.read))[0] for _ in range(args.repeat)
        ]

        edits = []
        for k in range(args.repeat):
            label = tagging.label("label000")
            new_prompt = f"a picture of a {{}} #{k}."
            vector = unit(np.random.default_rng(100 + k), 1, args.dim)
            with library.catalog.write() as db:
                prompt_store.save_text_vectors(
                    db, snapshot.model, [new_prompt.replace("{}", "label000")], vector
                )
            tagging.update_label("label000", Label(**{**label.__dict__, "prompts": (new_prompt,)}))
            seconds, result = timed(lambda: tagging.tag())
            edits.append((seconds, result["label000"]["added"] + result["label000"]["removed"]))

        tagging.matrix.invalidate()
        t_reread, _ = timed(lambda: tagging.tag())
        library.close()

    figures = {
        "photos": args.photos,
        "labels": args.labels,
        "dim": args.dim,
        "thresholds": "auto" if args.auto else "fixed",
        "tags": tags,
        "cpu_count": os.cpu_count(),
        "build_s": round(t_build, 2),
        "cold_s": round(t_cold, 3),
        "warm_s": round(min(warm), 3),
        "warm_cpu_s": round(warm_cpu, 3),
        "load_average": round(load, 2),
        "edit_one_label_s": round(min(e[0] for e in edits), 3),
        "edit_changed_tags": edits[0][1],
        "reread_from_sqlite_s": round(t_reread, 3),
        "warm_parts": {
            "matrix_product_s": round(min(product), 3),
            "read_tags_s": round(min(read_tags), 3),
        },
    }
    print(
        f"{args.photos:,} photos x {args.labels} labels ({args.dim}-d), {tags:,} tags, "
        f"{os.cpu_count()} cores"
    )
    print(f"  first tag (read vectors, insert all tags)  {t_cold:7.3f} s")
    print(f"  re-tag, nothing changed                    {min(warm):7.3f} s   <- the 1 s budget")
    print(
        f"     its CPU time (all threads)               {warm_cpu:7.3f} s   "
        f"(load average {load:.1f})"
    )
    print(f"     of which the matrix product              {min(product):7.3f} s")
    print(f"     of which reading current tags            {min(read_tags):7.3f} s")
    print(
        f"  re-tag after editing one prompt            {min(e[0] for e in edits):7.3f} s   "
        f"({edits[0][1]:,} tags changed)"
    )
    print(f"  re-tag, vectors re-read from SQLite        {t_reread:7.3f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
