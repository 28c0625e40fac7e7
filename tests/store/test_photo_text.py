"""Stored photo text and its index: case, whitespace, Chinese words of any length."""

import pytest

from photoorg.store import photo_text as pt
from photoorg.store import photos
from photoorg.store.catalog import Catalog
from tests.support.records import photo_record

READER = "rapidocr-test"
BOX = ((0, 0), (10, 0), (10, 5), (0, 5))


def _line(text: str, confidence: float = 0.9) -> pt.TextLine:
    return pt.TextLine(text, BOX, confidence)


@pytest.fixture
def catalog(tmp_path):
    with Catalog(tmp_path / "c.sqlite3") as catalog:
        yield catalog


def _add_photos(catalog, n: int) -> list[int]:
    ids = []
    with catalog.write() as db:
        root = photos.add_root(db, "/photos")
        for i in range(n):
            record = photo_record(f"/photos/{i}.jpg", f"{i:064x}", 10, 10)
            ids.append(photos.insert_photo(db, root.id, record))
    return ids


SIGNS = {
    0: ["CAFEROMA", "OPEN 24 HOURS"],
    1: ["北京咖啡馆"],
    2: ["出口"],
    3: ["Bus Stop", "Roma Street"],
    4: [],  # read, no text
}


@pytest.fixture
def library(catalog):
    ids = _add_photos(catalog, 6)
    with catalog.write() as db:
        for index, lines in SIGNS.items():
            pt.save_read(db, ids[index], READER, [_line(t) for t in lines])
        pt.save_skipped(db, ids[5], READER)
    return catalog, ids


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cafe roma", {0}),  # the recogniser dropped the space; the user typed it
        ("CafeRoma", {0}),
        ("roma", {0, 3}),  # a substring of a squashed line, and a word of another
        ("open24", {0}),
        ("咖啡", {1}),  # two characters: below the trigram index
        ("出口", {2}),
        ("北", {1}),  # one character
        ("北京咖啡馆", {1}),
        ("ＣＡＦＥ", {0}),  # full-width letters, NFKC
        ("bu", {3}),  # two Latin letters go the short path too
        ("stoproma", set()),  # never across the end of one line and the next
        ("hoursbus", set()),  # nor across photos
        ("pizza", set()),
    ],
)
def test_text_query_finds_exactly_the_photos_holding_it(library, query, expected):
    catalog, ids = library
    found = pt.photos_with_text(catalog.read, query)
    assert found == {ids[i] for i in expected}


def test_an_empty_phrase_is_refused_rather_than_matching_everything(library):
    catalog, _ = library
    with pytest.raises(ValueError, match="needs a word"):
        pt.photos_with_text(catalog.read, "  \t")


def test_lines_round_trip_with_boxes_and_confidence(library):
    catalog, ids = library
    stored = pt.text_of(catalog.read, ids[0])
    assert stored is not None and stored.outcome == "read"
    assert [line.text for line in stored.lines] == SIGNS[0]
    assert stored.lines[0].box == BOX and stored.lines[0].confidence == pytest.approx(0.9)
    assert stored.text == "CAFEROMA\nOPEN 24 HOURS"
    assert pt.text_of(catalog.read, ids[5]).outcome == "skipped"
    assert pt.text_of(catalog.read, 999) is None


def test_rereading_replaces_the_text_and_its_index(library):
    catalog, ids = library
    with catalog.write() as db:
        pt.save_read(db, ids[0], READER, [_line("Pizza Napoli")])
    assert pt.photos_with_text(catalog.read, "caferoma") == set()
    assert pt.photos_with_text(catalog.read, "pizza") == {ids[0]}


def test_deleting_a_photo_removes_its_text_from_the_index(library):
    catalog, ids = library
    with catalog.write() as db:
        db.execute("DELETE FROM photos WHERE id = ?", [ids[1]])
    assert pt.photos_with_text(catalog.read, "咖啡馆") == set()
    assert pt.photos_with_text(catalog.read, "咖啡") == set()


def test_text_of_a_vanished_photo_is_not_stored(catalog):
    with catalog.write() as db:
        pt.save_read(db, 12345, READER, [_line("ghost")])
    assert pt.text_of(catalog.read, 12345) is None


def _pending(db, reader, *, every, limit):
    return [photo_id for photo_id, _ in pt.pending_photos(db, reader, every=every, limit=limit)]


def test_pending_photos_resume_and_follow_the_setting(catalog):
    ids = _add_photos(catalog, 4)
    read = catalog.read
    assert _pending(read, READER, every=False, limit=10) == ids
    with catalog.write() as db:
        pt.save_read(db, ids[0], READER, [])
        pt.save_skipped(db, ids[1], READER)
    assert _pending(catalog.read, READER, every=False, limit=10) == ids[2:]
    assert pt.count_pending(catalog.read, READER, every=False) == 2
    # "read every photo" also reads what "likely only" skipped
    assert _pending(catalog.read, READER, every=True, limit=10) == [ids[1], *ids[2:]]
    # a new reader reads everything again
    assert pt.count_pending(catalog.read, "another-reader", every=False) == 4
    assert _pending(catalog.read, READER, every=False, limit=1) == [ids[2]]


@pytest.mark.parametrize(
    ("query", "expected"), [("cafe roma", {0}), ("咖啡", {1}), ("roma", {0, 3})]
)
def test_the_filter_clause_selects_what_the_lookup_finds_and_negates(library, query, expected):
    catalog, ids = library
    sql, params = pt.text_clause(query)
    rows = catalog.read.execute(f"SELECT p.id FROM photos p WHERE {sql}", params)
    assert {r[0] for r in rows} == {ids[i] for i in expected}
    sql, params = pt.text_clause(query, negated=True)
    rows = catalog.read.execute(f"SELECT p.id FROM photos p WHERE {sql}", params)
    assert {r[0] for r in rows} == set(ids) - {ids[i] for i in expected}
