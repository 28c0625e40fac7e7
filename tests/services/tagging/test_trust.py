"""Tagging a user can trust (issue 12, section 3), on the synthetic catalog: a typed tag
stays on its photo, one example cannot swing a label, an unsure model tags little,
parents count their children, thresholds round-trip."""

from __future__ import annotations

from dataclasses import replace

import pytest

from photoorg.model.label import Label
from tests.support import synthetic

CONCEPTS = {"dog": 30, "cat": 30, "car": 30, "tree": 30, "other": 120}


@pytest.fixture
def syn(tmp_path):
    made = synthetic.make(tmp_path / "catalog", CONCEPTS)
    synthetic.use_labels(made, [Label(name=c) for c in ("dog", "car", "tree")], tmp_path)
    yield made
    made.library.close()


def carried(syn, label):
    rows = syn.library.catalog.read.execute(
        "SELECT t.photo_id FROM tags t JOIN labels l ON l.id = t.label_id "
        "WHERE l.name = ? AND t.source != 'rejected' ORDER BY t.photo_id",
        [label],
    )
    return [r[0] for r in rows]


def test_a_tag_typed_on_one_photo_stays_on_that_photo_until_made_a_label(syn):
    tagging = syn.library.tagging
    photo = syn.ids("cat")[0]
    syn.cache_prompts(Label(name="cats"))  # words the text tower ties to every cat photo
    tagging.set_decision([photo], "cats", "manual")
    assert tagging.label("cats").enabled is False
    assert carried(syn, "cats") == [photo]
    tagging.tag()
    assert carried(syn, "cats") == [photo]  # not the other 29 cats
    assert tagging.label_counts()["cats"] == 1
    # Making it a label (enabling it) is what lets it tag the library.
    tagging.update_label("cats", replace(tagging.label("cats"), enabled=True))
    tagging.tag(["cats"])
    assert set(carried(syn, "cats")) == set(syn.ids("cat"))


def test_a_parent_counts_the_photos_of_its_whole_subtree_once(syn):
    tagging = syn.library.tagging
    syn.add_label(Label(name="animal", enabled=False))  # a grouping label: no photos of its own
    syn.add_label(Label(name="cat", parent="animal"))
    syn.add_label(Label(name="kitten", parent="cat", enabled=False))
    tagging.update_label("dog", Label(name="dog", parent="animal"))
    tagging.tag()
    dog, cat = syn.ids("dog"), syn.ids("cat")
    tagging.set_decision([dog[0]], "cat", "confirmed", retag=False)  # under both children
    tagging.set_decision([cat[0]], "kitten", "manual")
    tagging.set_decision([cat[1]], "cat", "rejected", retag=False)
    counts = tagging.label_counts()
    assert counts["kitten"] == 1
    assert counts["cat"] == len(set(carried(syn, "cat"))) == 30  # 30 - cat[1] + dog[0]
    assert counts["animal"] == len(set(dog) | set(carried(syn, "cat"))) == 59  # cat[1] left
    assert counts["car"] == len(carried(syn, "car")) == 30
