"""Damaged files of our own: detected at open, a copy kept aside, rebuilt, said once.

The vector index (hnswlib does not validate its files, so a damaged one must never reach
it), the catalog (SQLite pages overwritten, or the header destroyed) and the thumbnail
cache. Each is damaged on purpose in a private copy of an indexed catalog.
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest
from PIL import Image

from tests.reliability import helpers

QUERY = "a red circle"


def _index_file(catalog: Path) -> Path:
    (found,) = (catalog / "index").glob("*.hnsw")
    return found


def _search_ids(library) -> list[int]:
    return [h.id for h in library.search(QUERY, limit=20)]


def _damage_index(path: Path, how: str, rng: random.Random) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncated":
        del data[len(data) // 2 :]
    elif how == "zeroed":
        data[:] = bytes(len(data))
    elif how == "bit-flipped":
        for _ in range(8):
            position = rng.randrange(len(data))
            data[position] ^= 1 << rng.randrange(8)
    elif how == "header-forged":
        # A huge element count in the header: the classic heap overflow of issue #673.
        data[16:24] = (2**40).to_bytes(8, "little")
    elif how == "empty":
        data.clear()
    else:
        raise ValueError(how)
    path.write_bytes(bytes(data))


# -- the vector index -------------------------------------------------------------------------

DAMAGES = ["truncated", "zeroed", "bit-flipped", "header-forged", "empty"]


@pytest.mark.parametrize("how", DAMAGES)
def test_damaged_index_is_set_aside_rebuilt_and_said_once(catalog_copy, library_factory, how):
    with library_factory(catalog_copy) as library:
        expected = _search_ids(library)
        assert library.notices() == []  # an intact index loads without a word
    index_file = _index_file(catalog_copy)
    _damage_index(index_file, how, random.Random(how))
    damaged = index_file.read_bytes()

    library = library_factory(catalog_copy)
    assert _search_ids(library) == expected  # rebuilt from the catalog: same answers
    notices = library.notices()
    assert len(notices) == 1 and "search index" in notices[0] and "rebuilt" in notices[0]
    assert library.notices() == []  # said once
    kept = list((catalog_copy / "damaged").iterdir())
    assert [p.read_bytes() for p in kept] == [damaged]  # the damaged file, byte for byte
    library.close()

    # The rebuilt index was saved with a fresh manifest: the next start is quiet.
    with library_factory(catalog_copy) as again:
        assert _search_ids(again) == expected
        assert again.notices() == []


def test_index_without_a_manifest_is_set_aside(catalog_copy, library_factory):
    conn = sqlite3.connect(catalog_copy / "catalog.sqlite3")
    with conn:
        conn.execute("DELETE FROM settings WHERE key LIKE 'index:%'")
    conn.close()
    with library_factory(catalog_copy) as library:
        assert _search_ids(library)
        (notice,) = library.notices()
        assert "no record in the catalog" in notice
    assert len(list((catalog_copy / "damaged").iterdir())) == 1


_FUZZ_LOADER = r"""
import hashlib, json, random, shutil, sys
from pathlib import Path
from photoorg.config import Paths
from photoorg.services.indexing.index_keeper import IndexKeeper
from photoorg.store.catalog import Catalog

home, cases = Path(sys.argv[1]), int(sys.argv[2])
rng = random.Random(8)
catalog = Catalog(home / "catalog.sqlite3")
model = catalog.get_setting("model")
dim = len(catalog.read.execute("SELECT vector FROM embeddings LIMIT 1").fetchone()[0]) // 4
expected = sorted(r[0] for r in catalog.read.execute("SELECT photo_id FROM embeddings"))
manifest_key = f"index:{model}"
manifest = catalog.get_setting(manifest_key)
(index_file,) = (home / "index").glob("*.hnsw")
good = index_file.read_bytes()
rebuilt = unchanged = accepted = 0
for case in range(cases):
    data = bytearray(good)
    kind = case % 4
    if kind == 0:
        del data[rng.randrange(len(data)):]
    elif kind == 1:
        start = rng.randrange(len(data))
        data[start:start + rng.randrange(1, 4096)] = bytes(rng.randrange(1, 4096))
    elif kind == 2:
        for _ in range(rng.randrange(1, 32)):
            p = rng.randrange(len(data)); data[p] ^= 1 << rng.randrange(8)
    else:
        p = rng.randrange(96); data[p:p + 8] = rng.randbytes(8)
    index_file.write_bytes(bytes(data))
    stored = json.loads(manifest)
    if case % 8 == 3:
        # An attacker who can also edit the catalog: the manifest matches the bad file,
        # so only the layout check (hnswfile) stands between the file and hnswlib.
        stored["sha256"] = hashlib.sha256(bytes(data)).hexdigest(); stored["size"] = len(data)
    catalog.set_setting(manifest_key, json.dumps(stored))
    keeper = IndexKeeper(catalog, Paths(home), model, dim)
    ids = sorted(keeper.index().ids().tolist())
    assert ids == expected, (case, len(ids), len(expected))
    if keeper.notice is not None:
        rebuilt += 1
    elif bytes(data) == good:
        unchanged += 1  # e.g. zeros written over zeros
    else:
        # Only possible with a forged manifest: the layout check found nothing wrong
        # (a changed ef_construction, say), so hnswlib may safely read it.
        assert case % 8 == 3, case
        accepted += 1
    shutil.rmtree(home / "damaged", ignore_errors=True)
catalog.close()
result = {"cases": cases, "rebuilt": rebuilt, "unchanged": unchanged, "accepted": accepted}
print(json.dumps(result))
"""


def _random_index_damage(catalog: Path, cases: int) -> dict[str, int]:
    done = helpers.python(_FUZZ_LOADER, str(catalog), str(cases), timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]  # a segfault shows as -11 here
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # Every damaged file was set aside and rebuilt, except forged ones whose structure is
    # sound; every case ended with exactly the catalog's ids (asserted in the child).
    assert result["rebuilt"] + result["unchanged"] + result["accepted"] == cases
    assert result["rebuilt"] >= cases * 0.85
    print(f"random index damage: {result}")
    return result


def test_random_index_damage_never_reaches_hnswlib(catalog_copy):
    """Random damage, in a child process so that a crash is a failure, not the end."""
    _random_index_damage(catalog_copy, 200)


@pytest.mark.slow
def test_random_index_damage_never_reaches_hnswlib_long(catalog_copy):
    _random_index_damage(catalog_copy, 3000)


# -- the catalog ---------------------------------------------------------------------------------


def _count(database: Path, table: str) -> int:
    return helpers.scalar(database, f"SELECT count(*) FROM {table}")


@pytest.mark.parametrize(("seed", "zero"), [(1, False), (2, True), (3, False)])
def test_damaged_catalog_pages_are_salvaged_and_said_once(
    catalog_copy, library_factory, indexed, seed, zero
):
    database = catalog_copy / "catalog.sqlite3"
    with library_factory(catalog_copy) as library:
        library.albums.create("holiday <b>2024</b>")
        library.albums.add("holiday <b>2024</b>", [1, 2, 3])
        total = library.status()["photos"]
    original_photos = _count(database, "photos")
    helpers.damage_pages(database, seed=seed, zero=zero)
    damaged = database.read_bytes()

    library = library_factory(catalog_copy)
    (notice,) = library.notices()
    assert notice.startswith("the catalog was damaged") and "kept in" in notice
    assert library.notices() == []
    (aside,) = (catalog_copy / "damaged").iterdir()
    assert (aside / "catalog.sqlite3").read_bytes() == damaged  # kept exactly as found
    assert helpers.integrity(database) == {"integrity": ["ok"], "orphans": []}
    recovered = library.status()["photos"]
    assert 0 < recovered <= original_photos

    # A rescan brings back the photos whose rows were on the damaged pages; ids that
    # survived keep their identity (albums and decisions follow them).
    summary = library.index([indexed.photos])
    assert summary["errors"] == 0
    assert library.status()["photos"] == total
    assert library.search(QUERY, limit=5)
    library.close()
    assert helpers.integrity(database) == {"integrity": ["ok"], "orphans": []}


def test_catalog_with_a_destroyed_header_starts_afresh_and_keeps_the_copy(
    catalog_copy, library_factory, indexed
):
    database = catalog_copy / "catalog.sqlite3"
    data = bytearray(database.read_bytes())
    data[:100] = bytes(100)  # "file is not a database"
    database.write_bytes(bytes(data))

    library = library_factory(catalog_copy)
    (notice,) = library.notices()
    assert "nothing could be recovered" in notice and "add your photo folders again" in notice
    (aside,) = (catalog_copy / "damaged").iterdir()
    assert (aside / "catalog.sqlite3").read_bytes() == bytes(data)
    assert library.status()["photos"] == 0
    summary = library.index([indexed.photos])
    assert summary["added"] == len(indexed.truth)
    library.close()


def test_damaged_catalog_through_the_command_line_is_one_line(catalog_copy):
    helpers.damage_pages(catalog_copy / "catalog.sqlite3", seed=4)
    done = helpers.photoorg("status", "--json", "--catalog", str(catalog_copy))
    assert done.returncode == 0, done.stderr
    assert not helpers.has_traceback(done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.startswith("photoorg:")]
    assert len(lines) == 1 and "the catalog was damaged" in lines[0]
    assert json.loads(done.stdout)["photos"] > 0


def test_salvage_of_something_that_is_not_a_database_at_all(tmp_path):
    from photoorg.store.salvage import salvage

    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(random.Random(5).randbytes(40_000))
    counts = salvage(junk, tmp_path / "new.sqlite3")
    assert sum(counts.values()) == 0
    assert helpers.integrity(tmp_path / "new.sqlite3")["integrity"] == ["ok"]


# -- thumbnails ------------------------------------------------------------------------------------


def test_thumbnail_cache_full_of_garbage_is_set_aside_and_made_again(catalog_copy, library_factory):
    rng = random.Random(6)
    thumbnails = sorted((catalog_copy / "thumbnails").rglob("*.jpg"))
    assert thumbnails
    for i, path in enumerate(thumbnails):
        data = path.read_bytes()
        path.write_bytes(
            [rng.randbytes(len(data)), bytes(len(data)), data[: len(data) // 2], b""][i % 4]
        )

    with library_factory(catalog_copy) as library:
        ids = [r[0] for r in library.catalog.read.execute("SELECT id FROM photos")]
        for photo_id in ids:  # what the grid does for every visible cell
            path = library.thumbnail_path(photo_id)
            assert path is not None
            with Image.open(path) as image:
                image.load()
                assert max(image.size) == 256 or max(image.size) <= 256
        (notice,) = library.notices()
        assert f"{len(thumbnails)} damaged thumbnails" in notice
        assert library.notices() == []
        # Now whole again: asking twice repairs nothing more.
        for photo_id in ids:
            library.thumbnail_path(photo_id)
        assert library.notices() == []
    assert len(list((catalog_copy / "damaged" / "thumbnails").iterdir())) == len(thumbnails)


def test_missing_thumbnail_is_made_again_quietly(catalog_copy, library_factory):
    for path in (catalog_copy / "thumbnails").rglob("*.jpg"):
        path.unlink()
    with library_factory(catalog_copy) as library:
        path = library.thumbnail_path(1)
        assert path is not None and path.is_file()
        assert library.notices() == []
