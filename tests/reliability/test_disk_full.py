"""A full disk and a read-only catalog folder: the last good files survive, one clear line.

Real conditions where the machine allows them: a tiny tmpfs mounted over the catalog
folder (or just over its ``index/`` or ``thumbnails/`` folder) and filled up, and
permissions enforced by a child process that runs without root's file capabilities.
Where they are not available (not root), the same paths are driven by simulation:
SQLite's ``max_page_count`` (which fails exactly like a full disk, SQLITE_FULL) and
ENOSPC raised from the write calls.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest

from photoorg.errors import CatalogError
from photoorg.services.indexing import scanner
from photoorg.store.vectors import index as vectors
from tests.reliability import helpers, hostile
from tests.support import scenes


def _fill(folder: Path, slack: int = 0) -> None:
    """Write a filler file in ``folder`` until ENOSPC, then give back ``slack`` bytes."""
    chunk = b"\0" * 4096
    with open(folder / "filler", "wb", buffering=0) as handle:
        with pytest.raises(OSError) as caught:  # the loop ends by raising
            while True:
                handle.write(chunk)
        assert caught.value.errno == errno.ENOSPC
        if slack:
            handle.truncate(max(0, handle.tell() - slack))


def _more_photos(photos: Path, n: int = 12, seed: int = 99) -> Path:
    extra = photos / "more"
    scenes.write_library(extra, n, seed=seed, size=96)
    return extra


@pytest.fixture
def photos_copy(tmp_path: Path, indexed) -> Path:
    target = tmp_path / "photos"
    shutil.copytree(indexed.photos, target)
    return target


def _index_state(catalog: Path) -> tuple[bytes, str, int]:
    (index_file,) = (catalog / "index").glob("*.hnsw")
    database = catalog / "catalog.sqlite3"
    manifest = helpers.scalar(database, "SELECT value FROM settings WHERE key LIKE 'index:%'")
    photos = helpers.scalar(database, "SELECT count(*) FROM photos")
    return index_file.read_bytes(), manifest, photos


# -- the catalog on a full disk --------------------------------------------------------------


@pytest.mark.parametrize("slack", [0, 96 << 10], ids=["full", "nearly-full"])
def test_catalog_on_a_full_disk_keeps_everything_and_says_so(
    tmp_path, photos_copy, library_factory, slack
):
    home = tmp_path / "catalog"
    with helpers.small_tmpfs(home, "6m") as mounted:
        if not mounted:
            pytest.skip("needs root to mount a tmpfs (the simulated test covers this)")
        with library_factory(home) as library:
            library.index([photos_copy])
        before = _index_state(home)
        _fill(home, slack)
        _more_photos(photos_copy, 40)
        try:
            library = library_factory(home)
        except CatalogError as exc:  # no room even for SQLite's -wal and -shm files
            message = str(exc)
            print(f"open on a full disk: {message}")
            assert "disk is full" in message
        else:
            with pytest.raises(CatalogError, match="disk is full") as caught:
                library.index()
            print(f"index on a nearly full disk: {caught.value}")
            assert library.status()["photos"] == before[2]
            assert library.search("a red circle", limit=5)  # the old catalog still works
            library.close()
        # Room again: nothing was lost or damaged, and the same command finishes the job.
        (home / "filler").unlink()
        assert helpers.integrity(home / "catalog.sqlite3") == {"integrity": ["ok"], "orphans": []}
        assert _index_state(home) == before
        with library_factory(home) as library:
            summary = library.index()
            assert summary["added"] == 40 and summary["errors"] == 0


def test_catalog_full_simulated_with_max_page_count(tmp_path, photos_copy, library_factory):
    home = tmp_path / "catalog"
    with library_factory(home) as library:
        library.index([photos_copy])
    before = _index_state(home)
    _more_photos(photos_copy)
    with library_factory(home) as library:
        pages = library.catalog.db.execute("PRAGMA page_count").fetchone()[0]
        library.catalog.db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(CatalogError, match="full"):
            library.index()
        assert library.status()["photos"] == before[2]
    assert helpers.integrity(home / "catalog.sqlite3")["integrity"] == ["ok"]
    assert _index_state(home) == before


# -- the index file on a full disk -----------------------------------------------------------


def test_index_save_on_a_full_disk_keeps_the_previous_file(tmp_path, photos_copy, library_factory):
    home = tmp_path / "catalog"
    with library_factory(home) as library:
        library.index([photos_copy])
    saved = home / "index-saved"
    shutil.move(home / "index", saved)
    with helpers.small_tmpfs(home / "index", "128k") as mounted:
        if not mounted:
            pytest.skip("needs root to mount a tmpfs (the simulated test covers this)")
        for item in saved.iterdir():
            shutil.copy2(item, home / "index" / item.name)
        before = _index_state(home)
        _fill(home / "index")
        _more_photos(photos_copy)
        with library_factory(home) as library:
            summary = library.index()  # the catalog has room; only the index file has not
            assert summary["added"] == 12
            (notice,) = library.notices()
            assert notice.startswith("could not save the search index")
            hits = library.search("a red circle", limit=100)  # the index in memory is whole
            assert len({h.id for h in hits}) == len(hits)
        after = _index_state(home)
        assert after[:2] == before[:2]  # the previous file and its manifest, untouched
        assert not list((home / "index").glob(".*.tmp"))  # no half-written leftovers
        # Next start: the old file loads (its manifest matches) and catches up in memory.
        with library_factory(home) as library:
            assert len(library._index_keeper().index()) == after[2]
        (home / "index" / "filler").unlink()
        with library_factory(home) as library:
            library.search("a red circle", limit=5)  # saved now that there is room
            assert library.notices() == []
        assert _index_state(home)[0] != before[0]


def test_index_save_failure_simulated(tmp_path, photos_copy, library_factory, monkeypatch):
    home = tmp_path / "catalog"
    with library_factory(home) as library:
        library.index([photos_copy])
    before = _index_state(home)
    _more_photos(photos_copy)

    def no_space(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(vectors.os, "fsync", no_space)
    with library_factory(home) as library:
        library.index()
        (notice,) = library.notices()
        assert "No space left on device" in notice
    assert _index_state(home)[:2] == before[:2]


# -- thumbnails on a full disk ---------------------------------------------------------------


def _thumbnails_full(home: Path, photos: Path, library_factory) -> None:
    _more_photos(photos)
    with library_factory(home) as library:
        summary = library.index()
        # Our disk being full says nothing about the photos: they are catalogued, not
        # recorded as broken (which would skip them at every later scan).
        assert summary["added"] == 12 and summary["errors"] == 0
        assert library.errors() == []


def test_thumbnails_on_a_full_disk_do_not_mark_photos_broken(
    tmp_path, photos_copy, library_factory
):
    home = tmp_path / "catalog"
    with library_factory(home) as library:
        library.index([photos_copy])
    shutil.move(home / "thumbnails", home / "thumbnails-saved")
    with helpers.small_tmpfs(home / "thumbnails", "64k") as mounted:
        if not mounted:
            pytest.skip("needs root to mount a tmpfs (the simulated test covers this)")
        _fill(home / "thumbnails")
        _thumbnails_full(home, photos_copy, library_factory)
        (home / "thumbnails" / "filler").unlink()
        with library_factory(home) as library:
            ids = [r[0] for r in library.catalog.read.execute("SELECT id FROM photos")]
            newest = max(ids)
            path = library.thumbnail_path(newest)  # made now that there is room
            assert path is not None and path.is_file()


def test_thumbnails_full_simulated(tmp_path, photos_copy, library_factory, monkeypatch):
    home = tmp_path / "catalog"
    with library_factory(home) as library:
        library.index([photos_copy])

    def no_space(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(scanner, "save_thumbnail", no_space)
    _thumbnails_full(home, photos_copy, library_factory)


# -- a read-only catalog folder --------------------------------------------------------------


def test_read_only_catalog_folder_is_one_clear_line(tmp_path, catalog_copy):
    prefix = helpers.unprivileged_prefix()
    if prefix is None:
        pytest.skip("cannot drop root's file capabilities here (no setpriv)")
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder in (catalog_copy, empty):
        folder.chmod(0o555)
    try:
        for folder in (catalog_copy, empty):
            done = helpers.photoorg("status", "--catalog", str(folder), prefix=prefix)
            assert done.returncode == 1
            assert not helpers.has_traceback(done.stderr)
            (line,) = done.stderr.strip().splitlines()
            assert line == (
                f"photoorg: the catalog folder {folder} is read-only: PhotoOrg must be able "
                "to write there (fix its permissions, or choose another folder with --catalog)"
            )
        done = helpers.photoorg("status", "--catalog", str(empty / "new"), prefix=prefix)
        assert done.returncode == 1 and not helpers.has_traceback(done.stderr)
        assert done.stderr.startswith(f"photoorg: cannot create the catalog folder {empty}/new")
    finally:
        for folder in (catalog_copy, empty):
            folder.chmod(0o755)
    # Nothing was changed by the attempts.
    assert helpers.integrity(catalog_copy / "catalog.sqlite3")["integrity"] == ["ok"]


def test_read_only_mounted_catalog_folder_is_a_catalog_error(tmp_path, catalog_copy):
    from photoorg.services.library import Library

    target = tmp_path / "mounted"
    with helpers.read_only_bind(catalog_copy, target) as mounted:
        if not mounted:
            if helpers.permissions_apply_here():
                target.rmdir()
                shutil.copytree(catalog_copy, target)
                target.chmod(0o555)
            else:
                pytest.skip("needs a read-only bind mount (root) or a non-root user")
        with pytest.raises(CatalogError, match="is read-only"):
            Library(target)


def test_full_disk_through_the_command_line_is_one_line(tmp_path, photos_copy):
    home = tmp_path / "catalog"
    with helpers.small_tmpfs(home, "2m") as mounted:
        if not mounted:
            pytest.skip("needs root to mount a tmpfs")
        args = ("index", str(photos_copy), "--no-encode", "--catalog", str(home), "--json")
        assert helpers.photoorg(*args).returncode == 0
        before = helpers.scalar(home / "catalog.sqlite3", "SELECT count(*) FROM photos")
        for i in range(40):
            (photos_copy / f"noise-{i}.jpg").write_bytes(hostile.small_jpeg(i, (1600, 1200)))
        _fill(home, 64 << 10)
        done = helpers.photoorg(*args)
        assert not helpers.has_traceback(done.stderr), done.stderr[-3000:]
        print(f"index on a full 2 MB disk: exit {done.returncode}: {done.stderr.strip()}")
        assert done.returncode == 1 and done.stdout == ""
        (line,) = done.stderr.strip().splitlines()
        assert line.startswith("photoorg: cannot write to the catalog") and "full" in line
        (home / "filler").unlink()
        assert helpers.integrity(home / "catalog.sqlite3")["integrity"] == ["ok"]
        assert helpers.scalar(home / "catalog.sqlite3", "SELECT count(*) FROM photos") == before
