"""Crash safety: SIGKILL the indexer at random moments; nothing half-written, no work redone.

``python -m photoorg index PHOTOS --model TINY --catalog C`` runs as a child process and
is killed with SIGKILL (no handler, no cleanup) at a random moment, KILLS times in all,
over a few catalogs (a few kills each, then a run to the end). After every kill, as a
restart would, the test checks:

- ``PRAGMA integrity_check`` is ok and no foreign key dangles;
- no half-written row: every photo row describes its file (size, sha256 of the bytes,
  dimensions) and has its thumbnail; every vector has the model's dimension and unit
  length; no scan error was recorded for a good photo;
- the vector index agrees with the catalog (same ids), either as saved or after the
  automatic repair at the next open (``IndexKeeper``);

and after the final run of each catalog:

- every photo is encoded, the final run's summary says it encoded exactly the photos
  that had no vector yet, and the catalog's change counter shows that no vector was ever
  stored twice (re-encoding a photo would bump it).

Slow (``make test-slow``): about five to eight minutes on two cores.
"""

from __future__ import annotations

import hashlib
import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from photoorg.config import Paths
from photoorg.services.indexing.index_keeper import IndexKeeper
from photoorg.services.repair import thumbnail_ok
from photoorg.store.catalog import Catalog
from photoorg.store.vectors.hnswfile import read_hnsw_file
from tests.reliability import helpers
from tests.support import scenes

PHOTOS = 300
KILLS = 32
KILLS_PER_CATALOG = 4
SEED = 20261122

pytestmark = pytest.mark.slow


def _command(photos: Path, home: Path, model: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "photoorg",
        "index",
        str(photos),
        "--model",
        model,
        "--catalog",
        str(home),
        "--workers",
        "2",
        "--json",
    ]


def _run(photos: Path, home: Path, model: str) -> tuple[dict, float]:
    started = time.monotonic()
    done = subprocess.run(
        _command(photos, home, model),
        cwd=helpers.REPO,
        env=helpers.child_env(),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout), time.monotonic() - started


def _model_loaded(pid: int) -> bool:
    """Whether the child has mapped the model's weights: start-up is over, work begins."""
    try:
        return "safetensors" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def _kill_at(photos: Path, home: Path, model: str, delay: float, after_start: bool) -> bool:
    """Start an index run and SIGKILL it ``delay`` s after it starts (``after_start``:
    after it has loaded the model, so the kill lands in the work, not in the imports).
    False if it finished first."""
    child = subprocess.Popen(
        _command(photos, home, model),
        cwd=helpers.REPO,
        env=helpers.child_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    if after_start and Path("/proc").is_dir():
        while child.poll() is None and not _model_loaded(child.pid):
            time.sleep(0.02)
    try:
        _, err = child.communicate(timeout=delay)
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.communicate()
        return True
    assert child.returncode == 0, err.decode()[-3000:]
    return False


def _embedded(database: Path) -> int:
    if not database.exists():
        return 0
    try:
        return helpers.scalar(database, "SELECT count(*) FROM embeddings")
    except sqlite3.OperationalError:  # killed before the schema was made
        return 0


def _check_after_crash(home: Path, photos: Path, model: str, facts: Counter) -> None:
    database = home / "catalog.sqlite3"
    if not database.exists():
        facts["killed before the catalog existed"] += 1
        return
    assert helpers.integrity(database) == {"integrity": ["ok"], "orphans": []}
    with Catalog(database) as catalog:  # what the restart does first: open (and migrate)
        db = catalog.read
        rows = db.execute(
            "SELECT id, path, size, mtime_ns, sha256, width, height FROM photos"
        ).fetchall()
        for _id, path, size, mtime_ns, sha256, width, height in rows:
            file = Path(path)
            assert file.parent == photos and file.stat().st_size == size
            assert file.stat().st_mtime_ns == mtime_ns
            assert hashlib.sha256(file.read_bytes()).hexdigest() == sha256
            assert width > 0 and height > 0
            assert thumbnail_ok(Paths(home).thumbnail(sha256)), path
        assert db.execute("SELECT count(*) FROM scan_errors").fetchone()[0] == 0
        vectors = db.execute("SELECT photo_id, model, vector FROM embeddings").fetchall()
        dims = set()
        for _photo, vector_model, blob in vectors:
            assert vector_model == model
            vector = np.frombuffer(blob, np.float32)
            dims.add(len(vector))
            assert np.isfinite(vector).all() and abs(float(vector @ vector) - 1) < 1e-3
        assert len(dims) <= 1
        stored = sorted(r[0] for r in vectors)
        facts[f"photos catalogued at the kill: {len(rows) // 50 * 50:3d}-"] += 1
        phase = (
            "scanning"
            if len(rows) < PHOTOS
            else "encoding"
            if len(vectors) < PHOTOS
            else "saving the index / tagging"
        )
        facts[f"killed while {phase}"] += 1
        if not dims:
            return
        dim = dims.pop()
        keeper = IndexKeeper(catalog, Paths(home), model, dim)
        facts[_index_file_state(keeper, stored)] += 1
        # At the restart: loaded if its manifest matches (else set aside and rebuilt),
        # then brought in step with the catalog. Either way: exactly the catalog's ids.
        assert sorted(keeper.index().ids().tolist()) == stored
        if keeper.notice:
            facts["index: set aside and rebuilt at restart"] += 1
        again = IndexKeeper(catalog, Paths(home), model, keeper.dim)
        assert sorted(again.index().ids().tolist()) == stored and again.notice is None


def _index_file_state(keeper: IndexKeeper, stored: list[int]) -> str:
    """How the index file left by the kill compares with the catalog, before repair."""
    if not keeper.file.exists():
        return "index: no file yet (built at restart)"
    try:
        info = read_hnsw_file(keeper.file, dim=keeper.dim)
    except (OSError, ValueError):
        return "index: file unreadable (rebuilt at restart)"
    live = sorted(info.labels[~info.deleted].tolist())
    if live == stored:
        return "index: file agreed with the catalog"
    return "index: file behind the catalog (brought in step at restart)"


def test_sigkill_during_scan_and_encode(tmp_path, model_spec):
    photos = tmp_path / "photos"
    scenes.write_library(photos, PHOTOS, seed=SEED % 1000, size=256)
    # Calibration: the first run also compiles every module's bytecode, so it is timed
    # only for the second full run and a run with nothing to do (start-up alone).
    _run(photos, tmp_path / "warm-up", model_spec)
    summary, full = _run(photos, tmp_path / "calibration", model_spec)
    assert summary["added"] == summary["encoded"] == PHOTOS
    _, startup = _run(photos, tmp_path / "calibration", model_spec)
    work = max(full - startup, 1.0)
    print(f"\ncalibration: full run {full:.1f} s, start-up {startup:.1f} s", flush=True)
    rng = random.Random(SEED)
    facts: Counter = Counter()
    kills = finished_first = catalogs = 0
    started = time.monotonic()
    while kills < KILLS:
        home = tmp_path / f"catalog-{catalogs}"
        catalogs += 1
        for _ in range(KILLS_PER_CATALOG):
            if kills >= KILLS:
                break
            # One kill in eight lands in the start-up (imports, opening the catalog, loading
            # the model); the others anywhere in what is left of the work.
            during_start = rng.random() < 1 / 8
            left = (PHOTOS - _embedded(home / "catalog.sqlite3")) / PHOTOS
            delay = (
                rng.uniform(0.2, startup)
                if during_start
                else rng.uniform(0.0, work * max(left, 0.15))
            )
            begun = time.monotonic()
            killed = _kill_at(photos, home, model_spec, delay, after_start=not during_start)
            when = "from the start" if during_start else "after loading the model"
            print(
                f"  {home.name}: {'killed' if killed else 'finished'} after "
                f"{time.monotonic() - begun:.1f} s (aimed at {delay:.1f} s {when})",
                flush=True,
            )
            if killed:
                kills += 1
            else:
                finished_first += 1
            _check_after_crash(home, photos, model_spec, facts)
        # Restart and let it finish: it encodes exactly what is missing, nothing twice.
        missing = PHOTOS - _embedded(home / "catalog.sqlite3")
        summary, _ = _run(photos, home, model_spec)
        assert summary["errors"] == 0
        assert summary["encoded"] == missing, (summary, missing)
        database = home / "catalog.sqlite3"
        assert _embedded(database) == PHOTOS
        stored_once = helpers.scalar(
            database, "SELECT value FROM counters WHERE name = 'embeddings'"
        )
        assert stored_once == PHOTOS, "a vector was stored twice: some photo was re-encoded"
        _check_after_crash(home, photos, model_spec, Counter())
        leftovers = list(home.rglob("*.tmp"))
        facts["temp files left by kills (harmless)"] += len(leftovers)
    elapsed = time.monotonic() - started
    print(
        f"\ncrash safety: {kills} SIGKILLs survived over {catalogs} catalogs of {PHOTOS} photos "
        f"({finished_first} runs finished before their kill), {elapsed:.0f} s; "
        f"full run {full:.1f} s, start-up {startup:.1f} s"
    )
    for fact, count in sorted(facts.items(), key=str):
        print(f"  {fact}: {count}")
    assert kills >= KILLS
