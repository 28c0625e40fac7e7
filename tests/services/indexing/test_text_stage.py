"""The text stage: which photos each setting reads, progress, cancel and resume."""

from __future__ import annotations

import shutil

import pytest

from photoorg.errors import Cancelled
from photoorg.ml.text_reader import TextReader, reader_id
from photoorg.services.indexing.text_stage import PHASE, read_text
from photoorg.services.jobs import CancelToken
from photoorg.services.library import Library
from photoorg.store import photo_text as pt
from tests.support import signs

SIZE = (640, 480)


@pytest.fixture(scope="module")
def reader():
    return TextReader(threads=1)


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """Two signs (one Chinese when a CJK font is here) and two photos without text."""
    base = tmp_path_factory.mktemp("text-stage")
    folder = base / "photos"
    folder.mkdir()
    chosen = [
        signs.ENGLISH_SIGNS[0],
        (signs.CHINESE_SIGNS if signs.cjk_font() else signs.ENGLISH_SIGNS)[1],
    ]
    truth = {}
    for i, sign in enumerate(chosen):
        path = folder / f"sign_{i}.jpg"
        signs.render_sign(sign, size=SIZE, text_height=0.1, seed=i).save(path, quality=90)
        truth[str(path)] = sign
    for i in range(2):
        path = folder / f"plain_{i}.jpg"
        signs.render_plain(size=SIZE, seed=200 + i).save(path, quality=90)
        truth[str(path)] = None
    with Library(base / "catalog") as library:
        library.index([folder], encode=False)
    return base, truth


@pytest.fixture
def library(scanned, tmp_path):
    base, truth = scanned
    shutil.copytree(base / "catalog", tmp_path / "catalog")
    with Library(tmp_path / "catalog") as library:
        library.truth = {library.photo_id(p): s for p, s in truth.items()}
        yield library


def test_every_photo_is_read_and_text_finds_each_sign(library, reader):
    seen = []
    summary = read_text(library.catalog, reader, policy="every", progress=lambda *a: seen.append(a))
    assert summary == {"read": 4, "with_text": 2, "skipped": 0, "errors": 0}
    assert seen[0] == (PHASE, 0, 4) and seen[-1] == (PHASE, 4, 4)
    assert [d for _, d, _ in seen] == sorted(d for _, d, _ in seen)
    for photo_id, sign in library.truth.items():
        if sign is not None:
            for word in sign.words:
                assert pt.photos_with_text(library.catalog.read, word) == {photo_id}
    # nothing left: a second run reads nothing
    assert read_text(library.catalog, reader, policy="every")["read"] == 0


def test_likely_skips_photos_without_text_and_every_reads_just_those_later(library, reader):
    summary = read_text(library.catalog, reader, policy="likely")
    assert summary == {"read": 2, "with_text": 2, "skipped": 2, "errors": 0}
    for photo_id, sign in library.truth.items():
        stored = pt.text_of(library.catalog.read, photo_id)
        assert stored.outcome == ("skipped" if sign is None else "read")
    again = read_text(library.catalog, reader, policy="every")
    assert again == {"read": 2, "with_text": 0, "skipped": 0, "errors": 0}


def test_a_cancelled_run_keeps_what_it_read_and_the_next_one_resumes(library, reader):
    cancel = CancelToken()

    def progress(phase, done, total):
        if done == 1:
            cancel.cancel()

    with pytest.raises(Cancelled):
        read_text(library.catalog, reader, policy="every", progress=progress, cancel=cancel)
    assert pt.count_pending(library.catalog.read, reader_id(), every=True) == 3
    seen = []
    summary = read_text(library.catalog, reader, policy="every", progress=lambda *a: seen.append(a))
    assert summary["read"] == 3 and seen[-1] == (PHASE, 3, 3)


def test_off_reads_nothing_and_a_bad_setting_is_refused(library, reader):
    assert read_text(library.catalog, reader, policy="off")["read"] == 0
    assert pt.count_pending(library.catalog.read, reader_id(), every=True) == 4
    with pytest.raises(ValueError, match="unknown text reading setting"):
        read_text(library.catalog, reader, policy="sometimes")


def test_a_photo_damaged_since_its_scan_is_counted_and_does_not_stall(library, reader):
    damaged = next(p for p, s in library.truth.items() if s is None)
    path = library.info(damaged)["path"]
    with open(path, "r+b") as handle:
        handle.truncate(100)
    summary = read_text(library.catalog, reader, policy="every")
    assert summary["errors"] == 1 and summary["read"] == 3
    assert pt.count_pending(library.catalog.read, reader_id(), every=True) == 0
