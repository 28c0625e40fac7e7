"""Hostile and broken photos: each catalogued or recorded as an error; memory bounded.

The whole real-camera corpus plus generated cases (see ``hostile.py``) are scanned and
encoded by a child process, which reports its peak resident memory
(``resource.getrusage``). The child runs without the capabilities that let root ignore
file permissions, so the folder without read permission really cannot be read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from photoorg.media import decode
from photoorg.services.indexing import scanner
from photoorg.services.library import Library
from tests.reliability import helpers, hostile
from tests.support.corpus import copy_corpus

PEAK_RSS_LIMIT_MB = 2_500
"""What the scan of every hostile file may use at its peak, model and all. The largest
legal picture (14000 x 14000, grey) needs ~0.8 GB to decode and turn into RGB; the rest
is the interpreter, torch and the tiny model (~0.5 GB)."""

_DRIVER = r"""
import json, resource, sys
from photoorg.services.library import Library
root, home, model = sys.argv[1:4]
def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
library = Library(home, model=model, workers=2)
library.model()
before = peak_mb()
summary = library.index([root])
photos = [r[0] for r in library.catalog.read.execute("SELECT path FROM photos")]
errors = {e["path"]: e["error"] for e in library.errors()}
thumbs = [library.thumbnail_path(i) is not None
          for (i,) in library.catalog.read.execute("SELECT id FROM photos")]
library.close()
print(json.dumps({"summary": summary, "photos": photos, "errors": errors,
                  "thumbnails": sum(thumbs), "rss_before_mb": before, "rss_peak_mb": peak_mb()}))
"""


@pytest.fixture
def hostile_tree(tmp_path: Path):
    root = tmp_path / "hostile"
    corpus = copy_corpus(root / "corpus")
    expected = {
        f"generated/{name}": outcome
        for name, outcome in hostile.write_generated(root / "generated").items()
    }
    undo = hostile.write_unreadable(root / "generated")
    raw = hostile.write_non_utf8_name(root / "generated")
    yield root, corpus, expected, raw
    undo()


def test_every_hostile_file_is_catalogued_or_an_error_and_memory_stays_bounded(
    hostile_tree, tmp_path, model_spec
):
    root, corpus, expected, _raw_name = hostile_tree
    prefix = helpers.unprivileged_prefix()
    if prefix is None:
        pytest.skip("cannot drop root's file capabilities here (no setpriv)")
    done = helpers.python(
        _DRIVER, str(root), str(tmp_path / "catalog"), model_spec, prefix=prefix, timeout=900
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert not helpers.has_traceback(done.stderr)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    photos = {os.path.relpath(p, root) for p in result["photos"]}
    errors = {os.path.relpath(p, root): e for p, e in result["errors"].items()}
    summary = result["summary"]

    # Generated cases: exactly the outcome each one calls for.
    for name, outcome in expected.items():
        where = photos if outcome == "photo" else errors
        assert name in where, (name, outcome, errors.get(name))
    assert "generated/locked" in errors and "ermission denied" in errors["generated/locked"]
    (non_utf8,) = [p for p in errors if p.startswith("generated/caf")]
    assert "not valid UTF-8" in errors[non_utf8]
    # The loop is walked once: the photo in it is catalogued once, never via the link.
    assert not any("back-up" in p for p in photos | set(errors))

    # The corpus: every supported file is either catalogued or an error, never both.
    corpus_files = {
        os.path.relpath(p, root)
        for p in corpus.rglob("*")
        if p.is_file() and p.suffix.lower() in decode.SUPPORTED_EXTENSIONS
    }
    assert corpus_files <= photos | set(errors)
    assert not photos & set(errors)
    assert all(message.strip() for message in errors.values())

    assert summary["added"] == len(photos)
    assert summary["errors"] == len(errors)
    assert summary["encoded"] == len(photos)
    assert result["thumbnails"] == len(photos)
    tried = len(expected) + 2 + len(corpus_files)  # + locked folder + non-UTF-8 name
    print(
        f"hostile scan: {tried} files tried, {len(photos)} catalogued, {len(errors)} errors, "
        f"peak RSS {result['rss_peak_mb']:.0f} MB (after model load "
        f"{result['rss_before_mb']:.0f} MB)"
    )
    assert result["rss_peak_mb"] < PEAK_RSS_LIMIT_MB


def test_unreadable_folder_simulated(tmp_path, monkeypatch):
    """The same guarantee without root tricks: os.scandir raises PermissionError."""
    folder = tmp_path / "photos"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.jpg").write_bytes(hostile.small_jpeg(i))
    locked = folder / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path)

    monkeypatch.setattr(scanner.os, "scandir", scandir)
    with Library(tmp_path / "catalog", workers=2) as library:
        summary = library.index([folder], encode=False)
        errors = {e["path"]: e["error"] for e in library.errors()}
    assert errors[str(locked)] == "cannot read folder: Permission denied"
    assert summary["added"] > 0


def test_file_deleted_between_listing_and_reading(tmp_path, monkeypatch):
    """Deterministic race: the listing sees the file, then it is gone when read."""
    folder = tmp_path / "photos"
    folder.mkdir()
    for i, name in enumerate(("a.jpg", "b.jpg", "c.jpg")):
        (folder / name).write_bytes(hostile.small_jpeg(i))
    real_read = scanner.read_bytes_stable

    def read_after_delete(path):
        if path.endswith("b.jpg"):
            os.unlink(path)
        return real_read(path)

    monkeypatch.setattr(scanner, "read_bytes_stable", read_after_delete)
    with Library(tmp_path / "catalog", workers=2) as library:
        summary = library.index([folder], encode=False)
        errors = {os.path.basename(e["path"]): e["error"] for e in library.errors()}
        assert {os.path.basename(h.path) for h in library.browse()} == {"a.jpg", "c.jpg"}
    assert errors == {"b.jpg": "the file vanished during the scan"}
    assert summary["added"] == 2 and summary["errors"] == 1


def test_file_growing_while_read_is_an_error_not_a_half_photo(tmp_path, monkeypatch):
    """A copy still in progress: the size changes between the two looks."""
    folder = tmp_path / "photos"
    folder.mkdir()
    data = hostile.small_jpeg(7, (640, 480))
    (folder / "copying.jpg").write_bytes(data[: len(data) // 2])
    real_fstat = os.fstat
    calls = {"n": 0}

    def fstat(fd):
        info = real_fstat(fd)
        calls["n"] += 1
        if calls["n"] == 2:  # the second look: the copy has moved on
            with open(folder / "copying.jpg", "ab") as handle:
                handle.write(data[len(data) // 2 :])
            info = real_fstat(fd)
        return info

    monkeypatch.setattr(scanner.os, "fstat", fstat)
    with Library(tmp_path / "catalog", workers=1) as library:
        library.index([folder], encode=False)
        (error,) = library.errors()
    assert "changed while it was read" in error["error"]
