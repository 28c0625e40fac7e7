"""Scanning the real-camera corpus: metadata, errors, incremental rescans, moves, offline."""

import json
import os
import shutil

import pytest

from photoorg.cli import main as cli
from photoorg.media import decode
from photoorg.media.thumbnails import make_thumbnail
from photoorg.services.library import Library
from tests.support.corpus import DAMAGED_BUT_READABLE, copy_corpus, sha256_tree


@pytest.fixture
def corpus(tmp_path):
    return copy_corpus(tmp_path / "photos")


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """One scan of the corpus shared by the tests that only read the catalog."""
    root = tmp_path_factory.mktemp("scanned")
    corpus = copy_corpus(root / "photos")
    with Library(root / "catalog") as lib:
        scan(lib, corpus)
        yield lib, corpus


@pytest.fixture
def library(tmp_path):
    with Library(tmp_path / "catalog") as lib:
        yield lib


def scan(library, *folders):
    return library.index(list(folders), encode=False)


def info(library, path):
    return library.info(path)


def test_corpus_scan_catalogues_every_readable_photo_and_records_the_rest(library, corpus):
    before = sha256_tree(corpus)
    summary = scan(library, corpus)
    errors = {os.path.relpath(e["path"], corpus): e["error"] for e in library.errors()}
    files = [p for p in corpus.rglob("*") if p.is_file()]
    assert summary["added"] + summary["errors"] == len(files)
    assert len(errors) == summary["errors"]  # each file not added has its reason recorded
    assert all(message.strip() for message in errors.values())
    assert library.info(corpus / DAMAGED_BUT_READABLE)["camera_make"] == "OLYMPUS IMAGING CORP."
    # Every file is either catalogued or listed as an error, never silently dropped.
    catalogued = {r.path for r in library.browse()}
    for path in files:
        assert (str(path) in catalogued) != (os.path.relpath(path, corpus) in errors), path
    assert sha256_tree(corpus) == before


def test_exif_date_camera_and_exposure(scanned):
    library, corpus = scanned
    canon = info(library, corpus / "jpg" / "Canon_40D.jpg")
    assert canon["taken_at"] == "2008-05-30T15:56:01"
    assert canon["taken_at_source"] == "exif"
    assert (canon["camera_make"], canon["camera_model"]) == ("Canon", "Canon EOS 40D")
    assert canon["f_number"] == pytest.approx(7.1)
    assert canon["iso"] == 100
    nikon = info(library, corpus / "jpg" / "Nikon_D70.jpg")
    assert (nikon["camera_make"], nikon["camera_model"]) == ("NIKON CORPORATION", "NIKON D70")
    # EXIF has no offset here, but the XMP CreateDate of the same moment says -04:00.
    assert nikon["taken_at"] == "2008-03-15T09:52:01-04:00"


def test_photo_without_exif_date_falls_back_to_file_time(library, corpus):
    path = corpus / "jpg" / "orientation" / "landscape_1.jpg"
    os.utime(path, (1_600_000_000, 1_600_000_000))
    scan(library, corpus)
    row = info(library, path)
    assert row["taken_at_source"] == "file"
    assert row["taken_at"].startswith("2020-09-1")


def test_gps_in_decimal_degrees(scanned):
    library, corpus = scanned
    row = info(library, corpus / "jpg" / "gps" / "DSCN0010.jpg")
    assert row["gps_lat"] == pytest.approx(43 + 28 / 60 + 2.814 / 3600, abs=1e-6)
    assert row["gps_lon"] == pytest.approx(11 + 53 / 60 + 6.456 / 3600, abs=1e-6)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_upright_dimensions_for_all_eight_orientations(scanned, orientation):
    library, corpus = scanned
    for shape, upright in (("landscape", (600, 450)), ("portrait", (450, 600))):
        row = info(library, corpus / "jpg" / "orientation" / f"{shape}_{orientation}.jpg")
        assert row["orientation"] == orientation
        assert (row["width"], row["height"]) == upright


def test_heic_files_are_read(scanned):
    library, corpus = scanned
    for path in (corpus / "heic").iterdir():
        row = info(library, path)
        assert row["format"] == "HEIF"
        assert row["width"] > 0 and row["height"] > 0


def test_errors_command_lists_unreadable_files(tmp_path, corpus, capsys):
    catalog = tmp_path / "catalog"
    (corpus / "jpg" / "not-a-photo.jpg").write_bytes(b"plain text, not a JPEG\n" * 20)
    assert cli.main(["index", str(corpus), "--no-encode", "--catalog", str(catalog)]) == 0
    capsys.readouterr()
    assert cli.main(["errors", "--json", "--catalog", str(catalog)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [e["path"] for e in listed] == [str(corpus / "jpg" / "not-a-photo.jpg")]
    assert all(set(e) == {"path", "error"} for e in listed)


def test_second_scan_is_unchanged_and_reads_no_pixels(library, corpus, monkeypatch):
    first = scan(library, corpus)

    def refuse(*args, **kwargs):
        raise AssertionError("an unchanged file was decoded again")

    monkeypatch.setattr(decode, "open_image", refuse)
    second = scan(library, corpus)
    assert second["unchanged"] == first["added"]
    assert (second["added"], second["updated"], second["moved"], second["removed"]) == (0, 0, 0, 0)
    assert second["errors"] == first["errors"]


def test_renamed_and_moved_files_keep_their_identity(library, corpus):
    scan(library, corpus)
    renamed_from = corpus / "jpg" / "Canon_40D.jpg"
    moved_from = corpus / "jpg" / "gps" / "DSCN0010.jpg"
    ids = {p: library.photo_id(p) for p in (renamed_from, moved_from)}
    renamed_to = corpus / "jpg" / "holiday.jpg"
    moved_to = corpus / "tiff" / "DSCN0010.jpg"
    renamed_from.rename(renamed_to)
    shutil.move(moved_from, moved_to)
    summary = scan(library, corpus)
    assert summary["moved"] == 2
    assert summary["added"] == 0 and summary["removed"] == 0
    assert library.photo_id(renamed_to) == ids[renamed_from]
    assert library.photo_id(moved_to) == ids[moved_from]
    assert library.info(moved_to)["gps_lat"] == pytest.approx(43.4674, abs=1e-3)


def test_deleted_file_is_removed(library, corpus):
    scan(library, corpus)
    victim = corpus / "jpg" / "Nikon_D70.jpg"
    victim.unlink()
    summary = scan(library, corpus)
    assert summary["removed"] == 1
    assert str(victim) not in {h.path for h in library.browse()}


def test_changed_file_is_updated_in_place(library, corpus):
    scan(library, corpus)
    target = corpus / "jpg" / "Nikon_D70.jpg"
    photo_id = library.photo_id(target)
    shutil.copyfile(corpus / "jpg" / "Pentax_K10D.jpg", target)
    summary = scan(library, corpus)
    assert summary["updated"] == 1
    assert library.photo_id(target) == photo_id
    assert library.info(target)["camera_make"].upper().startswith("PENTAX")


@pytest.mark.parametrize("how", ["missing", "empty"])
def test_unmounted_root_marks_photos_offline_and_deletes_nothing(library, corpus, tmp_path, how):
    scan(library, corpus)
    count = library.status()["photos"]
    hidden = tmp_path / "unmounted"
    shutil.move(corpus, hidden)
    if how == "empty":
        corpus.mkdir()  # an empty mount point
    summary = scan(library, corpus)
    status = library.status()
    assert summary["removed"] == 0
    assert summary["offline_roots"] == [str(corpus)]
    assert status["photos"] == count and status["offline"] == count
    if how == "empty":
        corpus.rmdir()
    shutil.move(hidden, corpus)
    summary = scan(library, corpus)
    assert summary["removed"] == 0 and library.status()["offline"] == 0


def test_generated_bad_files_become_errors_and_the_scan_goes_on(library, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "random.jpg").write_bytes(os.urandom(4096))
    good = make_thumbnail(_image(), 64)
    (folder / "good.jpg").write_bytes(good)
    (folder / "half.jpg").write_bytes(_big_jpeg()[: len(_big_jpeg()) // 2])
    summary = scan(library, folder)
    errors = {os.path.basename(e["path"]): e["error"] for e in library.errors()}
    assert summary["added"] == 1
    assert set(errors) == {"empty.jpg", "random.jpg", "half.jpg"}


def test_symlink_loop_is_walked_once(library, tmp_path):
    folder = tmp_path / "loop"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.jpg").write_bytes(make_thumbnail(_image(), 64))
    os.symlink(folder, folder / "sub" / "back")
    summary = scan(library, folder)
    assert summary["added"] == 1


def _image():
    from PIL import Image

    return Image.new("RGB", (80, 60), (200, 30, 30))


def _big_jpeg():
    import io

    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    buf = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (400, 600, 3), dtype=np.uint8)).save(buf, "JPEG")
    return buf.getvalue()
