"""Labels: validation, the TOML a person edits, the shipped default set."""

import pytest
from PIL import Image

from photoorg.errors import UsageError
from photoorg.model.label import Label
from photoorg.services.library import Library
from photoorg.services.tagging import label_sets as labels
from photoorg.services.tagging.label_sets import to_toml


def test_checked_trims_and_refuses_nonsense():
    label = Label(name="  dog ", parent=" animals", prompts=(" a photo\tof a {}. ",)).checked()
    assert (label.name, label.parent, label.prompts) == ("dog", "animals", ("a photo of a {}.",))
    for bad in (
        Label(name=""),
        Label(name="a|b"),
        Label(name="x\x00"),
        Label(name="x" * 101),
        Label(name="dog", parent="Dog"),
        Label(name="dog", threshold=1.5),
        Label(name="dog", threshold=float("nan")),
        Label(name="dog", prompts=("",)),
        Label(name="dog", prompts="a photo of a {}."),  # a string, not a list
    ):
        with pytest.raises(UsageError):
            bad.checked()


def test_prompts_fill_in_the_name_and_leave_other_braces():
    label = Label(name="cat", prompts=("a {} on a {mat}.", "no name here."))
    assert label.texts() == ["a cat on a {mat}.", "no name here."]
    assert Label(name="dog", parent="animals").hierarchy == "animals|dog"


def test_toml_round_trip_is_identical():
    original = [
        Label(
            name="dog",
            parent="animals",
            prompts=("a photo of a {}.", "a {} outside."),
            threshold=0.27,
        ),
        Label(name="receipt", negative_prompts=("a photo of a book.",), enabled=False),
        Label(name="indoors", exclusive_group="setting", threshold=None),
        Label(name='Zürich "old town"', prompts=()),
    ]
    text = labels.to_toml(original)
    again = labels.from_toml(text)
    assert again == [x.checked() for x in original]
    assert labels.to_toml(again) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[label]]\nname = 'a'\n[[label]]\nname = 'A'\n", "twice"),
        ("[[label]]\nname = 'a'\ncolour = 'red'\n", "unknown field"),
        ("[[label]]\nprompts = []\n", "needs a name"),
        ("[[label]]\nname = 'a'\nthreshold = 'high'\n", "number"),
        ("version = 2\n", "format version"),
        ("[[label]\n", "not valid TOML"),
    ],
)
def test_bad_files_say_what_is_wrong(text, message):
    with pytest.raises(UsageError, match=message):
        labels.from_toml(text)


def test_default_label_set_is_about_a_hundred_everyday_subjects():
    defaults = labels.default_labels()
    names = {x.name for x in defaults}
    assert 90 <= len(defaults) <= 150
    assert {
        "people",
        "dog",
        "cat",
        "food",
        "receipt",
        "screenshot",
        "beach",
        "mountains",
        "snow",
        "sunset",
        "night",
        "city",
        "car",
        "birthday",
        "wedding",
        "document",
    } <= names
    assert all(x.prompts and x.enabled and x.threshold is None for x in defaults)
    assert (
        sum(len(x.prompts) for x in defaults) / len(defaults) >= 2.5
    )  # ensembles, not single prompts


def test_defaults_go_into_a_new_catalog_once_and_deletions_stick(tmp_path):
    with Library(tmp_path / "c") as library:
        assert len(library.tagging.labels()) == len(labels.default_labels())
        library.tagging.remove_label("wedding")
        library.tagging.update_label("dog", Label(name="dog", prompts=("my dog {}.",)))
    with Library(tmp_path / "c") as library:
        names = {x.name for x in library.tagging.labels()}
        assert "wedding" not in names
        assert library.tagging.label("dog").prompts == ("my dog {}.",)


def test_export_import_through_the_catalog_is_identical(tmp_path):
    with Library(tmp_path / "c") as library:
        library.tagging.add_label(
            Label(name="kayak", parent="boats", threshold=0.31, exclusive_group="x")
        )
        library.tagging.export_labels(tmp_path / "a.toml")
    with Library(tmp_path / "d") as other:
        other.tagging.import_labels(tmp_path / "a.toml", replace=True)
        other.tagging.export_labels(tmp_path / "b.toml")
        assert other.tagging.label("kayak") == Label(
            name="kayak", parent="boats", threshold=0.31, exclusive_group="x"
        )
    assert (tmp_path / "a.toml").read_bytes() == (tmp_path / "b.toml").read_bytes()


def test_import_replace_keeps_labels_that_hold_decisions(tmp_path):
    (tmp_path / "only-dog.toml").write_text(to_toml([Label(name="dog")]), encoding="utf-8")
    with Library(tmp_path / "c") as library:
        photos = tmp_path / "photos"
        photos.mkdir()
        Image.new("RGB", (16, 16), "red").save(photos / "a.jpg")
        library.index([photos], encode=False)
        photo = library.photo_id(photos / "a.jpg")
        library.tagging.add_label(Label(name="our wedding"))
        library.tagging.add_label(Label(name="never used"))
        library.tagging.set_decision([photo], "our wedding", "confirmed", retag=False)
        result = library.tagging.import_labels(tmp_path / "only-dog.toml", replace=True)
        assert result.kept_disabled == ["our wedding"]
        names = {x.name for x in library.tagging.labels()}
        assert "never used" not in names and "our wedding" in names
        assert not library.tagging.label("our wedding").enabled
        assert [(t["label"], t["source"]) for t in library.tags_of(photo)] == [
            ("our wedding", "confirmed")
        ]
