"""Places stored per photo: filled from stored GPS, matched by place: in any case or script."""

from __future__ import annotations

from pathlib import Path

import pytest

from photoorg.errors import Cancelled
from photoorg.services.jobs import CancelToken
from photoorg.services.library import Library
from photoorg.services.places import PlaceNames, fill_places, place_tree
from photoorg.store import places as store
from tests.support.corpus import copy_corpus
from tests.support.places_corpus import copy_gps_photos

ITALIAN = {f"jpg/gps/DSCN00{n}.jpg" for n in (10, 12, 21, 25, 27, 29, 38, 40, 42)}


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("places")
    corpus = copy_corpus(root / "photos")
    with Library(root / "catalog") as lib:
        lib.index([corpus], encode=False)
        with lib.catalog.write() as db:  # as if catalogued before places existed
            db.execute("DELETE FROM photo_places")
        seen = []
        filled = fill_places(lib.catalog, lambda phase, done, total: seen.append((done, total)))
        assert filled == 11 and seen[0] == (0, 11) and seen[-1] == (11, 11)
        yield lib, corpus


def matching(lib: Library, corpus, *names: str) -> set[str]:
    clause, params = store.place_clause(names)
    rows = lib.catalog.read.execute(f"SELECT p.path FROM photos p WHERE {clause}", params)
    return {Path(path).relative_to(corpus).as_posix() for (path,) in rows}


@pytest.mark.parametrize(
    "name", ["Italy", "意大利", "italy", "ITALY", "tuscany", "托斯卡纳", "Arezzo"]
)
def test_place_filter_returns_exactly_the_italian_photos(library, name: str) -> None:
    lib, corpus = library
    assert matching(lib, corpus, name) == ITALIAN


def test_other_countries_and_names_that_are_no_place(library) -> None:
    lib, corpus = library
    assert matching(lib, corpus, "Kenya") == {"jpg/Kodak_CX7530.jpg"}
    assert matching(lib, corpus, "美国") == {"heic/IMG_5195.HEIC"}
    assert matching(lib, corpus, "Kenya", "Missouri") == {
        "jpg/Kodak_CX7530.jpg",
        "heic/IMG_5195.HEIC",
    }
    assert matching(lib, corpus, "Ital") == set()  # names match whole, not in part
    assert matching(lib, corpus, "Atlantis") == set()


def test_library_place_names_and_tree(library) -> None:
    lib, _ = library
    names = PlaceNames.of(lib.catalog)
    assert names("italy") and names("Blue  Springs") and names("肯尼亚")
    assert not names("the park") and not names("reading")
    tree = place_tree(store.place_counts(lib.catalog.read))
    assert [(n.name, n.photos) for n in tree] == [
        ("Italy", 9),
        ("Kenya", 1),
        ("United States", 1),
    ]
    italy = tree[0]
    assert italy.name_zh == "意大利"
    assert [(n.name, n.name_zh, n.photos) for n in italy.children] == [("Tuscany", "托斯卡纳", 9)]
    assert [(n.name, n.photos) for n in italy.children[0].children] == [("Arezzo", 9)]


def test_a_changed_gps_position_is_looked_up_again_and_a_removed_one_forgotten(tmp_path) -> None:
    corpus = copy_gps_photos(tmp_path / "photos")
    with Library(tmp_path / "catalog") as lib:
        lib.index([corpus], encode=False)
        with lib.catalog.write() as db:
            db.execute("DELETE FROM photo_places")
        token = CancelToken()

        def cancel_after_first(phase: str, done: int, total: int) -> None:
            if done:
                token.cancel()

        with pytest.raises(Cancelled):
            fill_places(lib.catalog, cancel_after_first, token, batch=4)
        assert store.count_to_fill(lib.catalog.read) == 7  # the first batch was kept
        assert fill_places(lib.catalog) == 7  # and the next run resumes
        kenya = str(corpus / "jpg/Kodak_CX7530.jpg")
        arezzo = str(corpus / "jpg/gps/DSCN0010.jpg")
        with lib.catalog.write() as db:
            db.execute("UPDATE photos SET gps_lat = 41.89, gps_lon = 12.49 WHERE path = ?", [kenya])
            db.execute("UPDATE photos SET gps_lat = NULL, gps_lon = NULL WHERE path = ?", [arezzo])
        assert fill_places(lib.catalog) == 1
        ids = dict(lib.catalog.read.execute("SELECT path, id FROM photos").fetchall())
        found = store.places_of(lib.catalog.read, [ids[kenya], ids[arezzo]])
        assert found[ids[kenya]].city == "Rome" and ids[arezzo] not in found
