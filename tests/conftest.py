"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# No test needs a display, and without one Qt aborts the process: windows made by any
# test (the window suite, the reliability suite's) go offscreen unless told otherwise.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Reading text costs ~0.4-2 s a photo on a CPU: indexing in tests reads none unless a
# test asks (Library.index(read_text=...), TextReading.read(policy)).
os.environ.setdefault("PHOTOORG_TEXT_READING", "off")

# tests/ has no __init__.py (pytest's default rootdir import mode), so make the repo
# root importable for ``tests.support``; a ``pythonpath = ["."]`` pytest setting would
# do the same.
_REPO_ROOT = Path(__file__).resolve().parents[1]
if str(_REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(_REPO_ROOT))

from tests.support.tinyclip import ensure_tiny_clip, local_dir_spec  # noqa: E402


@pytest.fixture(scope="session")
def tiny_clip_dir() -> Path:
    """Folder of the tiny trained CLIP (open_clip local-dir layout); trained once, cached."""
    return ensure_tiny_clip()


@pytest.fixture(scope="session")
def tiny_clip_spec(tiny_clip_dir: Path) -> str:
    """open_clip model name of the tiny CLIP: ``"local-dir:<absolute path>"``."""
    return local_dir_spec(tiny_clip_dir)
