"""The HNSW vector index: search quality, mutations, atomic saves, refusing bad files.

No damaged file is ever handed to hnswlib here: its loader trusts the file and a crafted
one can corrupt the heap, which would take the whole test run down instead of failing a
test. Damaged files are stopped by the checksum (the normal path) or by the layout check
(tests that forge a matching manifest do so with hnswlib's loader replaced by a tripwire).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import struct
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from photoorg.errors import PhotoOrgError
from photoorg.store.vectors import index as vectors_module
from photoorg.store.vectors.exact import exact_search
from photoorg.store.vectors.hnswfile import HEADER_SIZE, HnswFormatError, read_hnsw_file
from photoorg.store.vectors.index import IndexFileError, IndexManifest, VectorIndex

DIM = 64
MODEL = "ViT-B-32:laion2b_s34b_b79k"


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def clustered(n: int, dim: int = DIM, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors in clusters of uneven size and spread, as photo embeddings come
    (many near-duplicates, a few big themes); uniform random vectors are an easier and
    less realistic test for a graph index."""
    rng = np.random.default_rng(seed)
    n_clusters = max(4, n // 100)
    centres = unit(rng.standard_normal((n_clusters, dim)))
    weights = 1 / np.sqrt(np.arange(1, n_clusters + 1))
    which = rng.choice(n_clusters, n, p=weights / weights.sum())
    spread = rng.uniform(0.3, 0.9, n_clusters)
    noise = rng.standard_normal((n, dim)) / np.sqrt(dim)
    return unit(centres[which] + spread[which, None] * noise), centres


def realistic_queries(data: np.ndarray, centres: np.ndarray, n: int, seed: int) -> np.ndarray:
    """Half: stored photos, perturbed ("more like this"); half: directions near a cluster
    that match no stored photo exactly (a text query lands near, not on, its photos)."""
    rng = np.random.default_rng(seed)
    dim = data.shape[1]
    near_photos = data[rng.choice(len(data), n // 2)] + 0.1 * rng.standard_normal(
        (n // 2, dim)
    ) / np.sqrt(dim)
    near_centres = centres[rng.choice(len(centres), n - n // 2)] + 0.5 * rng.standard_normal(
        (n - n // 2, dim)
    ) / np.sqrt(dim)
    return unit(np.concatenate([near_photos, near_centres]))


def exact_top(data: np.ndarray, ids: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    scores = queries @ data.T
    return ids[np.argsort(-scores, axis=1, kind="stable")[:, :k]]


@pytest.fixture(scope="module")
def corpus() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    data, centres = clustered(5000, seed=1)
    ids = np.arange(5000, dtype=np.int64) * 3 + 11  # photo ids are sparse, not 0..n-1
    return ids, data, centres


@pytest.fixture(scope="module")
def big(corpus: tuple[np.ndarray, np.ndarray, np.ndarray]) -> VectorIndex:
    """Built once; tests that use it must not change it."""
    ids, data, _ = corpus
    return VectorIndex.build(ids, data)


def small(n: int = 50, *, seed: int = 2, **kwargs: object) -> tuple[VectorIndex, np.ndarray]:
    data, _ = clustered(n, seed=seed)
    return VectorIndex.build(np.arange(n), data, **kwargs), data


# -- searching ---------------------------------------------------------------------


def test_each_photo_finds_itself_first_with_cosine_scores(
    big: VectorIndex, corpus: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> None:
    ids, data, _ = corpus
    found, scores = big.search(data[:100], 5)
    assert found.dtype == np.int64
    assert scores.dtype == np.float32
    assert found.shape == scores.shape == (100, 5)
    np.testing.assert_array_equal(found[:, 0], ids[:100])
    np.testing.assert_allclose(scores[:, 0], 1.0, atol=1e-5)
    # Scores are the cosine similarities, best first.
    position = {int(i): n for n, i in enumerate(ids)}
    expected = np.array(
        [[data[r] @ data[position[int(i)]] for i in row] for r, row in enumerate(found)]
    )
    np.testing.assert_allclose(scores, expected, atol=1e-5)
    assert np.all(np.diff(scores, axis=1) <= 1e-6)


def test_recall_at_10_against_brute_force(
    big: VectorIndex, corpus: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> None:
    ids, data, centres = corpus
    queries = realistic_queries(data, centres, 400, seed=3)
    found, _ = big.search(queries, 10)
    truth = exact_top(data, ids, queries, 10)
    recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)])
    assert recall >= 0.99, recall


def test_single_vector_query_and_unnormalised_input(big: VectorIndex) -> None:
    query = np.random.default_rng(4).standard_normal(DIM) * 7.0  # not unit length
    found, scores = big.search(query, 3)
    assert found.shape == (1, 3)
    assert np.all(scores <= 1.0)
    assert np.all(scores >= -1.0)


def test_k_is_clamped_to_live_elements() -> None:
    index, data = small(5)
    found, scores = index.search(data[:2], 50)
    assert found.shape == scores.shape == (2, 5)
    index.remove([0, 1])
    found, _ = index.search(data[:2], 50)
    assert found.shape == (2, 3)
    assert set(found.ravel()) == {2, 3, 4}
    assert index.search(data[:2], 0)[0].shape == (2, 0)


def test_empty_index_gives_empty_results() -> None:
    index = VectorIndex(DIM)
    found, scores = index.search(unit(np.ones((3, DIM))), 10)
    assert found.shape == scores.shape == (3, 0)
    assert len(index) == 0
    assert index.ids().size == 0


def test_per_call_ef_below_k_still_returns_k(big: VectorIndex) -> None:
    query = unit(np.ones(DIM))
    found, _ = big.search(query, 40, ef=5)
    assert found.shape == (1, 40)
    assert len(set(found[0])) == 40
    wide, _ = big.search(query, 10, ef=400)
    assert wide.shape == (1, 10)


@pytest.mark.parametrize("path", ["exact", "graph"])
def test_allowed_set_restricts_results(
    big: VectorIndex,
    corpus: tuple[np.ndarray, np.ndarray, np.ndarray],
    monkeypatch: pytest.MonkeyPatch,
    path: str,
) -> None:
    ids, data, centres = corpus
    # Force one of the two strategies: exact numpy scoring or hnswlib's filtered walk.
    monkeypatch.setattr(vectors_module, "EXACT_FACTOR", 10**9 if path == "exact" else 0)
    rng = np.random.default_rng(5)
    chosen = rng.choice(len(ids), 1500, replace=False)
    allowed = set(ids[chosen].tolist()) | {10**12}  # includes an id not in the index
    queries = realistic_queries(data, centres, 20, seed=6)
    found, _ = big.search(queries, 10, allowed=allowed)
    assert found.shape == (20, 10)
    assert set(found.ravel()) <= allowed
    truth = exact_top(data[chosen], ids[chosen], queries, 10)
    recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)])
    assert recall >= 0.95, recall


def test_allowed_callable_and_too_few_matches(big: VectorIndex) -> None:
    query = unit(np.ones(DIM))
    found, _ = big.search(query, 10, allowed=lambda i: i % 2 == 0)
    assert found.shape == (1, 10)
    assert all(i % 2 == 0 for i in found[0])
    # Only three photos pass: hnswlib cannot fill k=10 and raises; we fall back.
    few = {11, 14, 17}
    found, _ = big.search(query, 10, allowed=few.__contains__)
    assert sorted(found[0]) == [11, 14, 17]
    found, _ = big.search(query, 10, allowed=few)
    assert sorted(found[0]) == [11, 14, 17]
    assert big.search(query, 10, allowed=set())[0].shape == (1, 0)


def test_exact_search_on_vectors_the_caller_holds(
    corpus: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    ids, data, centres = corpus
    queries = realistic_queries(data, centres, 7, seed=18)
    found, scores = exact_search(queries, ids[:300], data[:300], 5)
    np.testing.assert_array_equal(found, exact_top(data[:300], ids[:300], queries, 5))
    assert scores.dtype == np.float32
    assert np.all(np.diff(scores, axis=1) <= 0)
    assert exact_search(queries, ids[:3], data[:3], 5)[0].shape == (7, 3)
    assert exact_search(queries, ids[:0], data[:0], 5)[0].shape == (7, 0)


def test_bad_input_is_refused() -> None:
    index, data = small(5)
    with pytest.raises(ValueError, match="dimension"):
        index.search(np.ones((1, DIM + 1)), 3)
    with pytest.raises(ValueError, match="finite"):
        index.add([9], np.full((1, DIM), np.nan))
    with pytest.raises(ValueError, match="finite and non-zero"):
        index.add([9], np.zeros((1, DIM)))
    with pytest.raises(ValueError, match="negative"):
        index.add([-1], data[:1])
    with pytest.raises(ValueError, match="ids for"):
        index.add([1, 2], data[:1])
    assert len(index) == 5


# -- changing the index ------------------------------------------------------------


def test_remove_hides_ids_and_ignores_unknown_or_repeated() -> None:
    index, data = small(50)
    index.remove([3, 4])
    index.remove([3, 999, 4])  # hnswlib itself raises on both
    index.remove(3)
    assert len(index) == 48
    assert index.deleted_count == 2
    assert 3 not in index
    assert 5 in index
    found, _ = index.search(data[3], 48)
    assert 3 not in found
    assert 4 not in found
    assert set(index.ids().tolist()) == set(range(50)) - {3, 4}


def test_readding_a_removed_id_brings_it_back_with_the_new_vector() -> None:
    index, data = small(50)
    index.remove([7])
    replacement = unit(data[7] + data[20])  # a different vector under the same id
    index.add([7], replacement[None, :])
    assert 7 in index
    assert len(index) == 50
    assert index.deleted_count == 0
    found, scores = index.search(replacement, 1)
    assert found[0, 0] == 7
    assert scores[0, 0] == pytest.approx(1.0, abs=1e-5)


def test_readding_a_live_id_replaces_its_vector() -> None:
    index, data = small(50)
    new = unit(-data[0])
    index.add([0], new[None, :])
    assert len(index) == 50
    found, scores = index.search(new, 1)
    assert found[0, 0] == 0
    assert scores[0, 0] == pytest.approx(1.0, abs=1e-5)
    _, old_scores = index.search(data[0], 50, allowed={0})
    assert old_scores[0, 0] == pytest.approx(-1.0, abs=1e-5)


def test_duplicate_ids_in_one_batch_keep_the_last() -> None:
    data, _ = clustered(3, seed=8)
    index = VectorIndex(DIM)
    index.add([5, 5, 6], data)
    assert len(index) == 2
    found, _ = index.search(data[1], 1)
    assert found[0, 0] == 5


def test_grows_past_capacity() -> None:
    data, _ = clustered(1200, seed=9)
    index = VectorIndex(DIM, max_elements=10)
    for start in range(0, 1200, 100):
        index.add(np.arange(start, start + 100), data[start : start + 100])
    assert len(index) == 1200
    assert index.capacity >= 1200
    found, _ = index.search(data[::100], 1)
    np.testing.assert_array_equal(found[:, 0], np.arange(0, 1200, 100))


# -- saving and loading -------------------------------------------------------------


def test_save_load_round_trip_gives_identical_results(
    big: VectorIndex, corpus: tuple[np.ndarray, np.ndarray, np.ndarray], tmp_path: Path
) -> None:
    ids, data, centres = corpus
    manifest = big.save(tmp_path / "vectors.hnsw", MODEL)
    assert manifest.count == len(ids)
    assert manifest.deleted == 0
    assert manifest.dim == DIM
    assert manifest.size == (tmp_path / "vectors.hnsw").stat().st_size
    stored = IndexManifest.from_dict(manifest.to_dict())  # as kept in the catalog
    loaded = VectorIndex.load(tmp_path / "vectors.hnsw", dim=DIM, model=MODEL, expected=stored)
    assert loaded.ef == big.ef  # hnswlib alone would come back with ef=10
    queries = realistic_queries(data, centres, 100, seed=10)
    before = big.search(queries, 10)
    after = loaded.search(queries, 10)
    np.testing.assert_array_equal(before[0], after[0])
    np.testing.assert_array_equal(before[1], after[1])
    np.testing.assert_array_equal(loaded.ids(), big.ids())
    assert list(tmp_path.iterdir()) == [tmp_path / "vectors.hnsw"]  # no temp file left


def test_round_trip_keeps_deletions_and_accepts_new_adds(tmp_path: Path) -> None:
    index, data = small(60)
    index.remove([1, 2, 3])
    manifest = index.save(tmp_path / "i.hnsw", MODEL)
    assert (manifest.count, manifest.deleted, manifest.live) == (60, 3, 57)
    loaded = VectorIndex.load(tmp_path / "i.hnsw", dim=DIM, model=MODEL, expected=manifest)
    assert len(loaded) == 57
    assert 2 not in loaded
    loaded.remove([2])  # already deleted in the file: ignored, not an hnswlib error
    extra, _ = clustered(30, seed=11)
    loaded.add(np.arange(100, 130), extra)  # loaded at capacity = count: must grow
    loaded.add([1], data[1:2])
    assert len(loaded) == 88
    assert loaded.search(data[1], 1)[0][0, 0] == 1


def test_empty_index_round_trip(tmp_path: Path) -> None:
    manifest = VectorIndex(DIM).save(tmp_path / "e.hnsw", MODEL)
    loaded = VectorIndex.load(tmp_path / "e.hnsw", dim=DIM, model=MODEL, expected=manifest)
    assert len(loaded) == 0
    data, _ = clustered(3, seed=12)
    loaded.add([1, 2, 3], data)
    assert loaded.search(data[0], 1)[0][0, 0] == 1


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, IndexManifest, bytes]:
    index, _ = small(300, seed=13)
    index.remove([5])
    path = tmp_path / "vectors.hnsw"
    manifest = index.save(path, MODEL)
    return path, manifest, path.read_bytes()


def _failing(*args: object, **kwargs: object) -> None:
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("where", ["hash_file", "replace"])
def test_failed_save_leaves_the_previous_file_intact(
    saved: tuple[Path, IndexManifest, bytes], monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    path, manifest, good = saved
    other, _ = small(100, seed=14)
    if where == "replace":
        monkeypatch.setattr(vectors_module.os, "replace", _failing)
    else:
        monkeypatch.setattr(vectors_module, where, _failing)
    with pytest.raises(IndexFileError, match="No space left"):
        other.save(path, MODEL)
    assert path.read_bytes() == good
    assert list(path.parent.iterdir()) == [path]
    monkeypatch.undo()
    VectorIndex.load(path, dim=DIM, model=MODEL, expected=manifest)


def test_a_save_removes_what_a_killed_save_left_behind(tmp_path: Path) -> None:
    """A process killed mid-save leaves its temporary file; a later save deletes it once
    it is clearly abandoned, and leaves a young one (another process's save) alone."""
    index, _ = small(20)
    path = tmp_path / "vectors.hnsw"
    abandoned = tmp_path / ".vectors.hnsw.killed.tmp"
    recent = tmp_path / ".vectors.hnsw.busy.tmp"
    for leftover in (abandoned, recent):
        leftover.write_bytes(b"half an index")
    old = time.time() - vectors_module.STALE_TEMPORARY_S - 60
    os.utime(abandoned, (old, old))
    index.save(path, MODEL)
    assert sorted(p.name for p in tmp_path.iterdir()) == [recent.name, path.name]


class _ShortWriter:
    """Stands in for hnswlib.Index and, like hnswlib on a full disk, writes a short file
    without reporting an error."""

    def __init__(self, real: object) -> None:
        self._real = real

    def save_index(self, name: str) -> None:
        self._real.save_index(name)  # type: ignore[attr-defined]
        with open(name, "r+b") as f:
            f.truncate(os.path.getsize(name) // 2)

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)


def test_silently_short_hnswlib_write_is_caught(saved: tuple[Path, IndexManifest, bytes]) -> None:
    path, _, good = saved
    other, _ = small(100, seed=15)
    other._index = _ShortWriter(other._index)
    with pytest.raises(IndexFileError, match=r"too short|ends early"):
        other.save(path, MODEL)
    assert path.read_bytes() == good


def test_save_into_missing_folder_is_an_index_error(tmp_path: Path) -> None:
    index, _ = small(5)
    with pytest.raises(IndexFileError):
        index.save(tmp_path / "missing" / "i.hnsw", MODEL)


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def _flip_bit(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x10]) + data[at + 1 :]


DAMAGE = {
    "truncated": lambda good: good[: len(good) // 2],
    "one byte short": lambda good: good[:-1],
    "bit flip in header": lambda good: _flip_bit(good, 16),
    "bit flip in links": lambda good: _flip_bit(good, HEADER_SIZE + 6),
    "bit flip at the end": lambda good: _flip_bit(good, len(good) - 1),
    "zeroed": lambda good: bytes(len(good)),
    "empty": lambda good: b"",
    "appended": lambda good: good + b"\0" * 8,
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_file_is_refused_by_size_or_checksum(
    saved: tuple[Path, IndexManifest, bytes], damage: str
) -> None:
    path, manifest, good = saved
    _write(path, DAMAGE[damage](good))
    with pytest.raises(IndexFileError, match=r"bytes|checksum"):
        VectorIndex.load(path, dim=DIM, model=MODEL, expected=manifest)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    manifest = IndexManifest("0" * 64, 100, 1, 0, DIM, MODEL)
    with pytest.raises(IndexFileError, match="missing"):
        VectorIndex.load(tmp_path / "nope.hnsw", dim=DIM, model=MODEL, expected=manifest)
    assert issubclass(IndexFileError, PhotoOrgError)


@pytest.mark.parametrize(
    ("change", "load_dim", "load_model", "message"),
    [
        ({"count": 299}, DIM, MODEL, "elements"),
        ({"deleted": 0}, DIM, MODEL, "elements"),
        ({}, DIM, "other-model", "model"),
        ({"model": "other-model"}, DIM, MODEL, "model"),
        ({}, 32, MODEL, "64-d"),
        ({"size": 10**12}, DIM, MODEL, "bytes"),
    ],
)
def test_manifest_mismatch_is_refused(
    saved: tuple[Path, IndexManifest, bytes],
    change: dict,
    load_dim: int,
    load_model: str,
    message: str,
) -> None:
    path, manifest, _ = saved
    expected = dataclasses.replace(manifest, **change)
    with pytest.raises(IndexFileError, match=message):
        VectorIndex.load(path, dim=load_dim, model=load_model, expected=expected)


def test_incomplete_stored_manifest_is_an_index_error() -> None:
    with pytest.raises(IndexFileError):
        IndexManifest.from_dict({"sha256": "x", "size": "many"})


# -- defence in depth: a manifest that matches a damaged file ------------------------


class _Tripwire:
    """Replaces hnswlib.Index in the module under test: reaching its loader is a failure."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def load_index(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("a damaged file reached hnswlib.load_index")


def _manifest_matching(path: Path, like: IndexManifest) -> IndexManifest:
    data = path.read_bytes()
    return dataclasses.replace(like, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def _set_u64(data: bytes, at: int, value: int) -> bytes:
    return data[:at] + struct.pack("<Q", value) + data[at + 8 :]


def _set_u32(data: bytes, at: int, value: int) -> bytes:
    return data[:at] + struct.pack("<I", value) + data[at + 4 :]


def _layout(good: bytes) -> tuple[int, int]:
    count, row = struct.unpack_from("<2Q", good, 16)
    return count, row


def _link_to_an_element_below_the_level(good: bytes) -> bytes:
    """Point a level-1 link at an element that lives on level 0 only: every number is in
    range, but hnswlib would follow a null pointer (found by fuzzing)."""
    count, row = _layout(good)
    tail = HEADER_SIZE + count * row
    pos, sizes = tail, []
    for _ in range(count):
        (size,) = struct.unpack_from("<I", good, pos)
        sizes.append((pos, size))
        pos += 4 + size
    ground = next(i for i, (_, size) in enumerate(sizes) if size == 0)
    first_tall = next(at for at, size in sizes if size > 0)
    # Level-1 block: u32 header (neighbour count), then the neighbour ids.
    return _set_u32(good, first_tall + 4 + 4, ground)


FORGED = {
    "count above the data": lambda g: _set_u64(g, 16, _layout(g)[0] + 1000),
    "huge capacity below count": lambda g: _set_u64(g, 8, 1),
    "element size": lambda g: _set_u64(g, 24, _layout(g)[1] + 4),
    "label offset": lambda g: _set_u64(g, 32, 12),
    "M": lambda g: _set_u64(g, 72, 10**9),
    "level multiplier": lambda g: _set_u64(g, 80, 10**9),
    "entry point": lambda g: _set_u32(g, 52, 0xFFFFFFF0),
    "top level": lambda g: g[:48] + struct.pack("<i", 10**6) + g[52:],
    "neighbour count": lambda g: g[:HEADER_SIZE] + b"\xff\xff" + g[HEADER_SIZE + 2 :],
    "neighbour id": lambda g: _set_u32(g, HEADER_SIZE + 4, 0x7FFFFFFF),
    "upper link to a short element": _link_to_an_element_below_the_level,
    "upper link size": lambda g: _set_u32(g, HEADER_SIZE + _layout(g)[0] * _layout(g)[1], 7),
    "appended": lambda g: g + b"\0\0\0\0",
    "truncated": lambda g: g[:-4],
    "dim": lambda g: g,  # an intact 64-d file loaded as 32-d (hnswlib never checks)
}


@pytest.mark.parametrize("forgery", FORGED)
def test_layout_check_stops_forged_files_before_hnswlib(
    saved: tuple[Path, IndexManifest, bytes], monkeypatch: pytest.MonkeyPatch, forgery: str
) -> None:
    path, manifest, good = saved
    _write(path, FORGED[forgery](good))
    dim = 32 if forgery == "dim" else DIM
    expected = dataclasses.replace(_manifest_matching(path, manifest), dim=dim)
    monkeypatch.setattr(vectors_module.hnswlib, "Index", _Tripwire)
    with pytest.raises(IndexFileError, match="cannot read"):
        VectorIndex.load(path, dim=dim, model=MODEL, expected=expected)


def test_layout_check_never_fails_uncontrolled_on_random_damage(
    saved: tuple[Path, IndexManifest, bytes], tmp_path: Path
) -> None:
    """Random bit flips anywhere: the checker either rejects the file with its own error
    or accepts it (a flip in vector data or a label is structurally harmless)."""
    _, _, good = saved
    rng = np.random.default_rng(16)
    target = tmp_path / "fuzz.hnsw"
    header_rejected = 0
    for _ in range(150):
        data = bytearray(good)
        for at in rng.integers(0, len(good), size=rng.integers(1, 4)):
            data[at] ^= 1 << int(rng.integers(0, 8))
        target.write_bytes(bytes(data))
        try:
            read_hnsw_file(target, dim=DIM)
        except HnswFormatError:
            header_rejected += 1
    # Header fields, neighbour counts and ids are a few percent of the file.
    assert header_rejected > 0


# -- threads -----------------------------------------------------------------------


def test_concurrent_searches_with_adds_removes_and_saves(tmp_path: Path) -> None:
    data, _ = clustered(4000, dim=32, seed=17)
    index = VectorIndex.build(np.arange(1000), data[:1000], max_elements=1000, ef=50)
    ever_added = set(range(4000))
    errors: list[BaseException] = []
    stop = threading.Event()
    searches = [0]

    def searcher(seed: int) -> None:
        rng = np.random.default_rng(seed)
        try:
            while not stop.is_set():
                query = data[rng.integers(0, 4000)]
                allowed = set(rng.integers(0, 4000, 200).tolist()) if rng.random() < 0.2 else None
                found, scores = index.search(query, 10, allowed=allowed)
                assert found.shape[1] <= 10
                assert set(found.ravel().tolist()) <= (allowed or ever_added)
                assert np.all(np.diff(scores, axis=1) <= 1e-6)
                searches[0] += 1
        except BaseException as exc:
            errors.append(exc)

    def writer() -> None:
        rng = np.random.default_rng(99)
        next_id = 1000
        try:
            # Runs until it grew the index to 4000 while at least 200 searches ran beside
            # it (a count of work, not a time: the same test on a fast or a slow machine).
            while not (next_id >= 4000 and searches[0] >= 200) and not errors:
                if next_id < 4000:  # grows well past the initial capacity
                    index.add(np.arange(next_id, next_id + 50), data[next_id : next_id + 50])
                    next_id += 50
                gone = rng.integers(0, next_id, 20)
                index.remove(gone)
                back = gone[:10]
                index.add(back, data[back])
                if rng.random() < 0.1:
                    index.save(tmp_path / "live.hnsw", MODEL)
        except BaseException as exc:
            errors.append(exc)
        finally:
            stop.set()

    threads = [threading.Thread(target=searcher, args=(s,)) for s in range(3)]
    threads.append(threading.Thread(target=writer))
    for t in threads:
        t.start()
    threads[-1].join(timeout=300)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    assert not errors, errors
    assert searches[0] >= 200
    assert len(index) == len(index.ids())
