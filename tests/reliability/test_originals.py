"""Originals untouched: no photo's bytes or mtime change, whatever PhotoOrg does.

Every operation that reads photos runs over the real-camera corpus plus generated
scenes (and an exact duplicate): scan, encode, search, similar, tag, export of XMP
sidecars (separate files, the only thing PhotoOrg may write next to a photo, and only
when asked), duplicates, previews, rescans. After each one the sha256 and mtime of
every photo are compared with the start.

Then the same library on a read-only location: a read-only bind mount (read-only even
for root), or, where mounting is not allowed, a folder without write permission read
by a child process that runs without root's file capabilities.
"""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from tests.reliability import helpers
from tests.support.corpus import copy_corpus


@pytest.fixture
def photos(tmp_path: Path, indexed) -> Path:
    root = tmp_path / "photos"
    copy_corpus(root / "corpus")
    shutil.copytree(indexed.photos, root / "scenes")
    (root / "copies").mkdir()
    first = sorted((root / "scenes").iterdir())[0]
    shutil.copy2(first, root / "copies" / first.name)  # an exact duplicate
    return root


def test_no_operation_changes_a_photo(photos, tmp_path, library_factory):
    before = helpers.photo_files(photos)
    listing_before = set(photos.rglob("*"))
    library = library_factory(tmp_path / "catalog")
    state: dict = {}

    def scan_and_encode():
        summary = library.index([photos])
        assert summary["encoded"] == summary["added"] > 0

    def search():
        state["hits"] = library.search("a red circle", limit=10)
        assert state["hits"]

    def similar():
        assert library.similar([state["hits"][0].id], limit=5)
        assert library.similar([state["hits"][0].path], limit=5)

    def tag():
        tagging = library.tagging
        label = tagging.labels()[0].name
        tagging.set_decision([h.id for h in state["hits"][:3]], label, "confirmed")
        tagging.tag()

    def export_xmp():
        errors: list = []
        assert library.tagging.export_xmp(errors=errors) > 0
        assert errors == []

    def duplicates():
        groups = library.duplicates()
        assert any(g["kind"] == "exact" for g in groups)

    def previews():
        for hit in state["hits"][:5]:
            assert library.preview(hit.id, 512)[:3] == b"\xff\xd8\xff"
            assert library.thumbnail_path(hit.id) is not None

    def rescan():
        assert library.index()["errors"] == library.status()["errors"]

    steps = [scan_and_encode, search, similar, tag, export_xmp, duplicates, previews, rescan]
    for step in steps:
        step()
        assert helpers.photo_files(photos) == before, f"{step.__name__} changed a photo"
    created = set(photos.rglob("*")) - listing_before
    # Only sidecars, and only from the export; never a temp file left behind.
    assert created and all(p.suffix == ".xmp" for p in created), sorted(created)
    print(f"originals: {len(before)} files, unchanged after {len(steps)} operations")


# -- a read-only location -------------------------------------------------------------------


def read_only_scenario(library, photos: str) -> dict:
    """Everything a person does with a library, on photos that cannot be written."""
    summary = library.index([photos])
    hits = library.search("a red circle", limit=10)
    similar = library.similar([hits[0].id], limit=5)
    label = library.tagging.labels()[0].name
    library.tagging.set_decision([hits[0].id], label, "confirmed")
    errors: list = []
    written = library.tagging.export_xmp([hits[0].id], errors=errors)
    return {
        "summary": summary,
        "hits": len(hits),
        "similar": len(similar),
        "written": written,
        "export_errors": errors,
        "duplicates": len(library.duplicates()),
        "preview": library.preview(hits[0].id, 256)[:3] == b"\xff\xd8\xff",
    }


_READ_ONLY_DRIVER = r"""
import json, sys
from photoorg.services.library import Library
from tests.reliability.test_originals import read_only_scenario
photos, home, model = sys.argv[1:4]
with Library(home, model=model, workers=2) as library:
    print(json.dumps(read_only_scenario(library, photos)))
"""


def _read_only_check(result: dict) -> None:
    summary = result["summary"]
    assert summary["added"] > 0 and summary["encoded"] == summary["added"]
    assert result["hits"] > 0 and result["similar"] > 0 and result["preview"]
    assert result["duplicates"] >= 1
    # Writing a sidecar is refused by the file system: reported per file, not raised.
    assert result["written"] == 0
    (target, message), *_ = map(tuple, result["export_errors"])
    assert target.endswith(".xmp")
    assert "Read-only file system" in message or "ermission denied" in message


def test_library_on_a_read_only_location_works(photos, tmp_path, model_spec, library_factory):
    before = helpers.photo_files(photos)
    mount = tmp_path / "read-only"
    with helpers.read_only_bind(photos, mount) as mounted:
        if mounted:  # read-only even for root: run it in this process
            with library_factory(tmp_path / "catalog") as library:
                result = read_only_scenario(library, str(mount))
    if not mounted:
        # No mount allowed: a folder without write permission, read by a child process
        # that cannot override permissions (root without its file capabilities).
        prefix = helpers.unprivileged_prefix()
        if prefix is None:
            pytest.skip("neither a read-only mount nor dropped capabilities available")
        for path in [photos, *photos.rglob("*")]:
            path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        try:
            done = helpers.python(
                _READ_ONLY_DRIVER, str(photos), str(tmp_path / "catalog"), model_spec, prefix=prefix
            )
        finally:
            for path in [photos, *photos.rglob("*")]:
                path.chmod(path.stat().st_mode | stat.S_IWUSR)
        assert done.returncode == 0, done.stderr[-3000:]
        assert not helpers.has_traceback(done.stderr)
        result = json.loads(done.stdout.strip().splitlines()[-1])
    _read_only_check(result)
    assert helpers.photo_files(photos) == before
    how = "read-only bind mount" if mounted else "no write permission, capabilities dropped"
    print(f"read-only location ({how}): {result['summary']}")
