"""Standard streams that are always there, even in a windowed (console-less) build.

A windowed PyInstaller build (and ``pythonw`` on Windows) starts with ``sys.stdout`` and
``sys.stderr`` set to ``None``: the first ``print`` or log record would raise and take
the app down. ``ensure_std_streams`` points missing streams at a log file in the user's
log folder (so a problem report has something to attach), or at ``os.devnull`` when that
folder cannot be written.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

LOG_NAME = "photoorg.log"
LOG_DIR_ENV = "PHOTOORG_LOG_DIR"
"""Overrides the log folder (tests; people who want the log elsewhere)."""


def log_dir() -> Path:
    override = os.environ.get(LOG_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_log_dir("PhotoOrg", appauthor=False))


def _open_log():
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return open(folder / LOG_NAME, "a", encoding="utf-8", errors="replace", buffering=1)
    except OSError:
        return open(os.devnull, "w", encoding="utf-8")


def ensure_std_streams() -> None:
    """Replace a ``None`` ``sys.stdout`` / ``sys.stderr`` with the log file (one, shared)."""
    if sys.stdout is not None and sys.stderr is not None:
        return
    stream = _open_log()
    if sys.stdout is None:
        sys.stdout = stream
    if sys.stderr is None:
        sys.stderr = stream
