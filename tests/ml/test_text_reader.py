"""Reading signs in English and Chinese, and finding them again with ``text:``."""

import os

import pytest

from photoorg.ml.text_reader import TextReader, reader_id
from photoorg.store import photo_text as pt
from photoorg.store import photos
from photoorg.store.catalog import Catalog
from tests.support import signs
from tests.support.records import photo_record

CHINESE = pytest.mark.skipif(signs.cjk_font() is None, reason=signs.NO_CJK_FONT)


def _signs() -> list[signs.Sign]:
    return [*signs.ENGLISH_SIGNS, *(signs.CHINESE_SIGNS if signs.cjk_font() else ())]


@pytest.fixture(scope="module")
def reader():
    return TextReader(threads=1)


@pytest.fixture(scope="module")
def read_signs(reader):
    """Each sign, drawn once, and what the reader read in it."""
    out = []
    for i, sign in enumerate(_signs()):
        picture = signs.render_sign(sign, seed=i)
        out.append((sign, picture, reader.read(picture)))
    return out


def test_every_sign_is_read_with_its_words_and_a_box_around_them(read_signs):
    for sign, picture, lines in read_signs:
        squashed = pt.squash("".join(line.text for line in lines))
        for word in sign.words:
            assert pt.squash(word) in squashed, (sign, lines)
        for line in lines:
            xs = [x for x, _ in line.box]
            ys = [y for _, y in line.box]
            assert 0 <= min(xs) < max(xs) <= picture.width + 2
            assert 0 <= min(ys) < max(ys) <= picture.height + 2
            assert 0.5 <= line.confidence <= 1.0


@CHINESE
def test_chinese_signs_are_read_in_chinese(read_signs):
    chinese = [(s, lines) for s, _, lines in read_signs if s.chinese]
    assert chinese
    for sign, lines in chinese:
        assert pt.squash("".join(sign.lines)) in pt.squash("".join(x.text for x in lines))


def test_photos_without_text_give_no_lines_and_fail_the_probe(reader):
    for seed in range(2):
        plain = signs.render_plain(seed=100 + seed)
        assert reader.probe(plain) is False
        assert reader.read(plain) == []


def test_the_probe_finds_a_sign_of_ordinary_size(reader, read_signs):
    for sign, picture, _ in read_signs[:2]:
        assert reader.probe(picture) is True, sign


def test_importing_the_reader_leaves_qt_settings_alone(reader, read_signs):
    # opencv-python points Qt at its own plugins when cv2 is imported; the window
    # started after indexing must still find PySide6's.
    assert "QT_QPA_PLATFORM_PLUGIN_PATH" not in os.environ
    assert "QT_QPA_FONTDIR" not in os.environ


def test_text_search_finds_each_sign_and_nothing_else(tmp_path, read_signs):
    """The ground truth: every sign's words find that photo alone; unknown words none."""
    with Catalog(tmp_path / "c.sqlite3") as catalog:
        ids = []
        with catalog.write() as db:
            root = photos.add_root(db, str(tmp_path))
            for i, (_, _, lines) in enumerate(read_signs):
                record = photo_record(tmp_path / f"{i}.jpg", f"{i:064x}", 960, 720)
                ids.append(photos.insert_photo(db, root.id, record))
                pt.save_read(db, ids[-1], reader_id(), lines)
        for photo_id, (sign, _, _) in zip(ids, read_signs, strict=True):
            for word in sign.words:
                assert pt.photos_with_text(catalog.read, word) == {photo_id}, word
        for absent in ("pizza", "火车站", "入口"):
            assert pt.photos_with_text(catalog.read, absent) == set()
