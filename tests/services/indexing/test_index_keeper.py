"""The index keeper: the HNSW file follows SQLite, and heavy deletions are compacted."""

from __future__ import annotations

from photoorg.config import Paths
from photoorg.services.indexing import index_keeper
from photoorg.services.indexing.index_keeper import IndexKeeper
from photoorg.store import photos
from tests.support import synthetic


def test_many_deletions_compact_the_index_and_keep_every_live_photo(tmp_path, monkeypatch):
    monkeypatch.setattr(index_keeper, "COMPACT_MIN", 10)
    syn = synthetic.make(tmp_path / "catalog", {"dog": 60, "cat": 60})
    library = syn.library
    try:
        model = library.model_name_id()
        keeper = IndexKeeper(library.catalog, Paths(tmp_path / "catalog"), model, synthetic.DIM)
        assert len(keeper.index()) == 120
        gone = syn.ids("dog")[:20]
        with library.catalog.write() as db:
            photos.delete_photos(db, gone)
        index = keeper.sync()
        # 20 deleted of 100 live: under a quarter, only marked.
        assert (index.deleted_count, len(index)) == (20, 100)
        with library.catalog.write() as db:
            photos.delete_photos(db, syn.ids("dog")[20:40])
        index = keeper.sync()
        # 40 deleted of 80 live: past a quarter, rebuilt without them.
        assert index.deleted_count == 0
        live = sorted(syn.ids("dog")[40:] + syn.ids("cat"))
        assert index.ids().tolist() == live
        # The saved file is the compacted one: a fresh keeper loads it as it is.
        again = IndexKeeper(library.catalog, Paths(tmp_path / "catalog"), model, synthetic.DIM)
        assert again.index().ids().tolist() == live
        assert again.index().deleted_count == 0 and again.notice is None
    finally:
        library.close()


class FakeModel:
    def __init__(self, model_id: str, dim: int) -> None:
        self.id, self.dim = model_id, dim


def test_a_job_syncs_the_index_of_its_own_model_after_a_model_change(tmp_path):
    syn = synthetic.make(tmp_path / "catalog", {"dog": 5})
    library = syn.library
    try:
        old = FakeModel(library.model_name_id(), synthetic.DIM)
        library._model = FakeModel("another-model", 64)  # set_model happened mid-job
        keeper = library._index_keeper(old)
        assert (keeper.model_id, keeper.dim) == (old.id, synthetic.DIM)
        assert len(keeper.index()) == 5
    finally:
        library.close()


def test_the_score_sample_belongs_to_one_model(tmp_path):
    syn = synthetic.make(tmp_path / "catalog", {"dog": 5})
    library = syn.library
    try:
        mine = FakeModel(library.model_name_id(), synthetic.DIM)
        assert library.searcher._score_sample(mine).shape == (5, synthetic.DIM)
        # Same embeddings counter, other model: its sample is its own (none stored yet).
        assert library.searcher._score_sample(FakeModel("another-model", 64)).shape == (0, 64)
    finally:
        library.close()
