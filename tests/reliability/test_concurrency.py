"""Searching and tagging from several threads while indexing runs, on one Library.

That is how the window uses it: one Library object, a worker indexing new folders while
other workers search, open similar photos and confirm or reject tags. For the whole run
every answer is checked: no exception, every hit's id and path are in the catalog,
scores sorted best first, no id twice, and never a "database is locked".

A 5-second run is in the default suite; ``-m slow`` runs 30 seconds.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support import scenes

QUERIES = [
    "a red circle",
    "a blue square on a white background",
    "green triangle + black background",
    "yellow - circle",
    "a photo",
    "red circle 2:1 blue square",
]
SEARCH_THREADS = 3
BATCH = 16


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def add(self, what: str) -> None:
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + 1

    def fail(self, what: str) -> None:
        with self.lock:
            self.failures.append(what)


def _catalog_paths(database: Path) -> dict[int, str]:
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT id, path FROM photos"))
    finally:
        conn.close()


def _check_hits(hits, database: Path, limit: int, tally: Tally, what: str) -> None:
    known = _catalog_paths(database)  # read after the search: photos are only ever added
    ids = [h.id for h in hits]
    scores = [h.score for h in hits]
    if len(hits) > limit:
        tally.fail(f"{what}: {len(hits)} hits for limit {limit}")
    if len(set(ids)) != len(ids):
        tally.fail(f"{what}: an id twice: {ids}")
    if scores != sorted(scores, reverse=True):
        tally.fail(f"{what}: scores not sorted: {scores}")
    for hit in hits:
        if known.get(hit.id) != hit.path:
            tally.fail(f"{what}: hit {hit.id} {hit.path!r} is not in the catalog so")
        if not Path(hit.path).is_file():
            tally.fail(f"{what}: hit {hit.path!r} does not exist")


def _guarded(tally: Tally, name: str, stop: threading.Event, step) -> None:
    rng = random.Random(name)
    while not stop.is_set():
        try:
            step(rng)
        except Exception:  # no step can meet a user error here (nothing is ever removed)
            tally.fail(f"{name}: {traceback.format_exc()}")
            stop.set()


def _run(seconds: float, tmp_path: Path, library_factory, indexed) -> Tally:
    photos = tmp_path / "photos"
    shutil.copytree(indexed.photos, photos)
    staging = tmp_path / "staging"
    batches = max(4, int(seconds * 1.5))
    for b in range(batches):
        scenes.write_library(staging / f"batch-{b:03d}", BATCH, seed=1000 + b, size=96)
    home = tmp_path / "catalog"
    library = library_factory(home)
    library.index([photos])  # something to search from the first moment
    database = library.paths.database
    tally = Tally()
    stop = threading.Event()
    names = {x.name for x in library.tagging.labels()}
    red = library.tagging.label("red") if "red" in names else None

    def indexer(_rng: random.Random) -> None:
        done = tally.counts.get("index runs", 0)
        if done < batches:
            shutil.move(staging / f"batch-{done:03d}", photos / f"batch-{done:03d}")
        summary = library.index()
        if summary["errors"]:
            tally.fail(f"indexer: {summary}")
        tally.add("index runs")

    def searcher(rng: random.Random) -> None:
        query = rng.choice(QUERIES)
        limit = rng.choice([1, 5, 20, 100])
        hits = library.search(query, limit=limit)
        _check_hits(hits, database, limit, tally, f"search {query!r}")
        tally.add("searches")
        if hits and rng.random() < 0.3:
            similar = library.similar([hits[0].id], limit=limit)
            _check_hits(similar, database, limit, tally, "similar")
            if hits[0].id in {h.id for h in similar}:
                tally.fail("similar returned its own example")
            tally.add("similar")

    def tagger(rng: random.Random) -> None:
        ids = list(_catalog_paths(database))
        chosen = rng.sample(ids, min(3, len(ids)))
        label = red.name if red else library.tagging.labels()[0].name
        decision = rng.choice(["confirmed", "rejected", None])
        library.tagging.set_decision(chosen, label, decision)
        for photo_id in chosen:
            tags = library.tagging.tags(photo_id)
            if decision is not None and not any(
                t["label"] == label and t["source"] == decision for t in tags
            ):
                tally.fail(f"tagger: decision {decision} on {photo_id} not stored: {tags}")
        library.tagging.label_counts()
        tally.add("tag decisions")

    threads = [threading.Thread(target=_guarded, args=(tally, "indexer", stop, indexer))]
    threads += [
        threading.Thread(target=_guarded, args=(tally, f"searcher-{i}", stop, searcher))
        for i in range(SEARCH_THREADS)
    ]
    threads.append(threading.Thread(target=_guarded, args=(tally, "tagger", stop, tagger)))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive(), "a worker hung"
    elapsed = time.monotonic() - started
    # The catalog is whole, and the index agrees with it after all that.
    index_ids = sorted(library._index_keeper().index().ids().tolist())
    stored = sorted(r[0] for r in library.catalog.read.execute("SELECT photo_id FROM embeddings"))
    if index_ids != stored:
        tally.fail("the vector index and the catalog disagree after the run")
    library.close()
    conn = sqlite3.connect(database)
    if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        tally.fail("integrity_check failed")
    conn.close()
    print(
        f"concurrency: {elapsed:.1f} s, {len(threads)} threads "
        f"({SEARCH_THREADS} searching, 1 indexing, 1 tagging), {tally.counts}"
    )
    return tally


def _assert_clean(tally: Tally) -> None:
    assert tally.failures == [], "\n".join(tally.failures[:5])
    assert tally.counts.get("index runs", 0) >= 2
    assert tally.counts.get("searches", 0) >= 20
    assert tally.counts.get("tag decisions", 0) >= 2


def test_any_error_in_a_worker_fails_the_run():
    """The harness itself: a user error (or a "database is locked") is a failure, not
    a count, and it stops the run."""
    from photoorg.errors import UsageError

    for error in (UsageError("no label called 'red'"), RuntimeError("database is locked")):
        tally, stop = Tally(), threading.Event()

        def step(_rng, error=error):
            raise error

        _guarded(tally, "worker", stop, step)
        assert stop.is_set() and len(tally.failures) == 1
        assert str(error) in tally.failures[0]
        with pytest.raises(AssertionError):
            _assert_clean(tally)


def test_search_and_tag_while_indexing_5s(tmp_path, library_factory, indexed):
    _assert_clean(_run(5, tmp_path, library_factory, indexed))


@pytest.mark.slow
def test_search_and_tag_while_indexing_30s(tmp_path, library_factory, indexed):
    _assert_clean(_run(30, tmp_path, library_factory, indexed))
