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

DEFAULT_MODEL = "ViT-B-32-256:datacomp_s34b_b86k"
"""The default for English: 72.8% zero-shot ImageNet top-1 against 66.6% for the earlier
default (ViT-B-32:laion2b_s34b_b79k), for 30% more image compute (11.5 against 8.82
GFLOPs); English only (see ml/model_list.py and the README)."""

DEFAULT_MULTILINGUAL_MODEL = "xlm-roberta-base-ViT-B-32:laion5b_s13b_b90k"
"""The default for any other language: 53.7% recall@1 finding photos from Chinese
captions (Crossmodal-3600) against 0.7-2.4% for the English models, at the earlier
default's image cost."""

LANGUAGE_ENV = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")


def default_model(language: str | None = None) -> str:
    """The model a new catalog starts with: by ``language`` (a locale name such as
    ``zh_CN``), else by the environment's locale; English or unknown gets DEFAULT_MODEL."""
    if language is None:
        language = next((os.environ[k] for k in LANGUAGE_ENV if os.environ.get(k)), "en")
    code = language.split(".")[0].split("_")[0].split("-")[0].lower()
    return DEFAULT_MODEL if code in ("en", "c", "posix", "") else DEFAULT_MULTILINGUAL_MODEL


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
