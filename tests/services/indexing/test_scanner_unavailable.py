"""A folder or file that cannot be read is unavailable, never gone.

Root reads everything, so the rescan runs in a child process without root's
read-anything capabilities (``setpriv --bounding-set=-dac_override,...``): the folder and
the file really are unreadable to it, as they would be to a user after a permission
change or on a flaky network share.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PIL import Image

from photoorg.model.label import Label
from photoorg.services.library import Library
from tests.reliability.helpers import python, unprivileged_prefix

RESCAN = """
import json, sys
from photoorg.services.library import Library
with Library(sys.argv[1]) as lib:
    summary = lib.index(encode=False)
    print(json.dumps({"summary": summary, "errors": lib.errors()}))
"""


def make_photos(folder: Path, count: int, shade: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"p{i}.jpg"
        Image.new("RGB", (32, 24), (shade, 8 * i, 255 - 8 * i)).save(path, quality=90)
        paths.append(path)
    return paths


def user_work(lib: Library, ids: list[int]) -> dict:
    """Everything a user decided about ``ids``: their tags' sources and album places."""
    return {
        "tags": {i: sorted((t["label"], t["source"]) for t in lib.tags_of(i)) for i in ids},
        "album": sorted(lib.albums.photo_ids("trip")),
    }


def rescan_unprivileged(catalog: Path) -> dict:
    prefix = unprivileged_prefix()
    assert prefix is not None, "setpriv must be able to drop root's read-anything capabilities"
    done = python(RESCAN, str(catalog), prefix=prefix)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_unreadable_folder_and_file_keep_their_photos_and_decisions(tmp_path):
    photos, catalog = tmp_path / "photos", tmp_path / "catalog"
    locked_dir = make_photos(photos / "locked", 4, 40)  # cannot be listed
    blind_dir = make_photos(photos / "blind", 1, 120)  # listed, but its files cannot be stat'ed
    open_dir = make_photos(photos / "open", 3, 200)
    locked_file = photos / "open" / "p0.jpg"
    with Library(catalog) as lib:
        lib.index([photos], encode=False)
        ids = [lib.photo_id(p) for p in [*locked_dir, *blind_dir, *open_dir]]
        lib.tagging.add_label(Label(name="trip", prompts=("a photo of a trip.",)))
        lib.tagging.set_decision(ids[:2], "trip", "confirmed", retag=False)
        lib.tagging.set_decision([ids[4], ids[5]], "trip", "rejected", retag=False)
        lib.albums.create("trip")
        lib.albums.add("trip", ids)
        before = user_work(lib, ids)
    assert before["tags"][ids[0]] == [("trip", "confirmed")]

    # A photo really deleted in a folder that was listed: that one may go.
    (photos / "open" / "p2.jpg").unlink()
    # A changed file that cannot be read: it must be read again, and cannot be.
    os.utime(
        locked_file, ns=(locked_file.stat().st_atime_ns, locked_file.stat().st_mtime_ns + 10**9)
    )
    (photos / "locked").chmod(0)
    (photos / "blind").chmod(0o444)
    locked_file.chmod(0)
    try:
        result = rescan_unprivileged(catalog)
    finally:
        (photos / "locked").chmod(0o755)
        (photos / "blind").chmod(0o755)
        locked_file.chmod(0o644)

    assert result["summary"]["removed"] == 1
    reasons = {e["path"]: e["error"] for e in result["errors"]}
    assert "permission denied" in reasons[str(photos / "locked")].lower()
    assert "permission denied" in reasons[str(blind_dir[0])].lower()
    assert "permission denied" in reasons[str(locked_file)].lower()
    with Library(catalog) as lib:
        kept = ids[:7]
        assert {lib.photo_id(p) for p in [*locked_dir, *blind_dir, *open_dir[:2]]} == set(kept)
        after = user_work(lib, kept)
        assert after["tags"] == {i: before["tags"][i] for i in kept}
        assert after["album"] == sorted(kept)
        # Back again: nothing to re-read, the errors are gone, the work is all there.
        summary = lib.index(encode=False)
        assert summary["removed"] == 0 and summary["added"] == 0
        assert (summary["updated"], summary["unchanged"]) == (1, 6)
        assert lib.errors() == []
        assert user_work(lib, kept) == after


@pytest.mark.skipif(os.geteuid() != 0, reason="checks the root-only capability drop itself")
def test_the_capability_drop_really_applies_to_root(tmp_path):
    secret = tmp_path / "secret"
    secret.mkdir()
    secret.chmod(0)
    try:
        done = python(
            "import os, sys; os.listdir(sys.argv[1])", str(secret), prefix=unprivileged_prefix()
        )
    finally:
        secret.chmod(0o755)
    assert done.returncode != 0 and "PermissionError" in done.stderr


def test_a_photo_too_big_for_memory_is_an_error_and_the_scan_goes_on(tmp_path, monkeypatch):
    from photoorg.media import decode as imaging
    from photoorg.services.indexing import scanner

    paths = make_photos(tmp_path / "photos", 4, 90)
    real = imaging.decode_upright

    def decode(image, side):
        if image.size == (32, 24) and image.getpixel((0, 0))[1] < 8:  # p0 only
            raise MemoryError
        return real(image, side)

    monkeypatch.setattr(scanner.decode, "decode_upright", decode)
    with Library(tmp_path / "catalog") as lib:
        summary = lib.index([tmp_path / "photos"], encode=False)
        assert (summary["added"], summary["errors"]) == (3, 1)
        (error,) = lib.errors()
        assert error["path"] == str(paths[0]) and "memory" in error["error"]
        monkeypatch.setattr(scanner.decode, "decode_upright", real)
        # Tried again at the next scan, although the file did not change.
        assert lib.index(encode=False)["added"] == 1
        assert lib.errors() == []


def test_large_full_size_decodes_run_one_at_a_time(tmp_path, monkeypatch):
    import threading
    import time

    from photoorg.media import decode as imaging
    from photoorg.services.indexing import scanner

    folder = tmp_path / "photos"
    folder.mkdir()
    for i in range(8):
        Image.new("RGB", (40, 40), (i * 30, 0, 0)).save(folder / f"big{i}.png")
    monkeypatch.setattr(scanner, "LARGE_DECODE_PIXELS", 1000)  # 40 x 40 counts as large
    real, lock = imaging.decode_upright, threading.Lock()
    active, most = [0], [0]

    def decode(image, side):
        with lock:
            active[0] += 1
            most[0] = max(most[0], active[0])
        time.sleep(0.05)  # long enough for other readers to arrive if they were let in
        with lock:
            active[0] -= 1
        return real(image, side)

    monkeypatch.setattr(scanner.decode, "decode_upright", decode)
    with Library(tmp_path / "catalog", workers=4) as lib:
        assert lib.index([folder], encode=False)["added"] == 8
    assert most[0] == 1
