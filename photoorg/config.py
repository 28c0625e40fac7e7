"""Where PhotoOrg keeps its files, and the settings every part shares.

One place decides paths: ``--catalog DIR`` beats ``PHOTOORG_HOME``, which beats the
platform's data folder (platformdirs). Caches (thumbnails, the vector index) live inside
the catalog folder so that a catalog moved or backed up as a folder stays whole.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "PhotoOrg"
HOME_ENV = "PHOTOORG_HOME"

DEFAULT_MODEL = "ViT-B-32:laion2b_s34b_b79k"
"""ViT-B/32 is the laptop-CPU sweet spot: about 4.4 GFLOPs per image (ViT-B/16 costs ~4x,
ViT-L/14 ~19x) while the LAION-2B weights reach 66.6% zero-shot ImageNet top-1 (README)."""

THUMBNAIL_SIZE = 256

PRECISIONS = ("auto", "fp32", "fp16", "bf16", "int8")
"""The image tower's precision while indexing (``ml.precision``); ``auto`` by default."""


def default_home() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_home(catalog: str | os.PathLike[str] | None = None) -> Path:
    """The catalog folder: an explicit argument, else $PHOTOORG_HOME, else the default."""
    if catalog:
        return Path(catalog).expanduser().resolve()
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return default_home()


@dataclass(frozen=True)
class Paths:
    """Every file of one catalog, derived from its folder."""

    home: Path

    @property
    def database(self) -> Path:
        return self.home / "catalog.sqlite3"

    @property
    def thumbnails(self) -> Path:
        return self.home / "thumbnails"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def quarantine(self) -> Path:
        """Damaged files of our own are moved here, never deleted, before a rebuild."""
        return self.home / "damaged"

    def thumbnail(self, content_hash: str) -> Path:
        # Two-level fan-out keeps folders small for 100k photos.
        return self.thumbnails / content_hash[:2] / f"{content_hash}.jpg"
