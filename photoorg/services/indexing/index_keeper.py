"""Keeps the HNSW index of one model in step with the vectors in SQLite.

SQLite is the truth; the index file is a cache. At first use the file is loaded only if
its manifest (sha256, size, count, dim, model, stored in the catalog) matches; otherwise
it is set aside and rebuilt. After that, ``sync`` adds what SQLite has and the index
lacks and drops what the index has and SQLite lost (a crash between the two writes
leaves exactly such a difference), then saves atomically.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading

import numpy as np

from photoorg.config import Paths
from photoorg.store import embeddings
from photoorg.store.catalog import Catalog
from photoorg.store.vectors.index import IndexFileError, IndexManifest, VectorIndex

log = logging.getLogger(__name__)


COMPACT_SHARE = 0.25
"""Rebuild the index once deleted elements pass this share of the live ones..."""
COMPACT_MIN = 1000
"""...and this many: a small index walks its few dead nodes at no cost worth a rebuild."""


def _needs_compaction(index: VectorIndex) -> bool:
    deleted = index.deleted_count
    return deleted >= COMPACT_MIN and deleted >= COMPACT_SHARE * len(index)


class IndexKeeper:
    def __init__(self, catalog: Catalog, paths: Paths, model_id: str, dim: int) -> None:
        self.catalog = catalog
        self.paths = paths
        self.model_id = model_id
        self.dim = dim
        self._index: VectorIndex | None = None
        self._lock = threading.Lock()
        self.notice: str | None = None  # a message for the user about a repair made
        digest = hashlib.sha1(model_id.encode()).hexdigest()[:16]
        self.file = paths.index_dir / f"{digest}.hnsw"
        self._manifest_key = f"index:{model_id}"

    def index(self) -> VectorIndex:
        """The index, loaded or rebuilt, and in step with SQLite."""
        with self._lock:
            if self._index is None:
                self._index = self._load_or_rebuild()
                self._sync_locked(save=True)
            return self._index

    def sync(self, save: bool = True) -> VectorIndex:
        with self._lock:
            if self._index is None:
                self._index = self._load_or_rebuild()
            self._sync_locked(save)
            index = self._index
        if not _needs_compaction(index):
            return index
        # Deleted elements only get marked: past a share of them every query walks dead
        # nodes and, when too few live ones remain reachable, falls back to an exact
        # scan. Build a fresh index from the catalog without holding the lock (searches
        # go on with the old one), then swap and catch up with what changed meanwhile.
        fresh = self._build()
        with self._lock:
            self._index = fresh
            self._sync_locked(save, force_save=save)
            log.info("compacted the search index: %d deleted elements dropped", index.deleted_count)
            return fresh

    def _load_or_rebuild(self) -> VectorIndex:
        raw = self.catalog.get_setting(self._manifest_key)
        if raw and self.file.exists():
            try:
                manifest = IndexManifest.from_dict(json.loads(raw))
                # model= is required: without it the TypeError below was caught as "damaged"
                # and every open threw a good index away and rebuilt it.
                return VectorIndex.load(
                    self.file, dim=self.dim, model=self.model_id, expected=manifest
                )
            # Not TypeError: a bad manifest is already an IndexFileError, and catching
            # TypeError here once hid a wrong call as "damaged index" (rebuilt every open).
            except (IndexFileError, ValueError) as exc:
                self._set_aside(f"the search index was damaged or out of date ({exc}); rebuilt it")
        elif self.file.exists():
            self._set_aside("the search index had no record in the catalog; rebuilt it")
        return self._build()

    def _build(self) -> VectorIndex:
        """A new index of every vector the catalog holds for this model."""
        total = embeddings.count(self.catalog.read, self.model_id)
        index = VectorIndex(self.dim, max_elements=max(total, 1024))
        for ids, vectors in embeddings.stream(self.catalog.read, self.model_id, self.dim):
            index.add(ids, vectors)
        return index

    def _set_aside(self, message: str) -> None:
        """Keep a copy of a damaged file for inspection; never just delete it."""
        from photoorg.services.repair import set_aside

        self.notice = message
        log.warning(message)
        # A unique name: two repairs in one second must not overwrite the first copy.
        set_aside(self.paths, self.file)

    def _sync_locked(self, save: bool, force_save: bool = False) -> None:
        index = self._index
        assert index is not None
        stored_ids = embeddings.ids(self.catalog.read, self.model_id)
        have = index.ids()
        extra = np.setdiff1d(have, stored_ids, assume_unique=True)
        lacking = np.setdiff1d(stored_ids, have, assume_unique=True)
        if len(extra):
            index.remove(extra)
        if len(lacking):
            found = embeddings.get(self.catalog.read, self.model_id, lacking.tolist(), self.dim)
            ids = np.fromiter(found, dtype=np.int64, count=len(found))
            index.add(ids, np.stack(list(found.values())) if found else np.zeros((0, self.dim)))
        if save and (force_save or len(extra) or len(lacking) or not self.file.exists()):
            try:
                self.paths.index_dir.mkdir(parents=True, exist_ok=True)
                manifest = index.save(self.file, self.model_id)
            except (IndexFileError, OSError) as exc:
                # A full disk: the previous file and its manifest are untouched (save is
                # atomic) and the index in memory is complete, so searching goes on; the
                # file is brought up to date by the next save that fits.
                self.notice = f"could not save the search index ({exc}); it is kept in memory"
                log.warning(self.notice)
                return
            self.catalog.set_setting(self._manifest_key, json.dumps(manifest.to_dict()))
