"""Albums: plain sets of photos and smart albums (saved queries)."""

import pytest

from photoorg.errors import UsageError
from photoorg.model.label import Label
from tests.support import synthetic


@pytest.fixture
def syn(tmp_path):
    made = synthetic.make(tmp_path / "catalog", {"dog": 10, "cat": 10, "other": 20})
    synthetic.use_labels(made, [Label(name="dog"), Label(name="cat")], tmp_path)
    made.library.tagging.tag()
    yield made
    made.library.close()


def test_plain_album_add_remove_list_delete(syn):
    albums = syn.library.albums
    album = albums.create("Holiday")
    assert (album.name, album.query, album.count, album.smart) == ("Holiday", None, 0, False)
    assert albums.add("Holiday", syn.ids("dog")[:4]) == 4
    assert albums.add("Holiday", syn.ids("dog")[:6]) == 2  # already-present photos count once
    assert albums.add("Holiday", [999_999]) == 0  # not in the catalog: ignored
    assert albums.remove("Holiday", syn.ids("dog")[:1]) == 1
    assert sorted(albums.photo_ids("Holiday")) == syn.ids("dog")[1:6]
    assert [(a.name, a.count) for a in albums.list()] == [("Holiday", 5)]
    albums.delete("Holiday")
    assert albums.list() == []
    assert len(syn.library.browse()) == 40  # photos stay


def test_names_are_checked_and_unique(syn):
    albums = syn.library.albums
    albums.create("Family")
    with pytest.raises(UsageError, match="already"):
        albums.create("Family")
    with pytest.raises(UsageError):
        albums.create("  ")
    with pytest.raises(UsageError, match="no album"):
        albums.add("Nope", [1])
    albums.update("Family", new_name="Relatives")
    assert [a.name for a in albums.list()] == ["Relatives"]


def test_smart_album_runs_its_query_now(syn):
    albums = syn.library.albums
    album = albums.create("Dogs", query="label:dog")
    assert album.smart and album.count == 10
    assert sorted(albums.photo_ids("Dogs")) == syn.ids("dog")
    with pytest.raises(UsageError, match="smart album"):
        albums.add("Dogs", syn.ids("cat")[:1])
    # A photo confirmed as a dog joins the smart album at once.
    syn.library.tagging.set_decision(syn.ids("cat")[:1], "dog", "manual", retag=False)
    assert len(albums.photo_ids("Dogs")) == 11
    with pytest.raises(UsageError):
        albums.create("Broken", query="colr:red")


def test_album_filters_search_and_summary(syn):
    albums = syn.library.albums
    albums.create("Mixed")
    albums.add("Mixed", syn.ids("dog")[:6] + syn.ids("cat")[:2])
    from photoorg.model.query import Filters

    assert len(syn.library.browse(Filters(albums=("Mixed",), labels=("dog",)))) == 6
    summary = syn.library.tagging.summary(album="Mixed")
    assert summary == [
        {"label": "dog", "count": 6, "fraction": 0.75},
        {"label": "cat", "count": 2, "fraction": 0.25},
    ]
    assert syn.library.tagging.confirm_all("dog", album="Mixed") == 8
    assert syn.library.tagging.summary(album="Mixed")[0] == {
        "label": "dog",
        "count": 8,
        "fraction": 1.0,
    }


def test_renaming_a_label_carries_smart_albums_along(syn):
    albums = syn.library.albums
    albums.create("Dogs", query="label:dog")
    before = sorted(h.id for h in albums.photos("Dogs"))
    assert before == syn.ids("dog")
    syn.library.tagging.update_label("dog", Label(name="hound"))
    assert albums.get("Dogs").query == "label:hound"
    assert sorted(h.id for h in albums.photos("Dogs")) == before
