"""Opening, revealing, copying, moving and exporting photo files.

Opening goes through ``QDesktopServices``; revealing runs the platform's file manager
with an argument list (never a shell string, so no file name is ever parsed as a
command). Copy, move and export run on a worker; they never overwrite: a name already
taken in the target folder gets `` (2)``, `` (3)``... appended.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from photoorg.services.file_moves import free_name

EXPORT_SIZE = 2048
"""Longest side of exported JPEGs: large enough to view or share, small enough to mail."""


def open_in_viewer(path: str) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(path))


def reveal_command(path: str, platform: str = sys.platform) -> list[str]:
    """The argument list that shows ``path`` in the platform's file manager."""
    if platform == "darwin":
        return ["open", "-R", path]
    if platform.startswith("win"):
        return ["explorer", f"/select,{os.path.normpath(path)}"]
    # freedesktop has no portable 'select this file'; opening its folder is what works.
    return ["xdg-open", os.path.dirname(path) or "."]


def reveal_in_file_manager(path: str, run: Callable[[list[str]], object] | None = None) -> None:
    command = reveal_command(path)
    if run is not None:
        run(command)
        return
    subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


@dataclass
class TransferReport:
    done: list[str] = field(default_factory=list)  # target paths
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)

    def summary(self, verb: str) -> str:
        text = f"{verb} {len(self.done)} photo{'s' if len(self.done) != 1 else ''}"
        if self.failed:
            text += f"; {len(self.failed)} failed ({self.failed[0][0]}: {self.failed[0][1]})"
        return text


def copy_files(paths: Sequence[str], folder: str, *, move: bool = False) -> TransferReport:
    """Worker side: copy (or move) files into ``folder``, never overwriting. Only the
    duplicates dialog moves this way (copies taken out of the library); Move to Folder
    goes through ``Library.move_photos``, which keeps the photos' catalog entries."""
    target_folder = Path(folder)
    report = TransferReport()
    for source in paths:
        try:
            target = free_name(target_folder, os.path.basename(source))
            if move:
                shutil.move(source, target)
            else:
                shutil.copy2(source, target)
            report.done.append(str(target))
        except OSError as exc:
            report.failed.append((source, exc.strerror or str(exc)))
    return report


def export_jpegs(
    render: Callable[[int], bytes], photos: Sequence[tuple[int, str]], folder: str
) -> TransferReport:
    """Worker side: write an upright JPEG of each ``(id, path)`` via ``render(id)``."""
    from photoorg.errors import PhotoOrgError
    from photoorg.media.files import write_atomically

    target_folder = Path(folder)
    report = TransferReport()
    for photo_id, source in photos:
        try:
            data = render(photo_id)
            target = free_name(target_folder, Path(source).stem + ".jpg")
            write_atomically(target, data)
            report.done.append(str(target))
        except (OSError, PhotoOrgError) as exc:
            report.failed.append((source, getattr(exc, "strerror", None) or str(exc)))
    return report
