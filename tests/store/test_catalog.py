"""The catalog: migrations, refusal of newer or damaged files, atomic writes, threads."""

import sqlite3
import threading

import pytest

from photoorg.errors import CatalogError
from photoorg.store import photos
from photoorg.store.catalog import Catalog
from photoorg.store.schema import MIGRATIONS
from tests.reliability.helpers import python, unprivileged_prefix


def test_new_catalog_is_migrated_to_the_latest_schema_in_wal_mode(tmp_path):
    with Catalog(tmp_path / "c.sqlite3") as catalog:
        assert catalog.schema_version == len(MIGRATIONS)
        mode = catalog.db.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
        tables = set(catalog.db.table_names())
    assert {"roots", "photos", "scan_errors", "embeddings", "labels", "tags", "albums"} <= tables


def test_reopening_keeps_data_and_does_not_migrate_again(tmp_path):
    path = tmp_path / "c.sqlite3"
    with Catalog(path) as catalog, catalog.write() as db:
        photos.add_root(db, "/photos")
    with Catalog(path) as catalog:
        assert [r.path for r in photos.list_roots(catalog.read)] == ["/photos"]


def test_catalog_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "c.sqlite3"
    Catalog(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(CatalogError, match="newer PhotoOrg"):
        Catalog(path)
    assert path.read_bytes() == before


def test_damaged_catalog_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CatalogError, match="cannot open the catalog"):
        Catalog(path)


def test_failed_write_rolls_back_everything(tmp_path):
    with Catalog(tmp_path / "c.sqlite3") as catalog:
        with pytest.raises(RuntimeError), catalog.write() as db:
            photos.add_root(db, "/a")
            raise RuntimeError("boom")
        assert photos.list_roots(catalog.read) == []


OPEN_IN_READ_ONLY_FOLDER = """
import sys
from pathlib import Path
from photoorg.errors import CatalogError
from photoorg.store.catalog import Catalog
try:
    Catalog(Path(sys.argv[1]))
except CatalogError as exc:
    print("CatalogError:", exc)
"""


def test_read_only_catalog_folder_gives_a_clear_error(tmp_path):
    # Root writes anywhere: the child runs without root's capabilities that bypass modes.
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        prefix = unprivileged_prefix()
        assert prefix is not None, "setpriv must be able to drop root's capabilities"
        done = python(OPEN_IN_READ_ONLY_FOLDER, str(folder / "sub" / "c.sqlite3"), prefix=prefix)
    finally:
        folder.chmod(0o700)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("CatalogError:")
    assert not (folder / "sub").exists()


def test_readers_in_other_threads_see_committed_writes(tmp_path):
    with Catalog(tmp_path / "c.sqlite3") as catalog:
        with catalog.write() as db:
            photos.add_root(db, "/a")
        seen = []
        thread = threading.Thread(target=lambda: seen.extend(photos.list_roots(catalog.read)))
        thread.start()
        thread.join()
        assert [r.path for r in seen] == ["/a"]


def test_readers_of_threads_that_ended_are_closed(tmp_path):
    with Catalog(tmp_path / "c.sqlite3") as catalog:

        def read_once():
            catalog.read.execute("SELECT count(*) FROM photos").fetchone()

        for _ in range(20):  # as expiring pool threads do, one after another
            thread = threading.Thread(target=read_once)
            thread.start()
            thread.join()
        read_once()  # this thread's reader: the dead threads' ones are closed now
        assert len(catalog._readers) == 1
