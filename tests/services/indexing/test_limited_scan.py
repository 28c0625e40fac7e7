"""Indexing a folder inside a root scans just that folder: photos elsewhere in the root
are neither read nor swept (what the folder watcher relies on)."""

from __future__ import annotations

from pathlib import Path

from photoorg.services.indexing.scan_scope import limited_folders
from photoorg.services.library import Library
from tests.support import scenes


def test_a_limited_scan_leaves_other_folders_alone(tmp_path: Path) -> None:
    root = tmp_path / "root"
    scenes.write_library(root / "a", 2, seed=1, size=64)
    written_b = scenes.write_library(root / "b", 2, seed=2, size=64)
    with Library(tmp_path / "catalog") as library:
        assert library.index([root], encode=False)["added"] == 4
        gone = written_b[0][0]
        gone.unlink()  # in b, which is not asked for
        scenes.write_library(root / "a" / "new", 1, seed=3, size=64)

        summary = library.index([root / "a"], encode=False)
        assert summary["added"] == 1 and summary["removed"] == 0
        assert summary["unchanged"] == 2  # a's photos only: b was not walked
        assert [r.path for r in library.roots()] == [str(root.resolve())]
        assert library.status()["photos"] == 5

        assert library.index(encode=False)["removed"] == 1  # the whole root: b is swept


def test_a_vanished_folder_is_walked_from_its_parent(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "a").mkdir(parents=True)
    (root / "b" / "c").mkdir(parents=True)
    assert limited_folders(root, None) == [root]
    assert limited_folders(root, [str(root / "a" / "gone")]) == [root / "a"]
    assert limited_folders(root, [str(root / "b"), str(root / "b" / "c")]) == [root / "b"]
    assert limited_folders(root, [str(tmp_path / "elsewhere")]) == [root]
