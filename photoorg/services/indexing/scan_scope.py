"""Which folders of a root a scan walks: all of it, or the folders asked for (a folder
watcher's changes). A limited scan knows, and so may sweep, only the photos under them."""

from __future__ import annotations

from pathlib import Path


def limited_folders(root: Path, folders: list[str] | None) -> list[Path]:
    """The folders to walk in ``root``: all of it, or ``folders`` (a vanished one by its
    nearest existing parent, whose listing shows what is gone), none inside another."""
    if not folders:
        return [root]
    chosen: list[Path] = []
    for folder in sorted({Path(f) for f in folders}):
        while folder != root and not folder.is_dir() and folder.is_relative_to(root):
            folder = folder.parent
        if not folder.is_relative_to(root):
            continue
        if not any(folder.is_relative_to(c) for c in chosen):
            chosen = [c for c in chosen if not c.is_relative_to(folder)] + [folder]
    return chosen or [root]
