"""Tagging's bookkeeping on a synthetic catalog (no model): decisions win, groups,
vetoes, only changes written, in-memory caches in step with SQLite."""

import numpy as np
import pytest

from photoorg.errors import UsageError
from photoorg.model.label import Label
from photoorg.services.tagging import tag_state as tagstate
from photoorg.store import counters
from tests.support import synthetic

CONCEPTS = {"dog": 30, "cat": 30, "car": 30, "tree": 30, "other": 120}


@pytest.fixture
def syn(tmp_path):
    made = synthetic.make(tmp_path / "catalog", CONCEPTS)
    synthetic.use_labels(made, [Label(name=c) for c in ("dog", "cat", "car", "tree")], tmp_path)
    yield made
    made.library.close()


def carried(syn, label):
    rows = syn.library.catalog.read.execute(
        "SELECT t.photo_id FROM tags t JOIN labels l ON l.id = t.label_id "
        "WHERE l.name = ? AND t.source != 'rejected' ORDER BY t.photo_id",
        [label],
    )
    return [r[0] for r in rows]


def source_of(syn, photo_id, label):
    for tag in syn.library.tagging.tags(photo_id):
        if tag["label"] == label:
            return tag["source"]
    return None


def assert_cache_matches_sqlite(syn):
    tagging = syn.library.tagging
    cached = tagging.state.current(syn.library.catalog.read)
    fresh = tagstate.read(syn.library.catalog.read, cached.generation)
    assert np.array_equal(cached.key, fresh.key)
    assert np.array_equal(cached.source, fresh.source)
    assert np.allclose(cached.score, fresh.score, equal_nan=True)
    assert np.allclose(cached.probability, fresh.probability, equal_nan=True)


def test_tagging_finds_each_concept_and_writes_nothing_the_second_time(syn):
    result = syn.library.tagging.tag()
    for concept in ("dog", "cat", "car", "tree"):
        assert carried(syn, concept) == syn.ids(concept)
        assert result[concept] == {"added": 30, "removed": 0, "total": 30}
    before = counters.counter(syn.library.catalog.read, "tags")
    again = syn.library.tagging.tag()
    assert all(r["added"] == r["removed"] == 0 for r in again.values())
    assert counters.counter(syn.library.catalog.read, "tags") == before  # not one row written
    assert_cache_matches_sqlite(syn)


def test_scores_are_cosines_of_the_prompt_ensemble(syn):
    syn.library.tagging.tag()
    photo = syn.ids("dog")[0]
    tag = next(t for t in syn.library.tagging.tags(photo) if t["label"] == "dog")
    snapshot = syn.library.tagging._snapshot()
    vector = snapshot.vectors(syn.library.catalog, [photo])[0]
    assert tag["score"] == pytest.approx(
        float(vector @ syn.text_vector("a photo of a dog.")), abs=1e-5
    )
    assert tag["source"] == "auto" and tag["probability"] is None


def test_decisions_survive_retagging_and_are_never_overwritten(syn):
    tagging = syn.library.tagging
    tagging.tag()
    a_cat, a_dog = syn.ids("cat")[0], syn.ids("dog")[0]
    tagging.set_decision([a_cat], "dog", "manual")  # a person says: this cat photo has a dog too
    tagging.set_decision([a_dog], "dog", "rejected")
    tagging.set_decision([syn.ids("dog")[1]], "dog", "confirmed")
    for _ in range(2):
        tagging.tag()
        assert source_of(syn, a_cat, "dog") == "manual"
        assert source_of(syn, a_dog, "dog") == "rejected"
        assert source_of(syn, syn.ids("dog")[1], "dog") == "confirmed"
        assert a_dog not in carried(syn, "dog")
        assert_cache_matches_sqlite(syn)
    tagging.set_decision([a_dog], "dog", None)  # cleared: the tagger decides again
    assert source_of(syn, a_dog, "dog") == "auto"
    assert_cache_matches_sqlite(syn)


def test_dry_run_reports_what_a_real_run_does_and_writes_nothing(syn):
    tagging = syn.library.tagging
    before = counters.counter(syn.library.catalog.read, "tags")
    planned = tagging.tag(dry_run=True)
    assert counters.counter(syn.library.catalog.read, "tags") == before
    assert tagging.tag() == planned


def test_editing_a_prompt_moves_the_label(syn):
    tagging = syn.library.tagging
    tagging.tag()
    edited = Label(name="dog", prompts=("a photo of a car.",))
    syn.cache_prompts(edited)
    tagging.update_label("dog", edited)
    result = tagging.tag()
    assert carried(syn, "dog") == syn.ids("car")
    assert result["dog"] == {"added": 30, "removed": 30, "total": 30}
    assert_cache_matches_sqlite(syn)


def test_disabling_a_label_removes_only_its_automatic_tags(syn):
    tagging = syn.library.tagging
    tagging.tag()
    tagging.set_decision(syn.ids("dog")[:2], "dog", "confirmed")
    tagging.update_label("dog", Label(name="dog", enabled=False))
    tagging.tag()
    assert carried(syn, "dog") == syn.ids("dog")[:2]


def test_exclusive_group_gives_at_most_one_label_with_its_probability(syn):
    tagging = syn.library.tagging
    for name in ("dog", "cat"):
        tagging.update_label(name, Label(name=name, exclusive_group="pets", threshold=-1.0))
    tagging.tag()
    for photo in syn.concept_of:
        pets = [t for t in tagging.tags(photo) if t["label"] in ("dog", "cat")]
        assert len(pets) == 1  # threshold -1: everyone gets exactly one
        assert 0 < pets[0]["probability"] <= 1
    assert set(syn.ids("dog")) <= set(carried(syn, "dog"))
    # Rejecting the winner hands the photo to the runner-up; giving one settles the group.
    dog = syn.ids("dog")[0]
    tagging.set_decision([dog], "dog", "rejected")
    assert source_of(syn, dog, "cat") == "auto"
    cat = syn.ids("cat")[0]
    tagging.set_decision([cat], "dog", "manual")
    assert source_of(syn, cat, "cat") is None
    assert_cache_matches_sqlite(syn)


def test_negative_prompt_vetoes_photos_it_matches_better(tmp_path):
    syn = synthetic.make(tmp_path / "quiet", CONCEPTS, noise=0.02)
    synthetic.use_labels(syn, [], tmp_path)
    tagging = syn.library.tagging
    pets = Label(name="pet", prompts=("a photo of a dog.", "a photo of a cat."), threshold=0.12)
    syn.add_label(pets)
    tagging.tag()
    assert carried(syn, "pet") == sorted(syn.ids("dog") + syn.ids("cat"))
    # "not a cat": cat photos match the negative prompt better than the ensemble.
    no_cats = Label(
        name="pet", prompts=pets.prompts, negative_prompts=("a photo of a cat.",), threshold=0.12
    )
    syn.cache_prompts(no_cats)
    tagging.update_label("pet", no_cats)
    tagging.tag()
    assert carried(syn, "pet") == syn.ids("dog")


def test_folder_scope_touches_only_that_folder(syn):
    tagging = syn.library.tagging
    folder = str(syn.folder / "f0")
    result = tagging.tag(folder=folder)
    in_folder = set(tagging.scope(folder=folder))
    assert set(carried(syn, "dog")) == set(syn.ids("dog")) & in_folder
    assert result["dog"]["total"] == len(set(syn.ids("dog")) & in_folder)
    tagging.tag()
    assert carried(syn, "dog") == syn.ids("dog")


def test_preview_matches_what_tagging_would_do(syn):
    tagging = syn.library.tagging
    unsaved = Label(name="dog", prompts=("a photo of a tree.",))
    syn.cache_prompts(unsaved)
    preview = tagging.preview(unsaved, limit=5)
    assert preview.count == 30
    assert len(preview.hits) == 5
    assert {p for p, _ in preview.hits} <= set(syn.ids("tree"))
    scores = [s for _, s in preview.hits]
    assert scores == sorted(scores, reverse=True)
    assert carried(syn, "dog") == []  # nothing written
    brand_new = Label(name="kitty", prompts=("a cat.",))
    syn.cache_prompts(brand_new)
    assert tagging.preview(brand_new).count == 30


def test_preview_offers_the_closest_photos_when_none_reaches_the_threshold(syn):
    tagging = syn.library.tagging
    # No cosine reaches 1.0: nothing would carry it, yet the user needs photos to teach it.
    strict = Label(name="dog", prompts=("a photo of a tree.",), threshold=1.0)
    syn.cache_prompts(strict)
    preview = tagging.preview(strict, limit=5)
    assert preview.count == 0
    assert preview.closest
    assert len(preview.hits) == 5
    assert {p for p, _ in preview.hits} <= set(syn.ids("tree"))
    scores = [s for _, s in preview.hits]
    assert scores == sorted(scores, reverse=True)
    loose = Label(name="dog", prompts=("a photo of a tree.",))
    assert not tagging.preview(loose, limit=5).closest


def test_changes_by_other_writers_are_seen(syn):
    tagging = syn.library.tagging
    tagging.tag()
    photo = syn.ids("dog")[0]
    with syn.library.catalog.write() as db:  # as another process would
        db.execute(
            "UPDATE tags SET source = 'confirmed' WHERE photo_id = ? AND "
            "label_id = (SELECT id FROM labels WHERE name = 'dog')",
            [photo],
        )
        db.execute("DELETE FROM photos WHERE id = ?", [syn.ids("cat")[0]])
    assert_cache_matches_sqlite(syn)
    result = tagging.tag()
    assert result["cat"]["total"] == 29
    assert source_of(syn, photo, "dog") == "confirmed"


def test_label_counts_summary_and_confirming_a_folder(syn):
    tagging = syn.library.tagging
    tagging.tag()
    counts = tagging.label_counts()
    assert counts == {"car": 30, "cat": 30, "dog": 30, "tree": 30}
    folder = str(syn.folder / "f1")
    summary = tagging.summary(folder=folder, min_fraction=0.05)
    total = len(tagging.scope(folder=folder))
    assert {s["label"] for s in summary} == {"dog", "cat", "car", "tree"}
    for entry in summary:
        assert entry["fraction"] == pytest.approx(entry["count"] / total, abs=1e-4)
    assert tagging.summary(folder=folder) == []  # no label on 20% of the photos
    confirmed = tagging.confirm_all("tree", folder=folder)
    assert confirmed == total
    assert tagging.summary(folder=folder)[0] == {"label": "tree", "count": total, "fraction": 1.0}
    with pytest.raises(UsageError):
        tagging.confirm_all("tree")


def test_label_names_are_unique_ignoring_case_and_renames_carry_tags(syn):
    tagging = syn.library.tagging
    with pytest.raises(UsageError, match="already"):
        tagging.add_label(Label(name="Dog"))
    syn.add_label(Label(name="puppy", parent="dog"))
    tagging.tag()
    syn.cache_prompts(Label(name="hound"))
    tagging.update_label("dog", Label(name="hound"))
    assert tagging.label("puppy").parent == "hound"
    assert carried(syn, "hound") == syn.ids("dog")  # tags follow the label id
    tagging.remove_label("hound")
    with pytest.raises(UsageError, match="no label"):
        tagging.label("hound")


def test_no_model_is_loaded_when_prompts_are_cached(syn):
    syn.library.tagging.tag()  # synthetic.make makes Library.model raise
    with pytest.raises(synthetic.NoModel):
        syn.library.tagging.add_label(Label(name="boat"))
        syn.library.tagging.tag()  # an uncached prompt needs the text tower


def test_threshold_cache_cleared_by_another_thread_mid_retag(syn, monkeypatch):
    from photoorg.services.tagging import engine as retag
    from photoorg.store import labels as store

    tagging = syn.library.tagging
    engine = tagging.engine
    snapshot, stored = tagging._snapshot(), tagging._stored_labels()
    tags = tagging.state.current(syn.library.catalog.read)
    engine.classifiers(stored, snapshot, tags)  # every label's threshold cached
    unsaved = store.StoredLabel(-1, Label(name="new", prompts=("a photo of a sunset.",)))
    syn.cache_prompts(unsaved.label)
    real = retag.learning.auto_thresholds

    def thresholds_while_a_preview_clears_the_cache(scores):
        engine._thresholds.clear()  # what another worker may do meanwhile
        return real(scores)

    monkeypatch.setattr(
        retag.learning, "auto_thresholds", thresholds_while_a_preview_clears_the_cache
    )
    # One new threshold to compute, four cached: a KeyError before the cache had a lock.
    built = engine.classifiers([*stored, unsaved], snapshot, tags)
    assert len(built.label_ids) == len(stored) + 1
